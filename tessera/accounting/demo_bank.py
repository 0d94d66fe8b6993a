"""Demo bank reconciliation for CN01: the bank account 招商银行 基本户 kept on 1002 银行存款 (which has
postings already, so it is named rather than split) with the BNK journal, and a statement of the last
three months imported from a GBK CSV laid out as 招商银行 exports it (account details above the header,
dates as 20261124, separate 借方/贷方 columns, a running balance).

Its lines mirror the demo's bank postings (salaries, customers' receipts, a supplier payment, bank
charges, interest) plus what the books do not have yet: a few bank charges and a customer's payment of
an open invoice. The first lines are reconciled (matched, and one bank charge written as an entry); the
rest wait on the reconciliation screen with their suggestions. The opening balance is the books' balance
of 1002 on the day before the statement, so the reconciliation statement agrees.

Idempotent: nothing is done when CN01 has the bank account already.
"""

import datetime
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from tessera.core import demo

from .demo import _month_day
from .models import Account, BankAccount, JournalEntryLine, Payment
from .services.bank import bank_account_create
from .services.bank_import import statement_import
from .services.bank_reconcile import statement_line_create_entry, statement_line_match

ACCOUNT_NUMBER = "110901234567801"
HEADER = ["交易日期", "交易时间", "借方金额", "贷方金额", "余额", "摘要", "用途", "流水号", "对方户名", "对方账号"]
# (months back, day, money out, money in, 摘要, 用途, counterparty, counterparty account, what reconciles it)
LINES = [
    (3, 5, "55000.00", "", "代发工资", "本月工资", "", "", ("entry", "DEMO-09")),
    (3, 8, "", "169500.00", "转账", "货款", "北京华信科技有限公司", "6222020200112233", ("entry", "DEMO-10")),
    (3, 12, "15.00", "", "跨行汇款手续费", "", "", "", ("charge", "660303")),
    (2, 11, "", "51754.00", "转账", "货款 DEMO-INV-01", "北京华信科技有限公司", "6222020200112233",
     ("payment", "DEMO-PAY-01")),
    (2, 28, "150.00", "", "账户管理费", "", "", "", None),
    (1, 6, "5450.00", "", "转账", "运费 DEMO-BILL-02", "宁波海通物流有限公司", "3100012345678", None),
    (1, 10, "", "56500.00", "转账", "货款", "广州南方贸易有限公司", "4400098765432", None),
    (1, 21, "", "320.00", "结息", "活期存款利息", "", "", None),
    (1, 25, "10.00", "", "短信通知服务费", "", "", "", None),
    (0, 2, "", "10000.00", "转账", "货款 DEMO-PAY-02", "广州南方贸易有限公司", "4400098765432", None),
    (0, 3, "", "9040.00", "转账", "货款 DEMO-INV-03", "杭州云帆电子商务有限公司", "3301234567890", None),
    (0, 5, "5.00", "", "网银转账手续费", "", "", "", None),
]


@demo.register(order=30)
def build_bank(ctx: demo.DemoContext) -> None:
    """CN01's bank account, its statement, and the first lines reconciled (after the demo documents)."""
    company = ctx.companies["CN01"]
    if BankAccount.objects.filter(company=company, account_number=ACCOUNT_NUMBER).exists():
        return
    ledger = Account.objects.filter(company=company, code="1002").first()
    if ledger is None:
        return
    bank = bank_account_create(actor=ctx.admin, company=company, data={
        "name": "招商银行 基本户", "bank_name": "招商银行上海分行", "account_number": ACCOUNT_NUMBER,
        "account": ledger})
    rows = [(min(_month_day(ctx.today, months, day), ctx.today), *rest) for months, day, *rest in LINES]
    start = _month_day(ctx.today, 3, 1)
    statement = statement_import(actor=ctx.admin, bank_account=bank, filename="招商银行交易明细.csv",
                                 content=statement_csv(rows, _opening(ledger, start), start, ctx.today))
    reconciled = 0
    for line, row in zip(statement.lines.order_by("sequence"), rows, strict=True):
        how = row[-1]
        if how is None:
            continue
        if how[0] == "charge":
            statement_line_create_entry(actor=ctx.admin, line=line, data={
                "account": Account.objects.get(company=company, code=how[1]), "description": row[4]})
            reconciled += 1
            continue
        found = _ledger_line(ledger, *how)
        if found is not None and found.debit - found.credit == line.amount:
            statement_line_match(actor=ctx.admin, line=line, lines=[found])
            reconciled += 1
    ctx.out(_("Imported a demo bank statement of %(count)s lines in %(company)s (%(reconciled)s reconciled)")
            % {"count": len(rows), "company": company.code, "reconciled": reconciled})


def _opening(ledger: Account, start: datetime.date) -> Decimal:
    totals = JournalEntryLine.objects.filter(account=ledger, is_posted=True, date__lt=start).aggregate(
        debit=Sum("debit"), credit=Sum("credit"))
    return (totals["debit"] or Decimal("0")) - (totals["credit"] or Decimal("0"))


def _ledger_line(ledger: Account, kind: str, reference: str) -> JournalEntryLine | None:
    lines = JournalEntryLine.objects.filter(account=ledger, is_posted=True, bank_match__isnull=True)
    if kind == "payment":
        payment = Payment.objects.filter(company=ledger.company, reference=reference, state="posted").first()
        return lines.filter(entry_id=payment.entry_id).first() if payment is not None else None
    return lines.filter(entry__reference=reference).first()


def statement_csv(rows, opening: Decimal, start: datetime.date, end: datetime.date) -> bytes:
    """The statement as 招商银行 exports it, in GBK."""
    text = ["招商银行交易明细", f"账号：{ACCOUNT_NUMBER}", "户名：上海示例贸易有限公司", "币种：人民币",
            f"起始日期：{start:%Y%m%d},终止日期：{end:%Y%m%d}", "", ",".join(HEADER)]
    balance = opening
    for number, (date, out, into, summary, purpose, name, account, _how) in enumerate(rows, start=1):
        balance += Decimal(into or "0") - Decimal(out or "0")
        cells = [f"{date:%Y%m%d}", f"{9 + number % 8:02d}:{(number * 7) % 60:02d}:00", out, into, f"{balance:.2f}",
                 summary, purpose, f"CMB{date:%Y%m%d}{number:04d}", name, f'="{account}"' if account else ""]
        text.append(",".join(cells))
    return ("\r\n".join(text) + "\r\n").encode("gbk")
