"""The shell: the home dashboard with the modules' cards, and switching company."""

import logging

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import menu
from ..errors import PermissionDenied
from ..models.jobs import JobState
from ..permissions import check
from ..selectors import audit_entry_list, company_resolve, job_list
from ..services.companies import active_module_codes
from .generic import forbidden

logger = logging.getLogger(__name__)
User = get_user_model()


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def users_card(request, company):
    if not request.user.has_perm("auth.view_user"):
        return None
    return {"title": _("Active users"), "value": User.objects.filter(is_active=True).count(),
            "url": reverse("core:user_list")}


def audit_card(request, company):
    if not check(request.user, "core.view_auditentry", company):
        return None
    entries = audit_entry_list(request.user, company).select_related("content_type")[:5]
    return {
        "title": _("Recent activity"),
        "lines": [f"{_when(e.at)} · {e.actor_repr} · {e.get_action_display()} {e.object_repr}" for e in entries],
        "url": reverse("core:audit_list"),
    }


def jobs_card(request, company):
    running = job_list(request.user, company).filter(state__in=[JobState.QUEUED, JobState.RUNNING])
    count = running.count()
    return {
        "title": _("Running jobs"), "value": count,
        "lines": [f"{job.kind} · {job.progress}%" for job in running[:3]],
        "url": reverse("core:job_list"),
    }


CORE_CARDS = [users_card, audit_card, jobs_card]


def dashboard_cards(request, company) -> list[dict]:
    """The cards of the live modules, in menu order, then core's own.

    A card maker `(request, company)` returns None (nothing to show, e.g. no permission) or a dict
    {"title", "value" (optional), "lines" (optional list of short texts), "url" (optional)}.
    """
    live = active_module_codes(company)
    makers = [card for module in menu.ordered() if module.code in live for card in module.cards]
    cards = []
    for make in makers + CORE_CARDS:
        try:
            card = make(request, company)
        except Exception:  # one module's broken card must not take the home page down with it
            logger.exception("Dashboard card %s failed", getattr(make, "__qualname__", make))
            continue
        if card:
            cards.append(card)
    return cards


@login_required
def home(request):
    company = getattr(request, "company", None)
    return render(request, "core/home.html", {
        "title": _("Home"),
        "cards": dashboard_cards(request, company),
    })


@login_required
@require_POST
def company_switch(request):
    """Work in another allowed company from now on (kept in the session)."""
    code = request.POST.get("company", "").strip()
    try:
        company = company_resolve(request.user, code) if code else None
    except PermissionDenied as error:
        return forbidden(request, error.message)
    if company is None:
        return forbidden(request, _("Choose one of your companies."))
    request.session["company_code"] = company.code
    messages.success(request, _("You are now working in %(company)s.") % {"company": company})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("home")
    return redirect(target)
