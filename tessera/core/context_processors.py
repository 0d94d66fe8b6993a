"""Template context for the shell: menu of live modules, companies to switch to, languages."""

from urllib.parse import parse_qsl

from django.urls import NoReverseMatch, reverse

from . import menu
from .permissions import allowed_companies
from .services.companies import active_module_codes


def navigation_for(request, company) -> list[dict]:
    """The menu: modules live for the company, entries whose permission the user has; the entry
    whose url the current page is under is marked active."""
    user = request.user
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
                url = reverse(entry.url_name)
            except NoReverseMatch:
                continue  # a module declares an entry whose screen does not exist yet
            active = request.path.startswith(url)
            if entry.query:
                # Entries sharing a screen differ by their query: the one matching the request is active.
                active = active and all(request.GET.get(name) == value
                                        for name, value in parse_qsl(entry.query))
                url = f"{url}?{entry.query}"
            entries.append({"label": entry.label, "url": url, "active": active})
        if entries:
            navigation.append({"code": module.code, "name": module.name, "entries": entries})
    return navigation


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    company = getattr(request, "company", None)
    return {
        "navigation": navigation_for(request, company),
        "current_company": company,
        "switchable_companies": allowed_companies(user).order_by("code"),
    }
