"""Benchmark: how fast is a trial balance over big books? (A measurement, not a test.)

    createdb -h 127.0.0.1 -U postgres tessera_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tessera_bench .venv/bin/python bench/trial_balance.py --lines 200000

It migrates the database, makes a new company (BENCH<n>) with a chart of ~80 accounts (a few with
sub-accounts), fiscal years 2025 and 2026 and a general journal, writes `--lines` posted journal
lines (two-line entries, random accounts and amounts, dates spread over the two years) with bulk
inserts, builds the AccountBalance rows from those lines exactly as posting would have, and then
times accounting.reports.trial_balance for a year, a month and a range that cuts months in half,
beside the naive query that sums every line. Each figure is the best and the median of --repeat runs.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tessera.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Sum  # noqa: E402

from tessera.accounting.models import (  # noqa: E402
    Account,
    AccountBalance,
    Journal,
    JournalEntry,
    JournalEntryLine,
    Period,
)
from tessera.accounting.reports import trial_balance  # noqa: E402
from tessera.accounting.services.periods import fiscal_year_create  # noqa: E402
from tessera.core.models import Company, Currency  # noqa: E402

BATCH = 5000
D = datetime.date


def make_company() -> tuple[Company, list[Account]]:
    count = Company.objects.filter(code__startswith="BENCH").count()
    company = Company.objects.create(code=f"BENCH{count + 1}", name=f"Benchmark {count + 1} 有限公司",
                                     base_currency=Currency.objects.get(code="CNY"))
    admin, _created = get_user_model().objects.get_or_create(username="bench-admin",
                                                              defaults={"is_superuser": True, "is_staff": True})
    for year in (2025, 2026):
        fiscal_year_create(actor=admin, company=company, year=year)
    types = ["asset"] * 30 + ["liability"] * 15 + ["equity"] * 5 + ["income"] * 10 + ["expense"] * 20
    leaves = []
    for index, account_type in enumerate(types):
        code = {"asset": "1", "liability": "2", "equity": "4", "income": "60", "expense": "66"}[account_type]
        code = f"{code}{index:03d}"
        account = Account.objects.create(company=company, code=code, name=f"科目 {code}", type=account_type)
        if index % 10 == 0:  # some parents with three sub-accounts each
            leaves += [Account.objects.create(company=company, code=f"{code}{sub:02d}", name=f"科目 {code}{sub:02d}",
                                              type=account_type, parent=account) for sub in (1, 2, 3)]
        else:
            leaves.append(account)
    return company, leaves


def write_lines(company: Company, accounts: list[Account], lines: int, seed: int) -> None:
    """`lines` posted lines in two-line entries, then the AccountBalance rows they add up to."""
    rng = random.Random(seed)
    journal = Journal.objects.create(company=company, code="GEN", name="General", kind="general")
    periods = list(Period.objects.filter(company=company).order_by("start_on"))
    first, days = D(2025, 1, 1), (D(2026, 12, 31) - D(2025, 1, 1)).days + 1
    entries_total = lines // 2
    done = 0
    while done < entries_total:
        size = min(BATCH, entries_total - done)
        entries, amounts = [], []
        for offset in range(size):
            day = first + datetime.timedelta(days=rng.randrange(days))
            period = next(p for p in periods if p.start_on <= day <= p.end_on)
            amount = Decimal(rng.randrange(100, 10_000_000)) / 100
            entries.append(JournalEntry(company=company, journal=journal, date=day, period=period, state="posted",
                                        number=f"B-{done + offset + 1:08d}", total_debit=amount, total_credit=amount,
                                        description="bench"))
            amounts.append(amount)
        with transaction.atomic():
            JournalEntry.objects.bulk_create(entries, batch_size=BATCH)
            rows = []
            for entry, amount in zip(entries, amounts, strict=True):
                debit_account, credit_account = rng.sample(accounts, 2)
                common = {"company": company, "entry": entry, "date": entry.date, "period": entry.period,
                          "is_posted": True}
                rows.append(JournalEntryLine(sequence=1, account=debit_account, debit=amount, **common))
                rows.append(JournalEntryLine(sequence=2, account=credit_account, credit=amount, **common))
            JournalEntryLine.objects.bulk_create(rows, batch_size=BATCH)
        done += size
        print(f"  {done * 2:>9,} lines", end="\r", flush=True)
    print()
    sums = (JournalEntryLine.objects.filter(company=company, is_posted=True).values("account", "period")
            .annotate(debit=Sum("debit"), credit=Sum("credit")).order_by())
    AccountBalance.objects.bulk_create([
        AccountBalance(company=company, account_id=row["account"], period_id=row["period"], debit=row["debit"],
                       credit=row["credit"]) for row in sums
    ], batch_size=BATCH)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("accounting_journalentry", "accounting_journalentryline", "accounting_accountbalance"):
                cursor.execute(f"ANALYZE {table}")


def naive(company, date_from, date_to):
    """What a report without the balance table would do: sum every posted line up to date_to."""
    return list(JournalEntryLine.objects.filter(company=company, is_posted=True, date__lte=date_to)
                .values("account").annotate(debit=Sum("debit"), credit=Sum("credit")))


def timed(function, repeat: int) -> tuple[float, float]:
    runs = []
    for _run in range(repeat):
        start = time.perf_counter()
        function()
        runs.append((time.perf_counter() - start) * 1000)
    return min(runs), statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=2026)
    options = parser.parse_args()
    print(f"database: {connection.vendor} {connection.settings_dict.get('NAME')}")
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    company, accounts = make_company()
    write_lines(company, accounts, options.lines, options.seed)
    print(f"company {company.code}: {JournalEntryLine.objects.filter(company=company).count():,} lines, "
          f"{AccountBalance.objects.filter(company=company).count():,} balance rows, "
          f"{Account.objects.filter(company=company).count()} accounts; "
          f"written in {time.perf_counter() - started:.0f} s")
    cases = [
        ("trial balance, year 2026", lambda: trial_balance(company, D(2026, 1, 1), D(2026, 12, 31))),
        ("trial balance, month 2026-06", lambda: trial_balance(company, D(2026, 6, 1), D(2026, 6, 30))),
        ("trial balance, 2026-03-15 – 2026-09-14 (partial months)",
         lambda: trial_balance(company, D(2026, 3, 15), D(2026, 9, 14))),
        ("naive: sum of every line up to 2026-12-31", lambda: naive(company, None, D(2026, 12, 31))),
    ]
    report = trial_balance(company, D(2026, 1, 1), D(2026, 12, 31))
    assert report.totals["closing_debit"] == report.totals["closing_credit"], "the trial balance must balance"
    print("\n| query | best ms | median ms |\n| --- | ---: | ---: |")
    for label, function in cases:
        best, median = timed(function, options.repeat)
        print(f"| {label} | {best:.1f} | {median:.1f} |")


if __name__ == "__main__":
    main()
