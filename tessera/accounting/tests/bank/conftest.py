"""Fixtures of the bank tests: ACME's books on the cn_enterprise chart (the documents tests' `books`:
fiscal years 2026 and 2027, a customer and a supplier), a bank account "CMB Basic" on a new leaf 100201
under 1002 (it takes the BNK journal), CSV files as Chinese banks write them, and an imported statement."""

import datetime
from decimal import Decimal

import pytest

from tessera.accounting.models import Account, BankStatementLine, JournalEntryLine
from tessera.accounting.services.bank import bank_account_create
from tessera.accounting.services.bank_import import statement_import
from tessera.accounting.services.ledger import entry_post_new
from tessera.accounting.tests.documents.conftest import books  # noqa: F401 (the documents tests' books)
from tessera.core.tests.views.conftest import client_for  # noqa: F401 (signed-in test clients)

D = datetime.date
CN_HEADER = ["交易日期", "借方发生额", "贷方发生额", "余额", "摘要", "流水号", "对方户名", "对方账号"]


def cn_csv(rows, *, encoding="gbk", preamble=True, header=CN_HEADER) -> bytes:
    """A statement as a Chinese bank exports it: account details, then the header and `rows` (lists of
    cells in CN_HEADER order: date, money out, money in, balance, description, reference, counterparty,
    counterparty account)."""
    lines = ["账号：1109 0123 4567 801", "户名：Acme Trading", ""] if preamble else []
    lines.append(",".join(header))
    for row in rows:
        lines.append(",".join(f'"{cell}"' if "," in str(cell) else str(cell) for cell in row))
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


# Three transactions of March 2026 from an opening balance of 10,000.00: a customer's receipt of 226.00
# (reference PAY-2026-A1), a bank charge of 15.00, a supplier payment of 1,130.00.
MARCH = [
    ["2026-03-20", "", "226.00", "10,226.00", "货款 INV-2026-00001", "PAY-2026-A1", "Huaxin Trading",
     "6222020200112233"],
    ["2026-03-21", "15.00", "", "10,211.00", "手续费", "FEE-2026-03", "", ""],
    ["2026-03-25", "1,130.00", "", "9,081.00", "支付货款", "PAY-2026-A2", "Dongfang Paper", ""],
]


@pytest.fixture(autouse=True)
def _staging_in_a_temporary_folder(settings, tmp_path):
    # Uploaded statements wait in the data folder between the import steps: a fresh one per test.
    settings.DATA_DIR = tmp_path


@pytest.fixture
def bank(books, accountant):  # noqa: F811
    """The bank account CMB Basic (招商银行 0123...801) on the new leaf 100201, with the BNK journal."""
    return bank_account_create(actor=accountant, company=books.company, data={
        "name": "CMB Basic", "bank_name": "招商银行", "account_number": "1109 0123 4567 801"})


@pytest.fixture
def statement(bank, accountant):
    """The MARCH statement imported (GBK): three unreconciled lines."""
    return statement_import(actor=accountant, bank_account=bank, content=cn_csv(MARCH), filename="march.csv")


def lines_of(statement) -> list[BankStatementLine]:
    return list(statement.lines.order_by("sequence"))


def post_bank_entry(books, journal, amount, date, counterpart="6602", *, description="", reference=""):  # noqa: F811
    """Post an entry in the bank `journal` moving `amount` (money in positive) through its account; returns the
    entry's line on that account."""
    amount = Decimal(amount)
    account = journal.default_account
    other = Account.objects.get(company=books.company, code=counterpart)
    entry = entry_post_new(
        actor=books.actor, company=books.company, journal=journal, date=date, reference=reference,
        description=description, lines=[
            {"account": account, "debit": max(amount, Decimal("0")), "credit": max(-amount, Decimal("0")),
             "description": description},
            {"account": other, "debit": max(-amount, Decimal("0")), "credit": max(amount, Decimal("0")),
             "description": description}])
    return JournalEntryLine.objects.get(entry=entry, account=account)


def balance(account) -> Decimal:
    """Debit minus credit of the posted lines on `account`."""
    lines = JournalEntryLine.objects.filter(account=account, is_posted=True)
    return sum((line.debit - line.credit for line in lines), Decimal("0"))
