"""Approval requests: "My approvals" (one-click approve or reject with a comment), the requests list with
filters, a request's page (steps, approvers, decisions), and the POST actions submit, approve, reject
and withdraw used by those pages and by the approval panel on every registered document."""

import django_filters
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core import errors
from tessera.core.forms import DateInput
from tessera.core.views.actions import error_text
from tessera.core.views.generic import Column, DetailView, ListView, Screen, is_htmx

from ..choices import RequestState
from ..forms import DecisionForm, company_users
from ..models import ApprovalRequest
from ..registry import document_get, document_type_choices
from ..selectors import inbox, request_get, request_list
from ..services.requests import (
    approval_approve,
    approval_reject,
    approval_withdraw,
    current_approver_ids,
    document_submit,
    own_party,
)
from .rules import Approvals, type_label

ACTION_ERRORS = (errors.PermissionDenied, errors.ValidationFailed, errors.InvalidState, errors.Conflict,
                 errors.NotFound)




def can_decide(user, request: ApprovalRequest) -> bool:
    return request.state == RequestState.PENDING and user.pk in current_approver_ids(request)


def can_withdraw(user, request: ApprovalRequest) -> bool:
    return request.state == RequestState.PENDING and user.pk in own_party(request)


def requesters(request):
    return company_users(getattr(request, "company", None))


class RequestFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=RequestState.choices, label=gettext_lazy("State"))
    document_type = django_filters.ChoiceFilter(choices=document_type_choices, label=gettext_lazy("Document type"))
    requested_by = django_filters.ModelChoiceFilter(queryset=requesters, label=gettext_lazy("Requested by"))
    date_from = django_filters.DateFilter(field_name="submitted_at", lookup_expr="date__gte",
                                          label=gettext_lazy("From"), widget=DateInput())
    date_to = django_filters.DateFilter(field_name="submitted_at", lookup_expr="date__lte", label=gettext_lazy("To"),
                                        widget=DateInput())

    class Meta:
        model = ApprovalRequest
        fields = ["state", "document_type", "requested_by"]


class RequestScreen(Approvals):
    model = ApprovalRequest

    def get_queryset(self):
        return request_list(self.request.user, self.company)


class RequestListView(RequestScreen, ListView):
    columns = [Column("document_repr", link=True), Column("document_type", value=lambda r: type_label(r.document_type)),
               "summary", "amount", Column("currency", sort="currency__code"), "requested_by", "submitted_at",
               "state", Column("rule_name", default=False), Column("decided_at", default=False)]
    search_fields = ["document_repr", "summary", "rule_name", "requested_by__username"]
    filterset_class = RequestFilter
    ordering = ["-submitted_at", "-pk"]

    def get_extra_context(self):
        return {"create_url": None}


class RequestDetailView(RequestScreen, DetailView):
    template_name = "approvals/requests/detail.html"
    show_attachments = False

    def get_object(self):
        return request_get(self.request.user, self.company, self.kwargs["pk"])

    def get_actions(self, obj):
        actions = []
        if obj.url:
            actions.append({"label": _("Open the document"), "url": obj.url, "method": "get"})
        if can_withdraw(self.request.user, obj):
            actions.append({"label": _("Withdraw"), "url": reverse("approvals:approvalrequest_withdraw", args=[obj.pk]),
                            "method": "post", "style": "outline-danger",
                            "confirm": _("Withdraw this approval request?")})
        return actions

    def get_tab_context(self, obj):
        steps = list(obj.steps.prefetch_related("approvers").select_related("role__group").order_by("level", "pk"))
        decisions = obj.decisions.select_related("approver", "on_behalf_of", "step").order_by("at", "pk")
        return {"steps": steps, "decisions": decisions, "can_decide": can_decide(self.request.user, obj),
                "decision_form": DecisionForm(), "type_label": type_label(obj.document_type)}


class InboxView(Approvals, Screen):
    """What waits for my decision: one row per request with the summary, a comment box and the buttons."""

    template_name = "approvals/inbox.html"
    title = gettext_lazy("My approvals")

    def get_permission(self):
        return None  # being an approver is enough; the selector shows only what waits for this user

    def get_breadcrumbs(self, obj=None):
        return [(str(_("Approvals")), None), (str(self.title), None)]

    def get(self, request, *args, **kwargs):
        rows = [inbox_row(row) for row in inbox(request.user, self.company).prefetch_related("steps")]
        return self.render({"rows": rows})


def inbox_row(obj: ApprovalRequest, comment: str = "") -> ApprovalRequest:
    """The request with what its inbox row shows: type, the current steps' names, a comment box."""
    obj.type_label = type_label(obj.document_type)
    obj.current_names = ", ".join(step.name for step in obj.steps.all() if step.level == obj.current_level)
    obj.decision_form = DecisionForm(initial={"comment": comment})
    return obj


def safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        return target
    return fallback


class RequestActionView(RequestScreen, Screen):
    """POST only: run one decision service; htmx from the inbox gets its row back, others a redirect."""

    http_method_names = ["post"]
    row_template = "approvals/_inbox_row_done.html"

    def get_permission(self):
        return None  # the services decide (approver, requester, segregation of duties)

    def act(self, obj, comment: str):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        obj = self.get_object_or_none()
        fallback = reverse("approvals:approvalrequest_detail", args=[self.kwargs["pk"]])
        try:
            if obj is None:
                raise errors.NotFound(_("Approval request not found."))
            done = self.act(obj, request.POST.get("comment", ""))
        except ACTION_ERRORS as error:
            if is_htmx(request) and obj is not None:
                return self.render({"row": inbox_row(obj, request.POST.get("comment", "")),
                                    "error": error_text(error)}, "approvals/_inbox_row.html")
            messages.error(request, error_text(error))
            return redirect(safe_next(request, fallback))
        if is_htmx(request):
            return self.render({"row": inbox_row(done), "message": self.done_message(done)}, self.row_template)
        messages.success(request, self.done_message(done))
        return redirect(safe_next(request, fallback))

    def get_object_or_none(self):
        return request_list(self.request.user, self.company).filter(pk=self.kwargs["pk"]).first()

    def done_message(self, obj) -> str:
        raise NotImplementedError


class ApproveView(RequestActionView):
    def act(self, obj, comment):
        return approval_approve(actor=self.request.user, request=obj, comment=comment)

    def done_message(self, obj):
        if obj.state == RequestState.APPROVED:
            return _("Approved: %(document)s is approved.") % {"document": obj.document_repr}
        return _("Your approval of %(document)s is recorded.") % {"document": obj.document_repr}


class RejectView(RequestActionView):
    def act(self, obj, comment):
        return approval_reject(actor=self.request.user, request=obj, comment=comment)

    def done_message(self, obj):
        return _("Rejected: %(document)s.") % {"document": obj.document_repr}


class WithdrawView(RequestActionView):
    def act(self, obj, comment):
        return approval_withdraw(actor=self.request.user, request=obj)

    def done_message(self, obj):
        return _("The approval request of %(document)s is withdrawn.") % {"document": obj.document_repr}


class SubmitView(Approvals, Screen):
    """POST `document` (`app.model:id`) and `next`: submit the document for approval, back to `next`."""

    http_method_names = ["post"]

    def get_permission(self):
        return None  # approval_submit checks the document's own permission

    def post(self, request, *args, **kwargs):
        fallback = reverse("approvals:approvalrequest_list")
        try:
            _definition, document = document_get(request.POST.get("document", ""), self.company)
            approval_request = document_submit(actor=request.user, document=document)
        except ACTION_ERRORS as error:
            messages.error(request, error_text(error))
            return redirect(safe_next(request, fallback))
        messages.success(request, _("%(document)s is submitted for approval.") % {
            "document": approval_request.document_repr})
        return redirect(safe_next(request, fallback))
