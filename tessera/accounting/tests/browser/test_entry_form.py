"""In Chromium: the entry form's debit/credit totals and difference follow the typing, lines can be added,
and Save and post posts the voucher."""

import pytest

from tessera.accounting.models import JournalEntry
from tessera.core.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, base_url, username):
    page.goto(f"{base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")


def test_the_totals_follow_the_typing_and_save_and_post_posts(page, live_server, ledger, accountant):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, live_server.url, accountant.username)
    page.goto(f"{live_server.url}/accounting/entries/new/")
    page.fill("input[name=date]", "2026-03-05")
    page.fill("input[name=description]", "Office supplies")

    page.select_option("select[name=lines-0-account]", str(ledger.expense.pk))
    page.fill("input[name=lines-0-debit]", "1234.50")
    page.select_option("select[name=lines-1-account]", str(ledger.cash.pk))
    page.fill("input[name=lines-1-credit]", "1000")

    assert page.inner_text("#total-debit") == "1,234.50"
    assert page.inner_text("#total-credit") == "1,000.00"
    assert page.inner_text("#total-difference") == "234.50"
    assert page.inner_text("#balance-state") == "Not balanced"

    page.click("[data-testid=add-line]")
    assert page.locator("#entry-lines-body tr.entry-line").count() == 3
    assert page.input_value("input[name=lines-TOTAL_FORMS]") == "3"
    page.select_option("select[name=lines-2-account]", str(ledger.bank.pk))
    page.fill("input[name=lines-2-credit]", "234.5")

    assert page.inner_text("#total-credit") == "1,234.50"
    assert page.inner_text("#total-difference") == "0.00"
    assert page.inner_text("#balance-state") == "Balanced"

    with page.expect_navigation():
        page.click("[data-testid=save-and-post]")

    entry = JournalEntry.objects.get()
    assert entry.state == "posted"
    assert [line.account.code for line in entry.lines.order_by("sequence")] == ["6602", "1001", "1002"]
    assert f"Entry {entry.number} is posted." in page.content()
    assert errors == []


def test_a_removed_line_leaves_the_totals_and_is_not_saved(page, live_server, ledger, accountant):
    sign_in(page, live_server.url, accountant.username)
    page.goto(f"{live_server.url}/accounting/entries/new/")
    page.fill("input[name=date]", "2026-03-05")
    page.select_option("select[name=lines-0-account]", str(ledger.expense.pk))
    page.fill("input[name=lines-0-debit]", "50")
    page.select_option("select[name=lines-1-account]", str(ledger.cash.pk))
    page.fill("input[name=lines-1-credit]", "50")
    page.click("[data-testid=add-line]")
    page.select_option("select[name=lines-2-account]", str(ledger.bank.pk))
    page.fill("input[name=lines-2-credit]", "70")
    assert page.inner_text("#total-difference") == "-70.00"

    page.locator("#entry-lines-body tr.entry-line").nth(2).locator("[data-remove-line]").click()

    assert page.inner_text("#total-difference") == "0.00"
    with page.expect_navigation():
        page.click("button[name=save]")
    assert JournalEntry.objects.get().lines.count() == 2
