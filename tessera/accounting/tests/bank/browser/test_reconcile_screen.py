"""In Chromium: import a small GBK statement through its screens, then reconcile on the reconciliation
screen — one click on a suggestion, an entry written for a bank charge, two ledger lines ticked by hand
(the panel adds them up) — while the count of lines left follows."""

import pytest

from tessera.accounting.models import Account, BankStatementLine
from tessera.accounting.tests.browser.test_entry_form import sign_in

from ..conftest import MARCH, D, cn_csv, post_bank_entry

pytestmark = pytest.mark.django_db(transaction=True)


def test_import_a_statement_and_reconcile_it_on_the_screen(page, live_server, books, bank, accountant, tmp_path):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    invoice = books.invoice(("100.00", 2))
    books.payment("226.00", (invoice, "226.00"), date=D(2026, 3, 18), reference="PAY-2026-A1")
    part_one = post_bank_entry(books, bank.journal, "-1000.00", D(2026, 3, 25), description="Paper")
    part_two = post_bank_entry(books, bank.journal, "-130.00", D(2026, 3, 25), description="VAT on paper")
    statement_file = tmp_path / "march.csv"
    statement_file.write_bytes(cn_csv(MARCH))
    sign_in(page, live_server.url, accountant.username)

    page.goto(f"{live_server.url}/accounting/bank/accounts/{bank.pk}/import/")
    page.set_input_files("input[name=file]", str(statement_file))
    page.click("[data-testid=upload]")
    page.wait_for_selector("[data-testid=preview-rows]")
    assert page.locator("[data-testid=preview-rows] tbody tr[data-status=new]").count() == 3
    page.click("[data-testid=confirm-import]")
    page.wait_for_selector("[data-testid=reconcile-lines]")

    first, fee, supplier = BankStatementLine.objects.order_by("sequence")
    assert page.inner_text("[data-testid=left-count]") == "3 lines left to reconcile"

    card = page.locator(f"#line-{first.pk}")
    assert "reference PAY-2026-A1" in card.inner_text()
    card.locator("[data-testid=match-suggestion]").first.click()
    page.wait_for_selector(f"#line-{first.pk}[data-state=reconciled]")
    assert page.inner_text("[data-testid=left-count]") == "2 lines left to reconcile"

    page.locator(f"#line-{fee.pk} [data-testid=panel-entry]").click()
    page.wait_for_selector(f"#line-{fee.pk} [data-testid=entry-panel]")
    charges = Account.objects.get(company=books.company, code="660303")
    page.select_option(f"#line-{fee.pk}-account", str(charges.pk))
    page.locator(f"#line-{fee.pk} [data-testid=post-entry]").click()
    page.wait_for_selector(f"#line-{fee.pk}[data-state=reconciled]")
    assert "posted and matched." in page.inner_text(f"#line-{fee.pk}")

    page.locator(f"#line-{supplier.pk} [data-testid=panel-match]").click()
    page.wait_for_selector(f"#line-{supplier.pk} [data-testid=match-panel]")
    submit = page.locator(f"#line-{supplier.pk} [data-testid=match-selected]")
    assert submit.is_disabled()
    page.check(f"#line-{supplier.pk}-candidate-{part_one.pk}")
    assert page.inner_text(f"#line-{supplier.pk} [data-match-difference]") == "-130.00"
    page.check(f"#line-{supplier.pk}-candidate-{part_two.pk}")
    assert page.inner_text(f"#line-{supplier.pk} [data-match-total]") == "-1,130.00"
    assert submit.is_enabled()
    submit.click()
    page.wait_for_selector(f"#line-{supplier.pk}[data-state=reconciled]")

    assert page.inner_text("[data-testid=left-count]") == "0 lines left to reconcile"
    assert sorted(BankStatementLine.objects.values_list("state", flat=True)) == ["reconciled"] * 3
    assert errors == []


def test_the_screen_fits_a_phone(browser, live_server, statement, accountant):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, live_server.url, accountant.username)

    page.goto(f"{live_server.url}/accounting/bank/reconcile/{statement.bank_account_id}/")

    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.locator("[data-testid=ignore]").first.is_visible()
    context.close()
