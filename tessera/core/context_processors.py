"""Template context for the shell: menu of live modules, companies to switch to, languages."""

from django.urls import NoReverseMatch, reverse

from . import menu
from .permissions import allowed_companies
from .services.companies import active_module_codes


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    company = getattr(request, "company", None)
    live = active_module_codes(company)
    navigation = []
    for module in menu.ordered():
        if module.code not in live:
            continue
        entries = []
        for entry in module.menu:
            if not user.has_perm(entry.permission):
                continue
            try:
                entries.append({"label": entry.label, "url": reverse(entry.url_name)})
            except NoReverseMatch:
                continue
        if entries:
            navigation.append({"code": module.code, "name": module.name, "entries": entries})
    return {
        "navigation": navigation,
        "current_company": company,
        "switchable_companies": allowed_companies(user).order_by("code"),
    }
