"""Ledger set-up screens: the chart of accounts (an indented tree), installing a chart, journals,
taxes and cost centres."""

from decimal import Decimal

import django_filters
from django.contrib import messages
from django.db.models import Exists, OuterRef, Sum
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from tessera.core.views.generic import (
    Column,
    CreateView,
    DeleteView,
    DetailView,
    FormScreen,
    ListView,
    Tab,
    UpdateView,
    YesNoFilter,
    form_data,
)

from ..choices import DEBIT_NATURE, AccountRole, AccountType
from ..forms import AccountForm, ChartInstallForm, CostCenterForm, JournalForm, TaxForm
from ..models import Account, AccountBalance, CostCenter, Journal, Tax
from ..services.accounts import account_create, account_delete, account_update
from ..services.setup import chart_install, chart_templates
from .common import Accounting, AccountingCreateView, AccountingUpdateView, CompanyFormKwargs

# --- Chart of accounts -----------------------------------------------------------------------


def account_tree(company) -> dict[int, int | None]:
    """pk -> parent pk of every account of the company (one small query: charts have hundreds of rows)."""
    return dict(Account.objects.filter(company=company).values_list("pk", "parent_id"))


def depth_of(pk: int, parents: dict[int, int | None]) -> int:
    depth, seen = 0, {pk}
    while parents.get(pk) is not None and parents[pk] not in seen:
        pk = parents[pk]
        seen.add(pk)
        depth += 1
    return depth


def descendants(pk: int, parents: dict[int, int | None]) -> set[int]:
    """The account and every account below it."""
    found = {pk}
    changed = True
    while changed:
        below = {child for child, parent in parents.items() if parent in found} - found
        changed = bool(below)
        found |= below
    return found


class AccountFilter(django_filters.FilterSet):
    type = django_filters.ChoiceFilter(choices=AccountType.choices, label=gettext_lazy("Type"))
    role = django_filters.ChoiceFilter(choices=[c for c in AccountRole.choices if c[0]],
                                       label=pgettext_lazy("account", "Role"))
    is_active = YesNoFilter(label=gettext_lazy("Active"))

    class Meta:
        model = Account
        fields = ["type", "role", "is_active"]


# An account without a special role shows an empty cell, not "None".
ROLE = Column("role", value=lambda account: account.get_role_display() if account.role else "", sort="role")


class AccountScreen(Accounting):
    model = Account

    def get_queryset(self):
        return super().get_queryset().annotate(
            is_parent=Exists(Account.objects.filter(parent=OuterRef("pk")))
        )


class AccountListView(AccountScreen, ListView):
    """The chart as a tree: code order, names indented by depth, parent accounts bold."""

    title = gettext_lazy("Chart of accounts")
    template_name = "accounting/accounts/list.html"
    table_template = "accounting/accounts/_table.html"
    columns = ["code", "name", "type", ROLE, "is_reconcilable", Column("name_en", default=False),
               Column("currency", default=False), "is_active"]
    search_fields = ["code", "name", "name_en"]
    filterset_class = AccountFilter
    ordering = ["code"]
    paginate_by = 1000  # a chart is read whole

    def get_extra_context(self):
        parents = account_tree(self.company)
        return {
            "depths": {pk: depth_of(pk, parents) for pk in parents},
            "has_accounts": bool(parents),
            "install_url": reverse("accounting:chart_install") if self.can("add") else None,
        }


class AccountDetailView(AccountScreen, DetailView):
    fields = ["code", "name", "name_en", "parent", "type", ROLE, "is_reconcilable", "currency",
              "cash_flow_category", "is_active"]
    tabs = [Tab("balance", gettext_lazy("Balance"), "accounting/accounts/_balance.html")]

    def get_tab_context(self, obj):
        return {"balance": account_balance_summary(obj)}


def account_balance_summary(account: Account) -> dict:
    """Posted debit, credit and balance per fiscal year of an account (parents: with their sub-accounts)."""
    accounts = descendants(account.pk, account_tree(account.company))
    rows = list(
        AccountBalance.objects.filter(account_id__in=accounts)
        .values("period__fiscal_year__name", "period__fiscal_year__start_on")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
        .order_by("period__fiscal_year__start_on")
    )
    debit_nature = account.type in DEBIT_NATURE
    for row in rows:
        row["balance"] = (row["debit"] - row["credit"]) if debit_nature else (row["credit"] - row["debit"])
    total_debit = sum((row["debit"] for row in rows), Decimal("0"))
    total_credit = sum((row["credit"] for row in rows), Decimal("0"))
    return {
        "rows": rows,
        "debit": total_debit,
        "credit": total_credit,
        "balance": (total_debit - total_credit) if debit_nature else (total_credit - total_debit),
        "side": _("Debit") if debit_nature else _("Credit"),
    }


class AccountCreateView(AccountScreen, CompanyFormKwargs, CreateView):
    form_class = AccountForm

    def perform(self, form):
        return account_create(actor=self.request.user, company=self.company, data=form_data(form))


class AccountUpdateView(AccountScreen, CompanyFormKwargs, UpdateView):
    form_class = AccountForm

    def perform(self, form):
        return account_update(actor=self.request.user, account=self.object, company=self.company,
                              data=form_data(form))


class AccountDeleteView(AccountScreen, DeleteView):
    def perform(self, obj):
        account_delete(actor=self.request.user, account=obj, company=self.company)


class ChartInstallView(Accounting, FormScreen):
    """Install a chart of accounts (Chinese enterprise or small-enterprise standards, IFRS-style)
    into a company that has no accounts yet."""

    model = Account
    action = "add"
    form_class = ChartInstallForm
    template_name = "accounting/accounts/install.html"
    title = gettext_lazy("Install a chart of accounts")
    submit_label = gettext_lazy("Install")
    success_message = None

    def get_form_kwargs(self):
        return {"templates": [(template["code"], template["name"]) for template in chart_templates()]}

    def get(self, request, *args, **kwargs):
        if Account.objects.filter(company=self.company).exists():
            messages.info(request, _("This company has a chart of accounts already."))
            return redirect("accounting:account_list")
        return super().get(request, *args, **kwargs)

    def perform(self, form):
        result = chart_install(actor=self.request.user, company=self.company, template=form.cleaned_data["template"])
        messages.success(self.request, _("The chart of accounts is installed: %(accounts)s accounts, %(taxes)s taxes, "
                                         "%(journals)s journals.")
                         % {"accounts": result.accounts, "taxes": result.taxes, "journals": result.journals})
        return result

    def get_success_url(self, obj):
        return reverse("accounting:account_list")


# --- Journals, taxes, cost centres ------------------------------------------------------------

class JournalFilter(django_filters.FilterSet):
    is_active = YesNoFilter(label=gettext_lazy("Active"))

    class Meta:
        model = Journal
        fields = ["kind", "is_active"]


class JournalScreen(Accounting):
    model = Journal

    def get_queryset(self):
        return super().get_queryset().select_related("default_account")


class JournalListView(JournalScreen, ListView):
    columns = ["code", "name", "kind", "sequence_code", "default_account", "is_active"]
    search_fields = ["code", "name"]
    filterset_class = JournalFilter


class JournalDetailView(JournalScreen, DetailView):
    fields = ["code", "name", "kind", "sequence_code", "default_account", "is_active"]


class JournalCreateView(JournalScreen, AccountingCreateView):
    form_class = JournalForm


class JournalUpdateView(JournalScreen, AccountingUpdateView):
    form_class = JournalForm


class TaxFilter(django_filters.FilterSet):
    is_active = YesNoFilter(label=gettext_lazy("Active"))

    class Meta:
        model = Tax
        fields = ["kind", "is_active"]


class TaxScreen(Accounting):
    model = Tax

    def get_queryset(self):
        return super().get_queryset().select_related("account")


class TaxListView(TaxScreen, ListView):
    columns = ["name", "kind", "rate", "price_included", "is_exempt", "account", "is_active"]
    search_fields = ["name"]
    filterset_class = TaxFilter


class TaxDetailView(TaxScreen, DetailView):
    fields = ["name", "kind", "rate", "price_included", "is_exempt", "account", "is_active"]


class TaxCreateView(TaxScreen, AccountingCreateView):
    form_class = TaxForm


class TaxUpdateView(TaxScreen, AccountingUpdateView):
    form_class = TaxForm
    fixed_fields = set()


class CostCenterScreen(Accounting):
    model = CostCenter


class CostCenterListView(CostCenterScreen, ListView):
    columns = ["code", "name", "is_active"]
    search_fields = ["code", "name"]


class CostCenterDetailView(CostCenterScreen, DetailView):
    fields = ["code", "name", "is_active"]


class CostCenterCreateView(CostCenterScreen, AccountingCreateView):
    form_class = CostCenterForm


class CostCenterUpdateView(CostCenterScreen, AccountingUpdateView):
    form_class = CostCenterForm
