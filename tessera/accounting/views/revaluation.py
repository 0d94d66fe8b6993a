"""Exchange revaluation screens: the list, "New revaluation" (choose the date, default the end of last
month → the preview of what would be posted → post), the detail with its lines and both entries, and
cancel. Every write goes through services.revaluation; posting and cancelling need
`accounting.post_revaluation`, the pages `accounting.view_revaluation`."""

import datetime

import django_filters
from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core import errors
from tessera.core.forms import DateInput
from tessera.core.views.generic import Column, DetailView, ListView, Screen, apply_domain_error

from ..choices import RevaluationState
from ..models import Revaluation
from ..services.revaluation import revaluation_cancel, revaluation_post, revaluation_preview
from .common import Accounting, TransitionView

POST_PERMISSION = "accounting.post_revaluation"


def end_of_last_month(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()).replace(day=1) - datetime.timedelta(days=1)


class RevaluationFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=RevaluationState.choices, label=gettext_lazy("State"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=gettext_lazy("From"),
                                          widget=DateInput())
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=gettext_lazy("To"),
                                        widget=DateInput())

    class Meta:
        model = Revaluation
        fields = ["state"]


class RevaluationScreen(Accounting):
    model = Revaluation

    def get_queryset(self):
        return super().get_queryset().select_related("entry", "reversal_entry", "created_by")

    def can(self, action: str, model=None) -> bool:
        # A revaluation is created by posting it: "add" means the post permission here.
        return super().can("post" if action == "add" and model is None else action, model)


class RevaluationListView(RevaluationScreen, ListView):
    columns = [
        Column("date", sort="date", link=True), "state", "total_gain", "total_loss",
        Column("entry", value=lambda obj: obj.entry, sort="entry__number"),
        Column("reversal_entry", value=lambda obj: obj.reversal_entry, sort="reversal_entry__number"),
        Column("created_by", default=False),
    ]
    filterset_class = RevaluationFilter
    ordering = ["-date", "-pk"]


class RevaluationDetailView(RevaluationScreen, DetailView):
    template_name = "accounting/revaluations/detail.html"

    def get_actions(self, obj):
        if obj.state == RevaluationState.POSTED and self.can("post"):
            return [{"label": _("Cancel"), "url": self.url("cancel", obj), "method": "post", "style": "outline-danger",
                     "confirm": _("Cancel this revaluation? Its entry and its reversal are undone by new entries.")}]
        return []

    def get_tab_context(self, obj):
        lines = list(obj.lines.select_related("account", "partner", "invoice", "currency").order_by("pk"))
        return {"lines": lines, "totals": _totals(lines)}


def _totals(lines) -> dict:
    return {"carrying_amount": sum(line.carrying_amount for line in lines),
            "revalued_amount": sum(line.revalued_amount for line in lines),
            "difference": sum(line.difference for line in lines)}


class RevaluationForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Revaluation date"), widget=DateInput(), help_text=gettext_lazy(
        "Open balances on this date are revalued at its closing rate; the entry is reversed on the next day."))


class RevaluationCreateView(RevaluationScreen, Screen):
    """GET ?date= shows the preview; POST posts the revaluation of the date."""

    permission = POST_PERMISSION
    template_name = "accounting/revaluations/form.html"
    title = gettext_lazy("New revaluation")

    def get_breadcrumbs(self, obj=None):
        return [*super().get_breadcrumbs(), (str(self.get_title()), None)]

    def page(self, form, preview=None, status=200):
        lines = preview.lines if preview is not None else []
        existing = (Revaluation.objects.filter(company=self.company, date=preview.date).first()
                    if preview is not None else None)
        return self.render({"form": form, "preview": preview, "lines": lines, "existing": existing,
                            "totals": _totals(lines) if preview is not None else None}, status=status)

    def get(self, request, *args, **kwargs):
        if "date" not in request.GET:
            return self.page(RevaluationForm(initial={"date": end_of_last_month()}))
        form = RevaluationForm(request.GET)
        preview = None
        if form.is_valid():
            try:
                preview = revaluation_preview(company=self.company, date=form.cleaned_data["date"])
            except errors.ValidationFailed as error:
                apply_domain_error(form, error)
        return self.page(form, preview)

    def post(self, request, *args, **kwargs):
        form = RevaluationForm(request.POST)
        if form.is_valid():
            try:
                revaluation = revaluation_post(actor=request.user, company=self.company,
                                               date=form.cleaned_data["date"])
            except (errors.ValidationFailed, errors.InvalidState, errors.Conflict) as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("The revaluation on %(date)s is posted: %(entry)s, reversed by "
                                            "%(reversal)s.")
                                 % {"date": revaluation.date.isoformat(), "entry": revaluation.entry.number,
                                    "reversal": revaluation.reversal_entry.number})
                return redirect(self.url("detail", revaluation))
        return self.page(form)


class RevaluationCancelView(RevaluationScreen, TransitionView, Screen):
    success_message = gettext_lazy("The revaluation on %(record)s is cancelled.")

    def transition(self, obj):
        return revaluation_cancel(actor=self.request.user, revaluation=obj)
