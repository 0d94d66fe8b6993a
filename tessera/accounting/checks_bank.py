"""The bank reconciliation's invariants for `tessera check-books` (imported by audit_registry):

- a reconciled statement line's matched ledger lines are posted lines of its bank's ledger account, of
  its company, and add up (debit - credit, or the amount in currency for a foreign bank account) to
  its amount; an unreconciled or ignored line has no match;
- a statement line belongs to its statement's bank account and company;
- a statement is reconciled exactly when none of its lines is unreconciled.
"""

from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from tessera.core.checks_registry import register_check

from .choices import StatementLineState, StatementState
from .models import BankMatch, BankStatement, BankStatementLine

ZERO = Decimal("0")
CENT = Decimal("0.01")


def _label(line) -> str:
    return _("Statement line #%(pk)s (%(date)s, %(amount)s)") % {"pk": line.pk, "date": line.date.isoformat(),
                                                                  "amount": line.amount}


def bank_matches(company) -> list[str]:
    """Matches of statement lines agree with the lines' state, their bank's ledger account and amount."""
    problems = []
    lines = {line.pk: line for line in BankStatementLine.objects.filter(company=company).select_related(
        "bank_account__journal", "bank_account__company", "statement")}
    sums: dict[int, Decimal] = {}
    for match in BankMatch.objects.filter(statement_line__company=company).select_related(
            "journal_line__entry").order_by("pk"):
        line, journal_line = lines[match.statement_line_id], match.journal_line
        bank = line.bank_account
        foreign = bank.currency_id != bank.company.base_currency_id
        if line.state != StatementLineState.RECONCILED:
            problems.append(_("%(line)s is %(state)s but matched to ledger line #%(ledger)s")
                            % {"line": _label(line), "state": line.state, "ledger": journal_line.pk})
        if not journal_line.is_posted or journal_line.account_id != bank.journal.default_account_id \
                or journal_line.company_id != line.company_id or match.company_id != line.company_id:
            problems.append(_("%(line)s is matched to ledger line #%(ledger)s, which is not a posted line of the "
                              "bank's ledger account") % {"line": _label(line), "ledger": journal_line.pk})
        amount = (journal_line.amount_currency or ZERO) if foreign else journal_line.debit - journal_line.credit
        sums[line.pk] = sums.get(line.pk, ZERO) + amount
    for line in sorted(lines.values(), key=lambda line: line.pk):
        if line.state == StatementLineState.RECONCILED and sums.get(line.pk, ZERO) != line.amount:
            problems.append(_("%(line)s is reconciled but its ledger lines add up to %(total)s")
                            % {"line": _label(line), "total": f"{sums.get(line.pk, ZERO).quantize(CENT):f}"})
        if line.bank_account_id != line.statement.bank_account_id or line.statement.company_id != line.company_id:
            problems.append(_("%(line)s does not belong to its statement's bank account") % {"line": _label(line)})
    return problems


def bank_statement_states(company) -> list[str]:
    """A statement is reconciled exactly when none of its lines is unreconciled."""
    open_lines = BankStatementLine.objects.filter(statement=OuterRef("pk"), state=StatementLineState.UNRECONCILED)
    statements = BankStatement.objects.filter(company=company).annotate(has_open=Exists(open_lines))
    wrong = statements.filter(has_open=True, state=StatementState.RECONCILED) | statements.filter(
        has_open=False, state=StatementState.OPEN)
    return [_("Statement %(name)s is %(state)s, its lines say otherwise") % {"name": name, "state": state}
            for name, state in wrong.order_by("pk").values_list("name", "state")]


for _check in (bank_matches, bank_statement_states):
    register_check(f"accounting.{_check.__name__}", _check)
