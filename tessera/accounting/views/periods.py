"""Fiscal years and their monthly periods: open a new year, close and reopen periods and years."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core.views.generic import DetailView, FormScreen, ListView, Screen

from ..choices import PeriodState
from ..forms import FiscalYearForm
from ..models import FiscalYear, Period
from ..services.periods import fiscal_year_create, period_close, period_reopen
from ..services.yearend import fiscal_year_close, fiscal_year_reopen
from .common import Accounting, TransitionView


class FiscalYearScreen(Accounting):
    model = FiscalYear


class FiscalYearListView(FiscalYearScreen, ListView):
    columns = ["name", "start_on", "end_on", "state", "closing_entry"]
    search_fields = ["name"]
    ordering = ["-start_on"]

    def get_queryset(self):
        return super().get_queryset().select_related("closing_entry")


class FiscalYearDetailView(FiscalYearScreen, DetailView):
    """A year with its periods; Close/Reopen buttons post to the services, which check permissions."""

    template_name = "accounting/periods/fiscal_year.html"
    fields = ["name", "start_on", "end_on", "state", "closing_entry"]

    def get_actions(self, obj):
        actions = []
        if obj.state == PeriodState.OPEN and self.can("close"):
            actions.append({
                "label": _("Close year"), "url": reverse("accounting:fiscalyear_close", args=[obj.pk]),
                "method": "post", "style": "primary",
                "confirm": _("Close fiscal year %(name)s? Profit and loss is carried to retained earnings "
                             "with a closing entry, and no posting is possible in the year until it is "
                             "reopened.") % {"name": obj.name},
            })
        if obj.state == PeriodState.CLOSED and self.can("reopen"):
            actions.append({
                "label": _("Reopen year"), "url": reverse("accounting:fiscalyear_reopen", args=[obj.pk]),
                "method": "post", "style": "outline-danger",
                "confirm": _("Reopen fiscal year %(name)s? Its closing entry is reversed.") % {"name": obj.name},
            })
        return actions

    def get_tab_context(self, obj):
        return {
            "periods": obj.periods.order_by("start_on"),
            "can_close": self.can("close", Period),
            "can_reopen": self.can("reopen", Period),
        }


class FiscalYearCreateView(FiscalYearScreen, FormScreen):
    """"Open new fiscal year": the year after the last one, with its twelve months."""

    action = "add"
    form_class = FiscalYearForm
    title = gettext_lazy("Open a new fiscal year")
    submit_label = gettext_lazy("Open fiscal year")
    success_message = gettext_lazy("The fiscal year is open.")

    def get_form(self, data=None, files=None):
        last = FiscalYear.objects.filter(company=self.company).order_by("-start_on").first()
        year = last.start_on.year + 1 if last else timezone.localdate().year
        return self.form_class(data=data, initial={"year": year})

    def perform(self, form):
        return fiscal_year_create(actor=self.request.user, company=self.company, year=form.cleaned_data["year"])


class FiscalYearCloseView(FiscalYearScreen, TransitionView, Screen):
    success_message = gettext_lazy("Fiscal year %(record)s is closed.")

    def transition(self, obj):
        fiscal_year_close(actor=self.request.user, fiscal_year=obj)
        return obj


class FiscalYearReopenView(FiscalYearScreen, TransitionView, Screen):
    success_message = gettext_lazy("Fiscal year %(record)s is open again.")

    def transition(self, obj):
        fiscal_year_reopen(actor=self.request.user, fiscal_year=obj)
        return obj


class PeriodTransitionView(TransitionView, Screen):
    model = Period

    def get_redirect_url(self, obj, result):
        return reverse("accounting:fiscalyear_detail", args=[obj.fiscal_year_id])


class PeriodCloseView(PeriodTransitionView):
    success_message = gettext_lazy("Period %(record)s is closed.")

    def transition(self, obj):
        return period_close(actor=self.request.user, period=obj)


class PeriodReopenView(PeriodTransitionView):
    success_message = gettext_lazy("Period %(record)s is open again.")

    def transition(self, obj):
        return period_reopen(actor=self.request.user, period=obj)
