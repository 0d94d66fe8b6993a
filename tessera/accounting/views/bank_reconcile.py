"""The reconciliation screen of a bank account and the reconciliation statement report.

The screen lists the statement lines left to reconcile (or the reconciled and ignored ones), each as a
card with its suggestions inline (one click matches), and panels loaded on demand (htmx) to match
ledger lines by hand, write an entry (bank charges, interest...) or register a payment; reconciled
lines can be unmatched, ignored ones taken back. Each action posts to its own url, runs one service
and answers the line's card again with the running count (htmx), or goes back to the screen.
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core import errors
from tessera.core.exports import FORMATS, cell_text, export_response, format_amount
from tessera.core.views.generic import Screen, apply_domain_error, is_htmx

from ..choices import PaymentKind, StatementLineState
from ..forms_bank import CreateEntryForm, CreatePaymentForm, ReconciliationDateForm, UnmatchForm
from ..models import BankAccount, BankMatch, BankStatement, BankStatementLine, JournalEntryLine
from ..reports_bank import bank_reconciliation, bank_reconciliation_table, bank_side_rows, book_side_rows
from ..services.bank import RECONCILE_PERMISSION, is_foreign, line_amount
from ..services.bank_matching import (
    PartnerIndex,
    counterparties,
    statement_line_suggestions,
    unmatched_ledger_lines,
)
from ..services.bank_reconcile import (
    statement_line_create_entry,
    statement_line_create_payment,
    statement_line_ignore,
    statement_line_match,
    statement_line_unignore,
    statement_line_unmatch,
)
from .bank import BankAccountScreen
from .common import Accounting, error_text
from .payments import allocation_error, allocation_rows, read_allocations

PAGE_SIZE = 20
MANUAL_WINDOW_DAYS = 90
SHOW_CHOICES = {"unreconciled": StatementLineState.UNRECONCILED, "reconciled": StatementLineState.RECONCILED,
                "ignored": StatementLineState.IGNORED, "all": None}


def counts(bank_account: BankAccount) -> dict:
    """What is left to reconcile: lines, money in and out."""
    left = BankStatementLine.objects.filter(bank_account=bank_account, state=StatementLineState.UNRECONCILED)
    totals = left.aggregate(count=Count("pk"), money_in=Sum("amount", filter=Q(amount__gt=0)),
                            money_out=Sum("amount", filter=Q(amount__lt=0)))
    return {"left": totals["count"], "money_in": format_amount(_money(totals["money_in"]), blank_zero=False),
            "money_out": format_amount(-_money(totals["money_out"]), blank_zero=False),
            "done": BankStatementLine.objects.filter(bank_account=bank_account).exclude(
                state=StatementLineState.UNRECONCILED).count()}


def _money(value) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


def last_counterpart(line: BankStatementLine):
    """The account an earlier entry written from a line of the same bank with the same description (or
    counterparty) went to: the entry form starts from it (the bank's monthly fee, interest...)."""
    if not (line.description or line.partner_name):
        return None
    same = ({"statement_line__description": line.description} if line.description
            else {"statement_line__partner_name": line.partner_name})
    match = (BankMatch.objects.filter(created_entry=True, statement_line__bank_account=line.bank_account, **same)
             .filter(journal_line__entry__source__startswith="accounting.bankstatementline:")
             .select_related("journal_line").order_by("-pk").first())
    if match is None:
        return None
    other = (JournalEntryLine.objects.filter(entry_id=match.journal_line.entry_id)
             .exclude(account_id=match.journal_line.account_id).order_by("sequence").first())
    return other.account_id if other is not None else None


class LineCards:
    """Builds what a line's card shows: the line, its suggestions, an open panel and its forms."""

    def __init__(self, screen):
        self.screen = screen
        self.can_reconcile = bool(screen.can_perm(RECONCILE_PERMISSION))
        self.index = PartnerIndex(screen.company.pk) if screen.company is not None else None

    def card(self, line: BankStatementLine, *, panel: str = "", error: str = "", **extra) -> dict:
        card = {"line": line, "panel": panel, "error": error, "can_reconcile": self.can_reconcile,
                "suggestions": [], "matches": []}
        if line.state == StatementLineState.UNRECONCILED:
            card["suggestions"] = statement_line_suggestions(line, index=self.index)
        elif line.state == StatementLineState.RECONCILED:
            card["matches"] = list(line.matches.select_related("journal_line__entry").order_by("pk"))
            card["unmatch_form"] = extra.pop("unmatch_form", None) or UnmatchForm(prefix=f"line-{line.pk}")
            card["created"] = any(match.created_entry for match in card["matches"])
        if panel == "match":
            card.update(self.match_panel(line, extra.pop("selected", ())))
        elif panel == "entry":
            card["entry_form"] = extra.pop("entry_form", None) or CreateEntryForm(
                line=line, initial={"account": last_counterpart(line), "description": line.description})
        elif panel == "payment":
            card.update(self.payment_panel(line, extra.pop("payment_form", None), extra.pop("rows", None)))
        card.update(extra)
        return card

    def match_panel(self, line, selected) -> dict:
        bank = line.bank_account
        window = timezone.timedelta(days=MANUAL_WINDOW_DAYS)
        sign = Q(debit__gt=0) if line.amount > 0 else Q(credit__gt=0)
        if is_foreign(bank):
            sign = Q(amount_currency__gt=0) if line.amount > 0 else Q(amount_currency__lt=0)
        candidates = (unmatched_ledger_lines(bank).filter(sign, date__gte=line.date - window,
                                                          date__lte=line.date + window)[:200])
        foreign = is_foreign(bank)
        return {"candidates": [{"line": item, "amount": line_amount(item, foreign),
                                "checked": str(item.pk) in {str(pk) for pk in selected}} for item in candidates]}

    def payment_panel(self, line, form, rows) -> dict:
        kind = PaymentKind.INBOUND if line.amount > 0 else PaymentKind.OUTBOUND
        if form is None:
            guesses = counterparties(line, self.index)
            form = CreatePaymentForm(line=line, initial={"partner": guesses[0] if len(guesses) == 1 else None,
                                                         "reference": line.reference,
                                                         "description": line.description})
        partner = form.cleaned_data.get("partner") if form.is_bound and form.is_valid() else form.initial.get(
            "partner")
        if rows is None:
            rows = allocation_rows(line.company, partner, kind)
            left = abs(line.amount)
            for row in rows:  # suggest the oldest invoices first, up to the line's amount
                amount = min(row["residual"], left)
                row["amount"] = f"{amount:f}" if amount > 0 else ""
                left -= max(amount, 0)
        return {"payment_form": form, "rows": rows, "payment_kind": kind,
                "invoices_target": f"#line-{line.pk}-invoices",
                "invoices_url": reverse("accounting:bankstatementline_detail", args=[line.pk]) + "?partial=invoices"}


class ReconcileMixin(Accounting):
    def can_perm(self, permission: str) -> bool:
        from tessera.core.permissions import check

        return bool(check(self.request.user, permission, self.company))


class ReconcileHomeView(ReconcileMixin, Screen):
    """Bank reconciliation: every bank account with what is left to reconcile."""

    model = BankStatementLine
    template_name = "accounting/bank/reconcile_home.html"
    title = gettext_lazy("Bank reconciliation")

    def get_breadcrumbs(self, obj=None):
        return [(_("Accounting"), None), (self.get_title(), None)]

    def get(self, request, *args, **kwargs):
        accounts = (BankAccount.objects.filter(company=self.company, is_active=True)
                    .select_related("currency", "journal__default_account")
                    .annotate(unreconciled=Count("statement_lines",
                                                 filter=Q(statement_lines__state="unreconciled")),
                              statements_count=Count("statements", distinct=True)).order_by("name"))
        return self.render({"accounts": accounts, "can_add": self.can("add", BankAccount),
                            "can_import": self.can("add", BankStatement)})


class ReconcileView(ReconcileMixin, BankAccountScreen, Screen):
    """The reconciliation screen of one bank account (module docstring)."""

    model = BankStatementLine
    template_name = "accounting/bank/reconcile.html"

    def get_queryset(self):
        return BankAccount.objects.filter(company=self.company).select_related("currency", "journal__default_account")

    def check_access(self):
        super().check_access()
        self.object = self.get_object()

    def get_object(self):
        found = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if found is None:
            raise errors.NotFound(_("Bank account not found."))
        return found

    def get_title(self):
        return _("Reconcile %(bank)s") % {"bank": self.object.name}

    def get_breadcrumbs(self, obj=None):
        return [(_("Accounting"), None), (_("Bank reconciliation"), reverse("accounting:bank_reconcile_home")),
                (self.object.name, reverse("accounting:bankaccount_detail", args=[self.object.pk]))]

    def get(self, request, *args, **kwargs):
        show = request.GET.get("show", "unreconciled")
        show = show if show in SHOW_CHOICES else "unreconciled"
        lines = (BankStatementLine.objects.filter(bank_account=self.object)
                 .select_related("partner", "statement", "bank_account__journal__default_account",
                                 "bank_account__currency", "bank_account__company", "company__base_currency"))
        if SHOW_CHOICES[show]:
            lines = lines.filter(state=SHOW_CHOICES[show])
        statement = request.GET.get("statement", "")
        if statement.isdigit():
            lines = lines.filter(statement_id=int(statement))
        term = request.GET.get("q", "").strip()
        if term:
            lines = lines.filter(Q(description__icontains=term) | Q(reference__icontains=term)
                                 | Q(partner_name__icontains=term) | Q(amount=_as_amount(term)))
        page = Paginator(lines.order_by("date", "sequence", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
        cards = LineCards(self)
        return self.render({
            "object": self.object, "page_obj": page, "cards": [cards.card(line) for line in page],
            "counts": counts(self.object), "show": show, "show_choices": list(SHOW_CHOICES),
            "statements": BankStatement.objects.filter(bank_account=self.object).order_by("-date", "-pk")[:50],
            "statement": statement, "q": term, "can_reconcile": cards.can_reconcile,
            "can_import": self.can("add", BankStatement),
            "query": urlencode({key: value for key, value in (("show", show), ("statement", statement), ("q", term))
                                if value}),
        })


def _as_amount(text: str):
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


class LineScreen(ReconcileMixin, Screen):
    model = BankStatementLine
    template_name = "accounting/bank/line.html"

    def get_queryset(self):
        return (super().get_queryset().select_related(
            "partner", "statement", "bank_account__journal__default_account", "bank_account__currency",
            "bank_account__company", "company__base_currency"))

    def get_title(self):
        return _("Statement line of %(date)s") % {"date": self.line.date.isoformat()}

    def check_access(self):
        super().check_access()
        self.line = self.get_object()

    def get_breadcrumbs(self, obj=None):
        return [(_("Accounting"), None), (_("Bank reconciliation"), reverse("accounting:bank_reconcile_home")),
                (self.line.bank_account.name, self.back_url())]

    def back_url(self) -> str:
        wanted = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={self.request.get_host()}):
            return wanted
        return reverse("accounting:bankaccount_reconcile", args=[self.line.bank_account_id])

    def answer(self, card: dict, *, status: int = 200):
        """The card alone (htmx) with the running count, or the line's own page."""
        context = {"card": card, "counts": counts(self.line.bank_account), "next": self.back_url(),
                   "object": self.line.bank_account}
        if is_htmx(self.request):
            return self.render(context, "accounting/bank/_line_response.html", status=status)
        return self.render(context, status=status)


class LineDetailView(LineScreen):
    """A line's card with a panel open (`?panel=match|entry|payment`); `?partial=invoices&partner=` gives the
    payment panel's invoice rows for another partner."""

    def get(self, request, *args, **kwargs):
        cards = LineCards(self)
        if request.GET.get("partial") == "invoices":
            partner = request.GET.get("partner", "")
            form = CreatePaymentForm({"partner": partner}, line=self.line)
            form.is_valid()
            return self.render({"card": cards.card(self.line, panel="payment", payment_form=form)},
                               "accounting/bank/_invoice_rows.html")
        panel = request.GET.get("panel", "")
        return self.answer(cards.card(self.line, panel=panel if panel in ("match", "entry", "payment") else ""))


class LineActionView(LineScreen):
    """POST one reconciliation action on a line (`action` in the url)."""

    http_method_names = ["post"]
    action_name = ""

    def post(self, request, *args, **kwargs):
        cards = LineCards(self)
        version = request.POST.get("version")
        version = int(version) if version and version.isdigit() else None
        try:
            line, done = self.perform(cards, version)
        except errors.PermissionDenied as error:
            return self.failed(cards, error_text(error), status=200 if is_htmx(request) else 403)
        except (errors.ValidationFailed, errors.InvalidState, errors.Conflict) as error:
            return self.failed(cards, error_text(error), error=error)
        if isinstance(line, dict):  # a form with errors: the panel again
            return self.answer(line)
        if not is_htmx(request):
            messages.success(request, done)
            return redirect(self.back_url())
        return self.answer(cards.card(line, notice=done))

    def failed(self, cards, message, *, status=200, error=None):
        self.line.refresh_from_db()
        extra = self.error_forms(error) if error is not None else {}
        if any(isinstance(value, forms.Form) and value.is_bound and name != "unmatch_form"
               for name, value in extra.items()):
            message = ""  # the panel's form shows the error on its fields
        return self.answer(cards.card(self.line, panel=self.panel_on_error, error=message, **extra), status=status)

    panel_on_error = ""

    def error_forms(self, error) -> dict:
        return {}

    def perform(self, cards, version):
        raise NotImplementedError


class LineMatchView(LineActionView):
    panel_on_error = ""

    def perform(self, cards, version):
        selected = self.request.POST.getlist("lines")
        if self.request.POST.get("manual"):
            self.panel_on_error = "match"
            self.selected = selected
        line = statement_line_match(actor=self.request.user, line=self.line, lines=selected, version=version)
        return line, _("Matched.")

    def error_forms(self, error):
        return {"selected": getattr(self, "selected", ())}


class LineCreateEntryView(LineActionView):
    panel_on_error = "entry"

    def perform(self, cards, version):
        self.form = CreateEntryForm(self.request.POST, line=self.line)
        if not self.form.is_valid():
            return cards.card(self.line, panel="entry", entry_form=self.form), ""
        data = {name: value for name, value in self.form.cleaned_data.items() if value not in (None, "")}
        line = statement_line_create_entry(actor=self.request.user, line=self.line, data=data, version=version)
        entry = line.matches.first().journal_line.entry
        return line, _("Entry %(number)s posted and matched.") % {"number": entry.number}

    def error_forms(self, error):
        form = getattr(self, "form", None)
        if form is not None and form.is_bound and hasattr(form, "cleaned_data"):
            apply_domain_error(form, error)
            return {"entry_form": form}
        return {}


class LineCreatePaymentView(LineActionView):
    panel_on_error = "payment"

    def perform(self, cards, version):
        self.form = CreatePaymentForm(self.request.POST, line=self.line)
        valid = self.form.is_valid()
        kind = PaymentKind.INBOUND if self.line.amount > 0 else PaymentKind.OUTBOUND
        self.rows = allocation_rows(self.line.company, self.form.cleaned_data.get("partner"), kind)
        allocations, self.sent = read_allocations(self.request.POST, self.rows)
        if not valid or any(row["error"] for row in self.rows):
            return cards.card(self.line, panel="payment", payment_form=self.form, rows=self.rows), ""
        data = {"partner": self.form.cleaned_data["partner"], "allocations": allocations,
                **{name: self.form.cleaned_data[name] for name in ("reference", "description")
                   if self.form.cleaned_data.get(name)}}
        line = statement_line_create_payment(actor=self.request.user, line=self.line, data=data, version=version)
        entry = line.matches.first().journal_line.entry
        return line, _("Payment posted (%(number)s) and matched.") % {"number": entry.number}

    def error_forms(self, error):
        form = getattr(self, "form", None)
        if form is None or not hasattr(form, "cleaned_data"):
            return {}
        rest = allocation_error(getattr(self, "sent", []), error)
        if rest is not None:
            apply_domain_error(form, rest)
        return {"payment_form": form, "rows": getattr(self, "rows", None)}


class LineIgnoreView(LineActionView):
    def perform(self, cards, version):
        return statement_line_ignore(actor=self.request.user, line=self.line, version=version), _("Ignored.")


class LineUnignoreView(LineActionView):
    def perform(self, cards, version):
        line = statement_line_unignore(actor=self.request.user, line=self.line, version=version)
        return line, _("Back among the lines to reconcile.")


class LineUnmatchView(LineActionView):
    def perform(self, cards, version):
        form = UnmatchForm(self.request.POST, prefix=f"line-{self.line.pk}")
        self.form = form
        date = form.cleaned_data.get("date") if form.is_valid() else None
        line = statement_line_unmatch(actor=self.request.user, line=self.line, version=version, date=date)
        return line, _("Unmatched: the line is to reconcile again.")

    def error_forms(self, error):
        return {"unmatch_form": getattr(self, "form", None)}


# --- The reconciliation statement ----------------------------------------------------------------

class ReconciliationReportView(BankAccountScreen, Screen):
    """银行存款余额调节表 of a bank account as of a date, on screen and as CSV/XLSX/PDF (`?export=`)."""

    template_name = "accounting/bank/reconciliation.html"
    action = "view"

    def check_access(self):
        super().check_access()
        self.object = self.get_object()

    def get_title(self):
        return _("Bank reconciliation statement")

    def get_breadcrumbs(self, obj=None):
        return [(_("Accounting"), None), (_("Bank reconciliation"), reverse("accounting:bank_reconcile_home")),
                (self.object.name, reverse("accounting:bankaccount_detail", args=[self.object.pk])),
                (self.get_title(), None)]

    def get(self, request, *args, **kwargs):
        form = ReconciliationDateForm(request.GET or {"date": timezone.localdate().isoformat()})
        context = {"object": self.object, "form": form, "report": None,
                   "accounts": BankAccount.objects.filter(company=self.company).order_by("name")}
        if form.is_valid():
            report = bank_reconciliation(self.object, form.cleaned_data["date"])
            export = request.GET.get("export")
            if export in FORMATS:
                return export_response(bank_reconciliation_table(report), export)
            table = bank_reconciliation_table(report)
            context.update(report=report, table=table, books=self.rows(book_side_rows(report), table),
                           difference=format_amount(report.difference, blank_zero=False),
                           agreed_at=format_amount(report.adjusted_book_balance, blank_zero=False),
                           bank=self.rows(bank_side_rows(report), table),
                           export_urls=[(fmt, self.export_url(fmt)) for fmt in FORMATS])
        return self.render(context)

    def export_url(self, file_format: str) -> str:
        query = self.request.GET.copy()
        query["export"] = file_format
        return f"{self.request.path}?{query.urlencode()}"

    def rows(self, rows, table) -> list[dict]:
        columns = {column.key: column for column in table.columns}
        drawn = []
        for row in rows:
            item = row.get("_item")
            url = None
            if item is not None and item.entry:
                url = reverse("accounting:journalentry_detail", args=[item.entry])
            elif item is not None and item.statement_line:
                url = reverse("accounting:bankstatementline_detail", args=[item.statement_line])
            drawn.append({"item": row.get("item"), "date": cell_text(row, columns["date"]),
                          "reference": row.get("reference", ""), "url": url,
                          "amount": cell_text(row, columns["amount"]), "heading": row.get("_heading", False),
                          "strong": row.get("_strong", False), "level": row.get("_level", 0)})
        return drawn

