"""Currencies with their exchange rates (edited inline), exchange rates, and document numbering."""

from decimal import Decimal

import django_filters
from django.urls import reverse
from django.utils.translation import gettext_lazy

from ..forms import CurrencyForm, DateInput, ExchangeRateLineForm, SequenceForm
from ..models import Currency, ExchangeRate, Sequence
from ..services.ui import exchange_rate_save
from .generic import Column, DetailView, ListView, Tab, YesNoFilter
from .lines import InlineLinesView
from .records import RecordCreateView, RecordUpdateView


def trimmed(value: Decimal | None) -> Decimal | None:
    """A rate without its trailing zeros (7.1234000000 -> 7.1234), never in exponent form."""
    return None if value is None else Decimal(format(value.normalize(), "f"))


# --- Currencies ------------------------------------------------------------------------------

class CurrencyFilter(django_filters.FilterSet):
    is_active = YesNoFilter(label=gettext_lazy("Active"))

    class Meta:
        model = Currency
        fields = ["is_active"]


class CurrencyListView(ListView):
    model = Currency
    columns = ["code", "name", "symbol", "decimal_places", "rounding", "is_active"]
    search_fields = ["code", "name"]
    filterset_class = CurrencyFilter


class CurrencyRatesView(InlineLinesView):
    """The exchange rates of a currency, edited as lines on its page."""

    parent_model = Currency
    model = ExchangeRate
    form_class = ExchangeRateLineForm
    columns = ["quote_currency", "rate_on", Column("rate", value=lambda rate: trimmed(rate.rate))]
    url_name = "core:currency_rates"
    add_label = gettext_lazy("Add a rate")

    def get_lines(self, parent):
        return parent.rates.select_related("quote_currency").order_by("-rate_on", "quote_currency__code")

    def save_line(self, parent, line, data):
        return exchange_rate_save(actor=self.request.user, currency=parent, rate=line, data=data,
                                  company=self.company)


class CurrencyDetailView(DetailView):
    model = Currency
    fields = ["code", "name", "symbol", "decimal_places", "rounding", "is_active"]
    tabs = [Tab("rates", gettext_lazy("Exchange rates"), "core/currencies/_rates.html")]

    def get_tab_context(self, obj):
        return {"inline": CurrencyRatesView.table_context(self.request, obj)}


class CurrencyCreateView(RecordCreateView):
    model = Currency
    form_class = CurrencyForm


class CurrencyUpdateView(RecordUpdateView):
    model = Currency
    form_class = CurrencyForm


# --- Exchange rates --------------------------------------------------------------------------

class ExchangeRateFilter(django_filters.FilterSet):
    currency = django_filters.ModelChoiceFilter(queryset=Currency.objects.filter(is_active=True),
                                                label=gettext_lazy("Currency"))
    quote_currency = django_filters.ModelChoiceFilter(queryset=Currency.objects.filter(is_active=True),
                                                      label=gettext_lazy("Quote currency"))
    date_from = django_filters.DateFilter(field_name="rate_on", lookup_expr="gte", label=gettext_lazy("From"),
                                          widget=DateInput())
    date_to = django_filters.DateFilter(field_name="rate_on", lookup_expr="lte", label=gettext_lazy("To"),
                                        widget=DateInput())

    class Meta:
        model = ExchangeRate
        fields = ["currency", "quote_currency"]


class ExchangeRateListView(ListView):
    model = ExchangeRate
    columns = [Column("currency__code", gettext_lazy("Currency")),
               Column("quote_currency__code", gettext_lazy("Quote currency")),
               "rate_on", Column("rate", value=lambda r: trimmed(r.rate), sort="rate")]
    search_fields = ["currency__code", "quote_currency__code"]
    filterset_class = ExchangeRateFilter
    ordering = ["-rate_on", "currency__code", "quote_currency__code"]

    def get_queryset(self):
        return super().get_queryset().select_related("currency", "quote_currency")

    def url(self, kind, obj=None):
        # A rate is edited on its currency's page.
        if kind == "detail" and obj is not None:
            return reverse("core:currency_detail", args=[obj.currency_id])
        return super().url(kind, obj)


# --- Numbering -------------------------------------------------------------------------------

class SequenceListView(ListView):
    model = Sequence
    columns = ["code", "name", "prefix", "padding", "reset"]
    search_fields = ["code", "name", "prefix"]


class SequenceDetailView(DetailView):
    model = Sequence
    fields = ["code", "name", "prefix", "padding", "reset"]
    tabs = [Tab("counters", gettext_lazy("Next numbers"), "core/currencies/_counters.html")]

    def get_tab_context(self, obj):
        return {"counters": obj.counters.order_by("-period")}


class SequenceCreateView(RecordCreateView):
    model = Sequence
    form_class = SequenceForm


class SequenceUpdateView(RecordUpdateView):
    model = Sequence
    form_class = SequenceForm
