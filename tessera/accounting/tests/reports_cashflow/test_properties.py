"""Under random posted entries (several cash and counterpart lines, transfers, exchange differences),
every layout ties out: the net increase is closing less opening cash, and the closing line is the
closing cash; the parts of the entries add up to each line. Each example is rolled back."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tessera.accounting.reports_cashflow import cash_flow_entries, cash_flow_statement, cash_flows

D = datetime.date
ACCOUNTS = ("1001", "1002", "1012", "1003", "1122", "220201", "6001", "6602", "2211", "222103", "222104", "1601",
            "2001", "660301", "66030201", "66030202", "4001", "1221")
CENTS = st.integers(min_value=1, max_value=2_000_000)
LEG = st.tuples(st.sampled_from(ACCOUNTS), st.sampled_from(["debit", "credit"]), CENTS)
ENTRY = st.fixed_dictionaries({
    "month": st.integers(min_value=2, max_value=4), "day": st.integers(min_value=1, max_value=28),
    "legs": st.lists(LEG, min_size=1, max_size=5), "balance_on": st.sampled_from(ACCOUNTS),
})


def _post(books, spec):
    legs = [(code, Decimal(cents) / 100 if side == "debit" else Decimal("0"),
             Decimal(cents) / 100 if side == "credit" else Decimal("0")) for code, side, cents in spec["legs"]]
    difference = sum((debit - credit for _code, debit, credit in legs), Decimal("0"))
    if difference:
        legs.append((spec["balance_on"], Decimal("0") if difference > 0 else -difference,
                     difference if difference > 0 else Decimal("0")))
    books.post(D(2026, spec["month"], spec["day"]), *[(code, str(debit), str(credit)) for code, debit, credit in legs])


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(ENTRY, min_size=1, max_size=8))
def test_every_layout_ties_out_under_random_entries(cash_books, entries):
    company = cash_books.company
    with transaction.atomic():
        for spec in entries:
            _post(cash_books, spec)
        march = (D(2026, 3, 1), D(2026, 3, 31))

        for layout in ("cn", "ifrs"):
            statement = cash_flow_statement(company, *march, layout)
            assert statement.ties_out
            assert statement.amount("closing") == statement.closing["period"]
        flows = cash_flows(company, *march)
        assert all(amount >= 0 for amount in flows.totals.values())
        statement = cash_flow_statement(company, *march, "cn")
        for key in ("op_net", "inv_net", "fin_net", "fx"):
            assert cash_flow_entries(company, *march, key, "cn").total == statement.amount(key)
        transaction.set_rollback(True)
