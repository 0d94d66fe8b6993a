"""The general ledger: accounts, fiscal years and periods, journals, entries and their lines, taxes,
cost centres, and the per-period account balances that make reports fast on big books."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tessera.core.errors import InvalidState
from tessera.core.models import CompanyOwned, Currency
from tessera.partners.models import Partner

from ..choices import AccountRole, AccountType, CashFlowItem, EntryState, JournalKind, PeriodState, TaxKind

MONEY = {"max_digits": 18, "decimal_places": 2}


class PostedEntryImmutable(InvalidState):
    """Raised by the model guard: a posted entry or its lines are never changed or deleted."""

    def __init__(self, entry):
        super().__init__(_("Entry %(number)s is posted: correct it with a reversing entry.")
                         % {"number": getattr(entry, "number", "")})


class Account(CompanyOwned):
    """An account of the chart. Only leaf accounts (without children) take postings.

    `role` marks control and special accounts (receivable, payable, bank, VAT, retained earnings...).
    An account with postings cannot be deleted (the lines protect it).
    """

    code = models.CharField(_("code"), max_length=20, validators=[RegexValidator(r"^[0-9A-Za-z.\-]+$")])
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )
    type = models.CharField(_("type"), max_length=10, choices=AccountType.choices)
    role = models.CharField(pgettext_lazy("account", "role"), max_length=20, choices=AccountRole.choices, blank=True,
                            default="")
    is_reconcilable = models.BooleanField(_("reconcilable"), default=False)
    currency = models.ForeignKey(
        Currency, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("currency"),
        help_text=_("Set for accounts kept in one foreign currency (a USD bank account)."),
    )
    cash_flow_category = models.CharField(_("cash-flow category"), max_length=20, blank=True,
                                          choices=CashFlowItem.choices, help_text=_(
                                              "The cash-flow statement line of cash received or paid against this "
                                              "account; cash marks cash equivalents."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["company", "code"]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [models.UniqueConstraint(fields=["company", "code"], name="uniq_account_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CostCenter(CompanyOwned):
    """Where a cost or revenue belongs inside the company (departments map to cost centres)."""

    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["company", "code"]
        verbose_name = _("cost centre")
        verbose_name_plural = _("cost centres")
        constraints = [models.UniqueConstraint(fields=["company", "code"], name="uniq_cost_center_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class FiscalYear(CompanyOwned):
    """A company's fiscal year; closing it carries profit and loss to retained earnings."""

    name = models.CharField(_("name"), max_length=20)
    start_on = models.DateField(_("start"))
    end_on = models.DateField(_("end"))
    state = models.CharField(_("state"), max_length=10, choices=PeriodState.choices, default=PeriodState.OPEN,
                             editable=False)
    closing_entry = models.ForeignKey(
        "JournalEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False,
        verbose_name=_("closing entry"),
    )

    class Meta:
        ordering = ["company", "start_on"]
        verbose_name = _("fiscal year")
        verbose_name_plural = _("fiscal years")
        permissions = [("close_fiscalyear", _("Can close fiscal years")),
                       ("reopen_fiscalyear", _("Can reopen fiscal years"))]
        constraints = [
            models.UniqueConstraint(fields=["company", "start_on"], name="uniq_fiscal_year_start"),
            models.CheckConstraint(condition=models.Q(end_on__gt=models.F("start_on")), name="fiscal_year_order"),
        ]

    def __str__(self) -> str:
        return self.name


class Period(CompanyOwned):
    """A month of a fiscal year. Postings need an open period."""

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.CASCADE, related_name="periods",
                                    verbose_name=_("fiscal year"))
    name = models.CharField(_("name"), max_length=20)
    start_on = models.DateField(_("start"))
    end_on = models.DateField(_("end"))
    state = models.CharField(_("state"), max_length=10, choices=PeriodState.choices, default=PeriodState.OPEN,
                             editable=False)

    class Meta:
        ordering = ["company", "start_on"]
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        permissions = [("close_period", _("Can close periods")), ("reopen_period", _("Can reopen periods"))]
        constraints = [
            models.UniqueConstraint(fields=["company", "start_on"], name="uniq_period_start"),
            models.CheckConstraint(condition=models.Q(end_on__gte=models.F("start_on")), name="period_order"),
        ]

    def __str__(self) -> str:
        return self.name


class Journal(CompanyOwned):
    """A book entries are written in (sales, purchases, cash, bank, general, stock, payroll).

    `sequence_code` names the core numbering sequence of its vouchers (记, 收, 付, 转 in China).
    """

    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=JournalKind.choices)
    sequence_code = models.CharField(_("numbering"), max_length=50, default="journal_entry")
    default_account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("default account"),
        help_text=_("The bank or cash account of a bank or cash journal."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["company", "code"]
        verbose_name = _("journal")
        verbose_name_plural = _("journals")
        constraints = [models.UniqueConstraint(fields=["company", "code"], name="uniq_journal_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class JournalEntry(CompanyOwned):
    """A voucher (凭证): balanced lines, draft until posted, then immutable.

    Posting assigns the number, the period, the totals and the tamper-evidence hash, which chains
    to the company's previous posted entry (`previous_hash`). A posted entry is corrected only by a
    reversing entry (`reversal_of`).
    """

    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="entries", verbose_name=_("journal"))
    number = models.CharField(_("number"), max_length=40, null=True, blank=True, editable=False)
    date = models.DateField(_("date"))
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    description = models.CharField(_("description"), max_length=255, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=EntryState.choices, default=EntryState.DRAFT,
                             editable=False)
    period = models.ForeignKey(Period, null=True, blank=True, on_delete=models.PROTECT, related_name="entries",
                               editable=False, verbose_name=_("period"))
    total_debit = models.DecimalField(_("total debit"), default=Decimal("0"), editable=False, **MONEY)
    total_credit = models.DecimalField(_("total credit"), default=Decimal("0"), editable=False, **MONEY)
    reversal_of = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by", editable=False,
        verbose_name=_("reverses"),
    )
    source = models.CharField(_("source document"), max_length=100, blank=True, editable=False,
                              help_text=_("app.model:id of the document that wrote this entry."))
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True, editable=False)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", editable=False, verbose_name=_("posted by"))
    chain_index = models.PositiveIntegerField(null=True, blank=True, editable=False)
    previous_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["company", "-date", "-pk"]
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        permissions = [("post_journalentry", _("Can post journal entries")),
                       ("reverse_journalentry", _("Can reverse journal entries"))]
        constraints = [
            models.UniqueConstraint(fields=["company", "number"], name="uniq_entry_number"),
            models.UniqueConstraint(fields=["company", "chain_index"], name="uniq_entry_chain_index"),
            models.CheckConstraint(
                condition=~models.Q(state=EntryState.POSTED) | models.Q(total_debit=models.F("total_credit")),
                name="posted_entry_balanced",
            ),
        ]
        indexes = [models.Index(fields=["company", "state", "date"])]

    def __str__(self) -> str:
        return self.number or _("Draft entry #%(pk)s") % {"pk": self.pk}

    @property
    def is_posted(self) -> bool:
        return self.state == EntryState.POSTED

    def save(self, *args, **kwargs):
        if self.pk and JournalEntry.objects.filter(pk=self.pk, state=EntryState.POSTED).exists():
            raise PostedEntryImmutable(self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.pk and JournalEntry.objects.filter(pk=self.pk, state=EntryState.POSTED).exists():
            raise PostedEntryImmutable(self)
        return super().delete(*args, **kwargs)


class JournalEntryLine(CompanyOwned):
    """One debit or credit of an entry. `date`, `period` and `is_posted` are copied from the entry
    at posting so that ledger reports read lines alone."""

    entry = models.ForeignKey(JournalEntry, on_delete=models.CASCADE, related_name="lines", verbose_name=_("entry"))
    sequence = models.PositiveSmallIntegerField(_("line"), default=0)
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="lines", verbose_name=_("account"))
    partner = models.ForeignKey(Partner, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("partner"))
    description = models.CharField(_("description"), max_length=255, blank=True)
    debit = models.DecimalField(_("debit"), default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))],
                                **MONEY)
    credit = models.DecimalField(_("credit"), default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))],
                                 **MONEY)
    currency = models.ForeignKey(Currency, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("currency"))
    amount_currency = models.DecimalField(_("amount in currency"), null=True, blank=True, **MONEY)
    cost_center = models.ForeignKey(CostCenter, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("cost centre"))
    date = models.DateField(_("date"), null=True, blank=True, editable=False)
    period = models.ForeignKey(Period, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               editable=False)
    is_posted = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["entry", "sequence", "pk"]
        verbose_name = _("journal entry line")
        verbose_name_plural = _("journal entry lines")
        constraints = [
            models.CheckConstraint(condition=models.Q(debit__gte=0, credit__gte=0), name="line_amounts_not_negative"),
            models.CheckConstraint(
                condition=(models.Q(debit=0) | models.Q(credit=0)) & ~models.Q(debit=0, credit=0),
                name="line_debit_xor_credit",
                violation_error_message=_("A line has either a debit or a credit, not both and not neither."),
            ),
        ]
        indexes = [
            models.Index(fields=["company", "account", "is_posted", "date"]),
            models.Index(fields=["company", "partner", "account", "is_posted"]),
        ]

    def __str__(self) -> str:
        return f"{self.account.code} {self.debit}/{self.credit}"

    def save(self, *args, **kwargs):
        if JournalEntry.objects.filter(pk=self.entry_id, state=EntryState.POSTED).exists():
            raise PostedEntryImmutable(self.entry)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if JournalEntry.objects.filter(pk=self.entry_id, state=EntryState.POSTED).exists():
            raise PostedEntryImmutable(self.entry)
        return super().delete(*args, **kwargs)


class AccountBalance(CompanyOwned):
    """Posted debit and credit of one account in one period: kept by posting (row locked, F()
    increments) so trial balances and statements read a few rows per account, not every line."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="balances")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="balances")
    debit = models.DecimalField(default=Decimal("0"), **MONEY)
    credit = models.DecimalField(default=Decimal("0"), **MONEY)

    class Meta:
        verbose_name = _("account balance")
        verbose_name_plural = _("account balances")
        constraints = [models.UniqueConstraint(fields=["account", "period"], name="uniq_account_period_balance")]

    def __str__(self) -> str:
        return f"{self.account_id}@{self.period_id}: {self.debit}/{self.credit}"


class Tax(CompanyOwned):
    """A VAT rate. Sales taxes post to the output VAT account, purchase taxes to the input one."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=TaxKind.choices)
    rate = models.DecimalField(_("rate %"), max_digits=6, decimal_places=2,
                               validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))])
    price_included = models.BooleanField(_("included in price"), default=False)
    is_exempt = models.BooleanField(_("exempt"), default=False)
    account = models.ForeignKey(Account, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("tax account"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["company", "kind", "-rate", "name"]
        verbose_name = _("tax")
        verbose_name_plural = _("taxes")
        constraints = [models.UniqueConstraint(fields=["company", "kind", "name"], name="uniq_tax_name")]

    def __str__(self) -> str:
        return self.name
