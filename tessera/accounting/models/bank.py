"""Bank accounts, imported bank statements and their reconciliation with the ledger, and period-end
revaluation of open foreign-currency balances.

Posted ledger lines are immutable, so reconciliation never marks them: a `BankMatch` row ties a
statement line to the ledger line(s) it clears, and a ledger line is matched at most once.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tessera.core.models import CompanyOwned, Currency
from tessera.partners.models import Partner

from ..choices import RevaluationState, StatementLineState, StatementState
from .documents import RATE
from .ledger import MONEY, Account, Journal, JournalEntry, JournalEntryLine


class BankAccount(CompanyOwned):
    """An account of the company at a bank. Its bank journal's default account is the ledger account
    the statements are reconciled against; `statement_mapping` remembers how this bank's CSV
    statements are read (columns, date format, decimal mark, encoding), so the next import needs none.
    """

    name = models.CharField(_("name"), max_length=100)
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    account_number = models.CharField(_("account number"), max_length=50)
    currency = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="+", verbose_name=_("currency"))
    journal = models.OneToOneField(Journal, on_delete=models.PROTECT, related_name="bank_account",
                                   verbose_name=_("journal"))
    statement_mapping = models.JSONField(_("statement mapping"), default=dict, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["company", "name"]
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")
        permissions = [("reconcile_bankaccount", _("Can reconcile bank statements"))]
        constraints = [models.UniqueConstraint(fields=["company", "account_number"], name="uniq_bank_account_number")]

    def __str__(self) -> str:
        return f"{self.name} ({self.account_number})"

    @property
    def ledger_account(self) -> Account | None:
        return self.journal.default_account


class BankStatement(CompanyOwned):
    """One imported statement of a bank account: its lines, and the balances the bank printed.
    `file_hash` refuses importing the same file twice."""

    bank_account = models.ForeignKey(BankAccount, on_delete=models.PROTECT, related_name="statements",
                                     verbose_name=_("bank account"))
    name = models.CharField(_("name"), max_length=100)
    date = models.DateField(_("date"))
    start_on = models.DateField(_("from"), null=True, blank=True)
    end_on = models.DateField(_("to"), null=True, blank=True)
    opening_balance = models.DecimalField(_("opening balance"), null=True, blank=True, **MONEY)
    closing_balance = models.DecimalField(_("closing balance"), null=True, blank=True, **MONEY)
    filename = models.CharField(_("file"), max_length=255, blank=True)
    file_hash = models.CharField(max_length=64, blank=True, editable=False)
    state = models.CharField(_("state"), max_length=20, choices=StatementState.choices, default=StatementState.OPEN,
                             editable=False)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", editable=False, verbose_name=_("imported by"))

    class Meta:
        ordering = ["company", "-date", "-pk"]
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        constraints = [
            models.UniqueConstraint(fields=["bank_account", "file_hash"], condition=~models.Q(file_hash=""),
                                    name="uniq_bank_statement_file"),
        ]

    def __str__(self) -> str:
        return self.name


class BankStatementLine(CompanyOwned):
    """A transaction as the bank reports it: `amount` is signed (money in is positive). It is
    reconciled when matched to ledger lines of the bank account whose sum equals it, or ignored."""

    statement = models.ForeignKey(BankStatement, on_delete=models.CASCADE, related_name="lines",
                                  verbose_name=_("statement"))
    bank_account = models.ForeignKey(BankAccount, on_delete=models.PROTECT, related_name="statement_lines",
                                     editable=False, verbose_name=_("bank account"))
    sequence = models.PositiveIntegerField(_("line"), default=0)
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), **MONEY)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    description = models.CharField(_("description"), max_length=255, blank=True)
    partner_name = models.CharField(_("counterparty"), max_length=200, blank=True)
    partner_account = models.CharField(_("counterparty account"), max_length=50, blank=True)
    partner = models.ForeignKey(Partner, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("partner"))
    balance = models.DecimalField(_("balance"), null=True, blank=True, **MONEY)
    import_key = models.CharField(max_length=64, editable=False,
                                  help_text=_("Fingerprint of the transaction: the same one is not imported twice."))
    state = models.CharField(_("state"), max_length=20, choices=StatementLineState.choices,
                             default=StatementLineState.UNRECONCILED, editable=False)
    reconciled_at = models.DateTimeField(_("reconciled at"), null=True, blank=True, editable=False)
    reconciled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+", editable=False, verbose_name=_("reconciled by"))
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["company", "date", "sequence", "pk"]
        verbose_name = _("bank statement line")
        verbose_name_plural = _("bank statement lines")
        constraints = [
            models.UniqueConstraint(fields=["bank_account", "import_key"], name="uniq_statement_line_import_key"),
            models.CheckConstraint(condition=~models.Q(amount=0), name="statement_line_amount_not_zero"),
        ]
        indexes = [models.Index(fields=["company", "bank_account", "state", "date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.amount} {self.description}"


class BankMatch(CompanyOwned):
    """A ledger line of the bank account cleared by a statement line. `journal_line` is unique: a
    line of the ledger is reconciled once. `created_entry` marks an entry written from the statement
    line (bank charges, interest, a payment) so that undoing the match can reverse it."""

    statement_line = models.ForeignKey(BankStatementLine, on_delete=models.CASCADE, related_name="matches",
                                       verbose_name=_("statement line"))
    journal_line = models.OneToOneField(JournalEntryLine, on_delete=models.PROTECT, related_name="bank_match",
                                        verbose_name=_("ledger line"))
    created_entry = models.BooleanField(_("entry written here"), default=False)
    created_at = models.DateTimeField(_("matched at"), auto_now_add=True)

    class Meta:
        verbose_name = _("bank match")
        verbose_name_plural = _("bank matches")

    def __str__(self) -> str:
        return f"{self.statement_line_id} <-> {self.journal_line_id}"


class Revaluation(CompanyOwned):
    """A period-end revaluation of open foreign-currency balances (receivables, payables, foreign
    bank and cash accounts) at the closing rate of `date`: the unrealised exchange difference is
    posted in `entry` and reversed on the next day by `reversal_entry`, so settlements keep
    realising against the original rates."""

    date = models.DateField(_("date"))
    entry = models.OneToOneField(JournalEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 editable=False, verbose_name=_("journal entry"))
    reversal_entry = models.OneToOneField(JournalEntry, null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+", editable=False, verbose_name=_("reversing entry"))
    state = models.CharField(_("state"), max_length=20, choices=RevaluationState.choices,
                             default=RevaluationState.POSTED, editable=False)
    total_gain = models.DecimalField(_("unrealised gain"), default=Decimal("0"), editable=False, **MONEY)
    total_loss = models.DecimalField(_("unrealised loss"), default=Decimal("0"), editable=False, **MONEY)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", editable=False, verbose_name=_("created by"))

    class Meta:
        ordering = ["company", "-date", "-pk"]
        verbose_name = _("exchange revaluation")
        verbose_name_plural = _("exchange revaluations")
        permissions = [("post_revaluation", _("Can post exchange revaluations"))]
        constraints = [models.UniqueConstraint(fields=["company", "date"], condition=models.Q(state="posted"),
                                               name="uniq_posted_revaluation_date")]

    def __str__(self) -> str:
        return f"{self.date}"


class RevaluationLine(CompanyOwned):
    """One revalued balance: an account (and partner or invoice) in `currency`, its carrying amount in
    base currency, its amount at the closing `rate`, and the difference posted."""

    revaluation = models.ForeignKey(Revaluation, on_delete=models.CASCADE, related_name="lines",
                                    verbose_name=_("revaluation"))
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+", verbose_name=_("account"))
    partner = models.ForeignKey(Partner, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("partner"))
    invoice = models.ForeignKey("Invoice", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("invoice"))
    currency = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="+", verbose_name=_("currency"))
    amount_currency = models.DecimalField(_("open amount in currency"), **MONEY)
    carrying_amount = models.DecimalField(_("carrying amount"), **MONEY)
    rate = models.DecimalField(_("closing rate"), **RATE)
    revalued_amount = models.DecimalField(_("revalued amount"), **MONEY)
    difference = models.DecimalField(_("difference"), **MONEY)

    class Meta:
        ordering = ["revaluation", "account", "pk"]
        verbose_name = _("revaluation line")
        verbose_name_plural = _("revaluation lines")

    def __str__(self) -> str:
        return f"{self.account_id} {self.difference}"
