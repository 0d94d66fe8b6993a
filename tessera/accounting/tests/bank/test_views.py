"""The bank screens: bank accounts, the import steps, statements, the reconciliation screen and its
actions (htmx and plain posts), the reconciliation statement with its files, access, and Chinese."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from tessera.accounting.models import Account, BankAccount, BankStatement, BankStatementLine, Invoice, Payment
from tessera.accounting.services.bank_reconcile import statement_line_ignore, statement_line_match

from .conftest import MARCH, D, cn_csv, lines_of, post_bank_entry

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def web(client_for, accountant, books):
    return client_for(accountant)


def fresh(line) -> BankStatementLine:
    return BankStatementLine.objects.get(pk=line.pk)


# --- bank accounts ---------------------------------------------------------------------------------

def test_the_menu_has_bank_reconciliation_and_bank_accounts(web):
    navigation = web.get(reverse("home")).context["navigation"]

    entries = next(module for module in navigation if module["code"] == "accounting")["entries"]
    assert {entry["label"]: entry["url"] for entry in entries}["Bank reconciliation"] == "/accounting/bank/reconcile/"
    assert {entry["label"]: entry["url"] for entry in entries}["Bank accounts"] == "/accounting/bank/accounts/"


def test_create_a_bank_account_on_its_form(web, books):
    response = web.post(reverse("accounting:bankaccount_create"), {
        "name": "CMB Basic", "bank_name": "招商银行", "account_number": "1109 0123 4567 801", "currency": "",
        "account": "", "journal": ""})

    bank = BankAccount.objects.get()
    assert response.status_code == 302 and response.url == reverse("accounting:bankaccount_detail", args=[bank.pk])
    assert bank.journal.default_account.code == "100201"


def test_the_form_shows_why_the_parent_cannot_be_split(web, books):
    post_bank_entry(books, books.bank, "10.00", D(2026, 3, 1))

    response = web.post(reverse("accounting:bankaccount_create"), {"name": "CMB", "account_number": "1"})

    assert response.status_code == 200
    assert "has postings, so it cannot take a sub-account" in response.content.decode()


def test_list_detail_edit_and_delete(web, bank, statement):
    listed = web.get(reverse("accounting:bankaccount_list"))
    detail = web.get(reverse("accounting:bankaccount_detail", args=[bank.pk]))
    edited = web.post(reverse("accounting:bankaccount_update", args=[bank.pk]),
                      {"name": "CMB Main", "bank_name": "招商银行", "account_number": bank.account_number,
                       "is_active": "on"})
    deleted = web.post(reverse("accounting:bankaccount_delete", args=[bank.pk]), follow=True)

    assert [row[1][0] for row in listed.context["rows"]] == ["CMB Basic"]
    html = detail.content.decode()
    assert "100201 招商银行 7801" in html and "3 lines" in html and statement.name in html
    assert edited.status_code == 302 and BankAccount.objects.get().name == "CMB Main"
    assert "has statements: deactivate it instead" in deleted.content.decode()


# --- import ----------------------------------------------------------------------------------------

def import_url(bank):
    return reverse("accounting:bankaccount_import", args=[bank.pk])


def test_upload_shows_the_mapping_and_the_preview(web, bank):
    response = web.post(import_url(bank), {"step": "upload",
                                           "file": SimpleUploadedFile("march.csv", cn_csv(MARCH))})

    assert response.status_code == 200
    preview = response.context["preview"]
    assert [row.status for row in preview.rows] == ["new", "new", "new"]
    form = response.context["mapping_form"]
    assert (form["withdrawal"].value(), form["deposit"].value(), form["balance"].value()) == (
        "借方发生额", "贷方发生额", "余额")
    html = response.content.decode()
    assert "columns guessed from the headers" in html and "Import 3 lines" in html
    assert BankStatement.objects.count() == 0


def mapping_post(response, **changes) -> dict:
    form = response.context["mapping_form"]
    data = {"token": response.context["token"], "headers": response.context["headers"]}
    for name in form.fields:
        value = form[name].value()
        data[name] = value if value is not None else ""
    data.update(changes)
    return data


def test_confirm_imports_and_goes_to_the_reconciliation(web, bank):
    preview = web.post(import_url(bank), {"step": "upload", "file": SimpleUploadedFile("m.csv", cn_csv(MARCH))})
    staged = Path(settings.DATA_DIR) / "bank-imports" / f"{preview.context['token']}.csv"
    assert staged.exists()

    response = web.post(import_url(bank), mapping_post(preview, step="import"), follow=True)

    statement = BankStatement.objects.get()
    assert response.redirect_chain[-1][0] == reverse("accounting:bankaccount_reconcile", args=[bank.pk]) + \
        f"?statement={statement.pk}"
    assert f"Statement {statement.name} imported: 3 lines." in response.content.decode()
    assert BankAccount.objects.get(pk=bank.pk).statement_mapping["withdrawal"] == "借方发生额"
    assert not staged.exists()


def test_a_changed_mapping_is_previewed_again_with_its_errors(web, bank):
    preview = web.post(import_url(bank), {"step": "upload", "file": SimpleUploadedFile("m.csv", cn_csv(MARCH))})

    response = web.post(import_url(bank), mapping_post(preview, step="preview", withdrawal="", deposit=""))

    assert response.context["preview"].parsed.mapping_errors["mapping.amount"] == [
        "Choose the amount column, or the money in and money out columns."]
    assert "Choose the amount column" in response.content.decode()


def test_bad_rows_are_listed_and_the_import_stays_off(web, bank):
    rows = [*MARCH, ["2026-03-26", "abc", "", "", "bad", "X", "", ""]]

    response = web.post(import_url(bank), {"step": "upload", "file": SimpleUploadedFile("m.csv", cn_csv(rows))})

    html = response.content.decode()
    assert "“abc” is not an amount." in html
    assert response.context["preview"].can_import is False


def test_a_broken_file_is_refused_on_the_upload_form(web, bank):
    response = web.post(import_url(bank), {"step": "upload", "file": SimpleUploadedFile("s.pdf", b"%PDF-1.4")})

    assert "This is a PDF: ask the bank for the statement as CSV." in response.content.decode()


def test_an_unknown_token_asks_for_the_file_again(web, bank):
    response = web.post(import_url(bank), {"step": "import", "token": "0" * 32, "headers": ["a"]}, follow=True)

    assert "The uploaded file is no longer available" in response.content.decode()


# --- statements ------------------------------------------------------------------------------------

def test_statement_list_detail_auto_match_and_delete(web, bank, statement, books):
    post_bank_entry(books, bank.journal, "-15.00", D(2026, 3, 21))

    listed = web.get(reverse("accounting:bankstatement_list"))
    detail = web.get(reverse("accounting:bankstatement_detail", args=[statement.pk]))
    matched = web.post(reverse("accounting:bankstatement_auto_match", args=[statement.pk]), follow=True)
    deleted = web.post(reverse("accounting:bankstatement_delete", args=[statement.pk]), follow=True)

    assert [row[0] for row in listed.context["rows"]] == [statement]
    assert "FEE-2026-03" in detail.content.decode()
    assert "1 lines matched." in matched.content.decode()
    assert "has reconciled lines" in deleted.content.decode()


# --- the reconciliation screen -------------------------------------------------------------------

def reconcile_url(bank):
    return reverse("accounting:bankaccount_reconcile", args=[bank.pk])


def test_the_screen_lists_lines_with_their_suggestions_and_the_count(web, bank, statement, books):
    post_bank_entry(books, bank.journal, "-15.00", D(2026, 3, 22))

    response = web.get(reconcile_url(bank))

    cards = response.context["cards"]
    assert [card["line"].reference for card in cards] == ["PAY-2026-A1", "FEE-2026-03", "PAY-2026-A2"]
    assert [len(card["suggestions"]) for card in cards] == [0, 1, 0]
    html = response.content.decode()
    assert "3 lines left to reconcile" in html and "same amount, 1 day apart" in html


def test_one_click_on_a_suggestion_matches_and_answers_the_card(web, bank, statement, books):
    booked = post_bank_entry(books, bank.journal, "-15.00", D(2026, 3, 22))
    fee = lines_of(statement)[1]

    response = web.post(reverse("accounting:bankstatementline_match", args=[fee.pk]),
                        {"lines": [booked.pk], "version": 1}, **HTMX)

    assert fresh(fee).state == "reconciled"
    html = response.content.decode()
    assert f'id="line-{fee.pk}"' in html and "Matched." in html and 'hx-swap-oob="true"' in html
    assert "2 lines left to reconcile" in html


def test_a_plain_post_goes_back_with_a_message(web, bank, statement, books):
    booked = post_bank_entry(books, bank.journal, "-15.00", D(2026, 3, 22))
    fee = lines_of(statement)[1]

    response = web.post(reverse("accounting:bankstatementline_match", args=[fee.pk]),
                        {"lines": [booked.pk], "next": reconcile_url(bank) + "?show=all"})

    assert response.status_code == 302 and response.url == reconcile_url(bank) + "?show=all"


def test_a_refused_match_shows_on_the_card(web, bank, statement, books):
    other = post_bank_entry(books, bank.journal, "-16.00", D(2026, 3, 22))
    fee = lines_of(statement)[1]

    response = web.post(reverse("accounting:bankstatementline_match", args=[fee.pk]),
                        {"lines": [other.pk], "manual": "1"}, **HTMX)

    assert "The ledger lines add up to -16.00, the statement line is -15.00." in response.content.decode()
    assert response.context["card"]["panel"] == "match"
    assert fresh(fee).state == "unreconciled"


@pytest.mark.parametrize("panel", ["match", "entry", "payment"])
def test_the_panels_open_in_the_card_or_on_the_lines_page(web, statement, panel):
    url = reverse("accounting:bankstatementline_detail", args=[lines_of(statement)[0].pk]) + f"?panel={panel}"

    partial = web.get(url, **HTMX)
    page = web.get(url)

    assert partial.status_code == page.status_code == 200
    assert f'data-testid="{panel}-panel"' in partial.content.decode()
    assert "<html" not in partial.content.decode() and "<html" in page.content.decode()


def test_the_payment_panel_proposes_the_counterpartys_open_invoices(web, books, statement):
    invoice = books.invoice(("100.00", 2))

    response = web.get(reverse("accounting:bankstatementline_detail", args=[lines_of(statement)[0].pk])
                       + "?panel=payment", **HTMX)

    card = response.context["card"]
    assert card["payment_form"].initial["partner"] == books.customer
    assert [(row["invoice"], row["amount"]) for row in card["rows"]] == [(invoice, "226.00")]


def test_write_an_entry_from_the_card(web, books, bank, statement):
    fee = lines_of(statement)[1]
    charges = Account.objects.get(company=books.company, code="660303")

    missing = web.post(reverse("accounting:bankstatementline_create_entry", args=[fee.pk]), {"account": ""}, **HTMX)
    done = web.post(reverse("accounting:bankstatementline_create_entry", args=[fee.pk]),
                    {"account": charges.pk, "description": "CMB fee"}, **HTMX)

    assert missing.context["card"]["entry_form"].errors["account"] == ["This field is required."]
    assert fresh(fee).state == "reconciled"
    assert "posted and matched." in done.content.decode()


def test_the_entry_form_remembers_the_account_of_the_same_description(web, books, statement, accountant):
    from tessera.accounting.services.bank_import import statement_import

    fee = lines_of(statement)[1]
    charges = Account.objects.get(company=books.company, code="660303")
    web.post(reverse("accounting:bankstatementline_create_entry", args=[fee.pk]), {"account": charges.pk})
    april = statement_import(actor=accountant, bank_account=statement.bank_account,
                             content=cn_csv([["2026-04-21", "15.00", "", "", "手续费", "FEE-2026-04", "", ""]]))

    response = web.get(reverse("accounting:bankstatementline_detail", args=[lines_of(april)[0].pk]) + "?panel=entry",
                       **HTMX)

    assert response.context["card"]["entry_form"].initial["account"] == charges.pk


def test_register_a_payment_from_the_card(web, books, statement):
    invoice = books.invoice(("100.00", 2))
    first = lines_of(statement)[0]

    web.post(reverse("accounting:bankstatementline_create_payment", args=[first.pk]),
             {"partner": books.customer.pk, f"allocation-{invoice.pk}": "226.00", "reference": "", "description": ""},
             **HTMX)

    assert Invoice.objects.get(pk=invoice.pk).state == "paid"
    assert Payment.objects.get().state == "posted"
    assert fresh(first).state == "reconciled"


def test_ignore_unignore_and_unmatch_from_the_screen(web, bank, statement, books, accountant):
    fee, supplier = lines_of(statement)[1:]
    booked = post_bank_entry(books, bank.journal, "-1130.00", D(2026, 3, 25))
    statement_line_match(actor=accountant, line=supplier, lines=[booked])

    web.post(reverse("accounting:bankstatementline_ignore", args=[fee.pk]), {}, **HTMX)
    assert fresh(fee).state == "ignored"
    web.post(reverse("accounting:bankstatementline_unignore", args=[fee.pk]), {}, **HTMX)
    assert fresh(fee).state == "unreconciled"
    response = web.post(reverse("accounting:bankstatementline_unmatch", args=[supplier.pk]), {}, **HTMX)
    assert fresh(supplier).state == "unreconciled"
    assert "Unmatched: the line is to reconcile again." in response.content.decode()


@pytest.mark.parametrize("show", ["reconciled", "ignored", "all"])
def test_the_other_lists(web, bank, statement, accountant, show):
    statement_line_ignore(actor=accountant, line=lines_of(statement)[1])

    response = web.get(reconcile_url(bank) + f"?show={show}&statement={statement.pk}&q=")

    expected = {"reconciled": [], "ignored": ["FEE-2026-03"], "all": ["PAY-2026-A1", "FEE-2026-03", "PAY-2026-A2"]}
    assert [card["line"].reference for card in response.context["cards"]] == expected[show]


def test_the_search_finds_text_and_amounts(web, bank, statement):
    by_text = web.get(reconcile_url(bank) + "?q=手续费")
    by_amount = web.get(reconcile_url(bank) + "?q=-1,130.00")

    assert [card["line"].reference for card in by_text.context["cards"]] == ["FEE-2026-03"]
    assert [card["line"].reference for card in by_amount.context["cards"]] == ["PAY-2026-A2"]


def test_the_home_lists_the_bank_accounts(web, bank, statement):
    response = web.get(reverse("accounting:bank_reconcile_home"))

    assert "3 lines to reconcile" in response.content.decode()


# --- the reconciliation statement -----------------------------------------------------------------

def test_the_reconciliation_statement_and_its_files(web, bank, statement):
    url = reverse("accounting:bankaccount_reconciliation", args=[bank.pk]) + "?date=2026-03-31"

    page = web.get(url)
    files = {fmt: web.get(url + f"&export={fmt}") for fmt in ("csv", "xlsx")}

    assert page.context["report"].bank_balance == Decimal("9081.00")
    html = page.content.decode()
    assert "Balance per bank statement" in html and "The adjusted balances differ by" in html
    assert files["csv"]["Content-Type"].startswith("text/csv")
    assert files["xlsx"].content[:2] == b"PK"


# --- access and language ---------------------------------------------------------------------------

@pytest.mark.parametrize("url_name", ["bankaccount_list", "bank_reconcile_home", "bankstatement_list"])
def test_a_salesperson_is_refused_with_the_reason(client_for, make_user, books, url_name):
    response = client_for(make_user("salesperson")).get(reverse(f"accounting:{url_name}"))

    assert response.status_code == 403
    assert "Your roles do not grant the permission" in response.content.decode()


def test_an_auditor_sees_the_screen_without_actions_and_is_refused_them(client_for, make_user, bank, statement):
    auditor = client_for(make_user("auditor"))
    fee = lines_of(statement)[1]

    page = auditor.get(reconcile_url(bank))
    refused = auditor.post(reverse("accounting:bankstatementline_ignore", args=[fee.pk]))

    assert page.status_code == 200 and 'data-testid="ignore"' not in page.content.decode()
    assert refused.status_code == 403 and "accounting.reconcile_bankaccount" in refused.content.decode()
    assert auditor.get(import_url(bank)).status_code == 403
    assert fresh(fee).state == "unreconciled"


def test_the_screens_render_in_chinese(web, bank, statement):
    with translation.override("zh-hans"):
        pages = [web.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans") for url in (
            reconcile_url(bank), reverse("accounting:bankaccount_detail", args=[bank.pk]), import_url(bank),
            reverse("accounting:bankaccount_reconciliation", args=[bank.pk]),
            reverse("accounting:bankstatement_detail", args=[statement.pk]), reverse("accounting:bank_reconcile_home"))]

    assert [page.status_code for page in pages] == [200] * 6
    assert all('lang="zh-hans"' in page.content.decode() for page in pages)
