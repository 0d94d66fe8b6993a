"""The bank API: bank accounts, import (preview and commit), the reconciliation statement, statements and
their lines, suggestions and every action, with 400, 403 and 409 answers and Idempotency-Key."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from tessera.accounting.models import (
    Account,
    BankAccount,
    BankStatement,
    BankStatementLine,
    Invoice,
    Payment,
    Period,
)
from tessera.accounting.services.bank_reconcile import statement_line_match
from tessera.accounting.services.periods import period_close
from tessera.core.tests.factories import activate

from .conftest import MARCH, D, cn_csv, lines_of, post_bank_entry

pytestmark = pytest.mark.django_db

ACCOUNTS = "/api/v1/accounting/bank-accounts/"
STATEMENTS = "/api/v1/accounting/bank-statements/"
LINES = "/api/v1/accounting/bank-statement-lines/"


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api(books, accountant, api_client_for):
    return api_client_for(accountant)


def upload(content=None, name="march.csv", **data):
    return {"file": SimpleUploadedFile(name, content if content is not None else cn_csv(MARCH), "text/csv"), **data}


def error(response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


# --- bank accounts -------------------------------------------------------------------------------

def test_create_a_bank_account_once_per_idempotency_key(api, books):
    body = {"name": "CMB Basic", "bank_name": "招商银行", "account_number": "1109 0123 4567 801"}

    first = api.post(ACCOUNTS, body, format="json", HTTP_IDEMPOTENCY_KEY="bank-1")
    again = api.post(ACCOUNTS, body, format="json", HTTP_IDEMPOTENCY_KEY="bank-1")

    assert first.status_code == again.status_code == 201
    data = first.json()
    assert (data["account_code"], data["journal_code"], data["currency_code"], data["unreconciled"]) == (
        "100201", "BNK", "CNY", 0)
    assert data["account"] == Account.objects.get(company=books.company, code="100201").pk
    assert again.json() == data and again["Idempotent-Replayed"] == "true"
    assert BankAccount.objects.count() == 1


def test_create_refuses_a_parent_with_postings(api, books):
    post_bank_entry(books, books.bank, "10.00", D(2026, 3, 1))

    response = api.post(ACCOUNTS, {"name": "CMB", "account_number": "1"}, format="json")

    assert error(response) == (400, "validation_error")
    assert "has postings" in response.json()["error"]["fields"]["account"][0]


def test_list_update_and_delete(api, bank, statement):
    listed = api.get(ACCOUNTS).json()
    renamed = api.patch(f"{ACCOUNTS}{bank.pk}/", {"name": "CMB Main"}, format="json")
    journal = api.patch(f"{ACCOUNTS}{bank.pk}/", {"journal": bank.journal_id}, format="json")
    delete = api.delete(f"{ACCOUNTS}{bank.pk}/")

    assert [(row["name"], row["unreconciled"]) for row in listed["results"]] == [("CMB Basic", 3)]
    assert renamed.status_code == 200 and renamed.json()["name"] == "CMB Main"
    assert renamed.json()["unreconciled"] == 3
    assert error(journal) == (400, "validation_error")
    assert error(delete) == (409, "invalid_state")


def test_delete_a_bank_account_without_statements(api, bank):
    assert api.delete(f"{ACCOUNTS}{bank.pk}/").status_code == 204
    assert BankAccount.objects.count() == 0


def test_an_auditor_reads_but_may_not_write(bank, make_user, api_client_for):
    auditor = api_client_for(make_user("auditor"))

    assert auditor.get(ACCOUNTS).status_code == 200
    refused = auditor.post(ACCOUNTS, {"name": "X", "account_number": "2"}, format="json")
    assert error(refused) == (403, "permission_denied")
    assert "accounting.add_bankaccount" in refused.json()["error"]["message"]


def test_a_salesperson_sees_no_bank_accounts(bank, make_user, api_client_for):
    assert error(api_client_for(make_user("salesperson")).get(ACCOUNTS)) == (403, "permission_denied")


# --- import ----------------------------------------------------------------------------------------

def test_a_dry_run_previews_and_writes_nothing(api, bank):
    response = api.post(f"{ACCOUNTS}{bank.pk}/import/", upload(dry_run="true"), format="multipart")

    assert response.status_code == 200
    data = response.json()
    assert [(row["row"], row["status"], row["amount"]) for row in data["rows"]] == [
        (5, "new", "226.00"), (6, "new", "-15.00"), (7, "new", "-1130.00")]
    assert (data["encoding"], data["mapping_source"], data["opening_balance"], data["closing_balance"]) == (
        "gb18030", "guessed", "10000.00", "9081.00")
    assert (data["new"], data["duplicates"], data["can_import"]) == (3, 0, True)
    assert BankStatement.objects.count() == 0


def test_import_answers_201_with_the_statement_and_the_same_file_again_409(api, bank):
    created = api.post(f"{ACCOUNTS}{bank.pk}/import/", upload(), format="multipart")
    again = api.post(f"{ACCOUNTS}{bank.pk}/import/", upload(), format="multipart")

    assert created.status_code == 201
    data = created.json()
    assert (data["name"], data["state"], data["opening_balance"], data["lines_count"]) == (
        "CMB Basic 2026-03-20 – 2026-03-25", "open", "10000.00", 3)
    assert [line["amount"] for line in data["lines"]] == ["226.00", "-15.00", "-1130.00"]
    assert (data["duplicates_skipped"], data["warnings"]) == (0, [])
    assert error(again) == (409, "duplicate_file")


def test_import_with_an_idempotency_key_replays(api, bank):
    first = api.post(f"{ACCOUNTS}{bank.pk}/import/", upload(), format="multipart", HTTP_IDEMPOTENCY_KEY="imp-1")
    second = api.post(f"{ACCOUNTS}{bank.pk}/import/", upload(), format="multipart", HTTP_IDEMPOTENCY_KEY="imp-1")

    assert first.status_code == second.status_code == 201
    assert second.json()["id"] == first.json()["id"] and second["Idempotent-Replayed"] == "true"
    assert BankStatement.objects.count() == 1


def test_import_with_a_mapping_sent_as_json(api, bank):
    content = b"Booked;Money;Text\n02/03/2026;12,50;Interest\n"
    mapping = '{"date": "Booked", "amount": "Money", "description": "Text", "date_format": "%d/%m/%Y", ' \
              '"decimal_separator": ",", "thousands_separator": ""}'

    response = api.post(f"{ACCOUNTS}{bank.pk}/import/", upload(content, mapping=mapping), format="multipart")

    assert response.status_code == 201
    assert [(line["date"], line["amount"]) for line in response.json()["lines"]] == [("2026-03-02", "12.50")]
    assert BankAccount.objects.get(pk=bank.pk).statement_mapping["date"] == "Booked"


def test_bad_rows_answer_400_with_the_rows(api, bank):
    rows = [*MARCH, ["2026-03-26", "x", "", "", "bad", "X", "", ""]]

    response = api.post(f"{ACCOUNTS}{bank.pk}/import/", upload(cn_csv(rows)), format="multipart")

    assert error(response) == (400, "validation_error")
    assert response.json()["error"]["fields"] == {"rows.8": ["Row 8: “x” is not an amount."]}
    assert BankStatement.objects.count() == 0


@pytest.mark.parametrize(("body", "field"), [
    ({}, "file"), ({"mapping": "not json"}, "mapping"), ({"opening_balance": "abc"}, "opening_balance"),
])
def test_bad_import_input_answers_400(api, bank, body, field):
    data = upload(**body) if body else {}

    response = api.post(f"{ACCOUNTS}{bank.pk}/import/", data, format="multipart")

    assert error(response) == (400, "validation_error")
    assert field in response.json()["error"]["fields"]


def test_an_excel_file_answers_400_on_the_file(api, bank):
    response = api.post(f"{ACCOUNTS}{bank.pk}/import/", upload(b"PK\x03\x04xx", "s.xlsx"), format="multipart")

    assert response.json()["error"]["fields"] == {
        "file": ["This is an Excel workbook: save the statement as CSV and import that file."]}


def test_importing_needs_the_permission(bank, make_user, api_client_for):
    response = api_client_for(make_user("auditor")).post(f"{ACCOUNTS}{bank.pk}/import/", upload(),
                                                         format="multipart")

    assert error(response) == (403, "permission_denied")
    assert "accounting.add_bankstatement" in response.json()["error"]["message"]


# --- the reconciliation statement, ledger lines ---------------------------------------------------

def test_the_reconciliation_statement_as_json_and_csv(api, bank, statement, books):
    post_bank_entry(books, bank.journal, "-500.00", D(2026, 3, 28), description="Rent")

    data = api.get(f"{ACCOUNTS}{bank.pk}/reconciliation/?date=2026-03-31").json()
    csv_file = api.get(f"{ACCOUNTS}{bank.pk}/reconciliation/?date=2026-03-31&format=csv")

    assert {key: data[key] for key in ("ledger_balance", "bank_balance", "adjusted_book_balance",
                                       "adjusted_bank_balance", "difference")} == {
        "ledger_balance": "-500.00", "bank_balance": "9081.00", "adjusted_book_balance": "-1419.00",
        "adjusted_bank_balance": "8581.00", "difference": "-10000.00"}
    assert [item["amount"] for item in data["bank_not_in_books"]] == ["226.00", "-15.00", "-1130.00"]
    assert [item["description"] for item in data["books_not_in_bank"]] == ["Rent"]
    assert csv_file.status_code == 200 and csv_file["Content-Type"].startswith("text/csv")
    assert "Difference,,,-10000.00" in csv_file.content.decode("utf-8-sig")


def test_a_bad_date_answers_400(api, bank):
    assert error(api.get(f"{ACCOUNTS}{bank.pk}/reconciliation/?date=2026-13-01")) == (400, "validation_error")


def test_the_ledger_lines_left_to_match(api, bank, books):
    booked = post_bank_entry(books, bank.journal, "-15.00", D(2026, 3, 21))

    data = api.get(f"{ACCOUNTS}{bank.pk}/ledger-lines/").json()

    assert [(row["id"], row["amount"], row["matched"]) for row in data["results"]] == [(booked.pk, "-15.00", False)]


# --- statements --------------------------------------------------------------------------------------

def test_statements_list_detail_and_filters(api, bank, statement):
    listed = api.get(f"{STATEMENTS}?bank_account={bank.pk}&state=open").json()
    none = api.get(f"{STATEMENTS}?state=reconciled").json()
    detail = api.get(f"{STATEMENTS}{statement.pk}/").json()

    assert [(row["id"], row["lines_count"], row["unreconciled"]) for row in listed["results"]] == [
        (statement.pk, 3, 3)]
    assert none["count"] == 0
    assert [line["reference"] for line in detail["lines"]] == ["PAY-2026-A1", "FEE-2026-03", "PAY-2026-A2"]


def test_delete_a_statement_and_409_once_a_line_is_reconciled(api, bank, statement, books, accountant):
    booked = post_bank_entry(books, bank.journal, "-15.00", D(2026, 3, 21))
    statement_line_match(actor=accountant, line=lines_of(statement)[1], lines=[booked])

    assert error(api.delete(f"{STATEMENTS}{statement.pk}/")) == (409, "invalid_state")
    api.post(f"{LINES}{lines_of(statement)[1].pk}/unmatch/", {}, format="json")
    assert api.delete(f"{STATEMENTS}{statement.pk}/").status_code == 204
    assert BankStatementLine.objects.count() == 0


def test_auto_match(api, bank, statement, books):
    booked = post_bank_entry(books, bank.journal, "-15.00", D(2026, 3, 21))

    response = api.post(f"{STATEMENTS}{statement.pk}/auto-match/", {}, format="json")

    fee = lines_of(statement)[1]
    assert response.status_code == 200
    assert response.json()["matched"] == [fee.pk]
    assert fee.matches.get().journal_line_id == booked.pk


# --- lines and actions ---------------------------------------------------------------------------

def test_lines_list_by_state_and_the_suggestions(api, bank, statement, books):
    booked = post_bank_entry(books, bank.journal, "-15.00", D(2026, 3, 23))

    listed = api.get(f"{LINES}?bank_account={bank.pk}&state=unreconciled").json()
    suggestions = api.get(f"{LINES}{lines_of(statement)[1].pk}/suggestions/").json()

    assert listed["count"] == 3
    assert suggestions == [{"kind": "ledger", "score": 73, "reasons": ["same amount", "2 days apart"],
                            "why": "same amount, 2 days apart", "date": "2026-03-23", "amount": "-15.00",
                            "label": booked.entry.number, "description": "", "lines": [booked.pk],
                            "invoice": None, "partner": None, "partner_name": None}]


def test_match_and_its_refusals(api, bank, statement, books):
    fee = lines_of(statement)[1]
    booked = post_bank_entry(books, bank.journal, "-15.00", D(2026, 3, 21))
    other = post_bank_entry(books, bank.journal, "-16.00", D(2026, 3, 21))
    url = f"{LINES}{fee.pk}/match/"

    mismatch = api.post(url, {"lines": [other.pk]}, format="json")
    missing = api.post(url, {}, format="json")
    stale = api.post(url, {"lines": [booked.pk], "version": 5}, format="json")
    matched = api.post(url, {"lines": [booked.pk], "version": 1}, format="json", HTTP_IDEMPOTENCY_KEY="m-1")
    replay = api.post(url, {"lines": [booked.pk], "version": 1}, format="json", HTTP_IDEMPOTENCY_KEY="m-1")
    twice = api.post(url, {"lines": [booked.pk]}, format="json")
    taken = api.post(f"{LINES}{lines_of(statement)[0].pk}/match/", {"lines": [booked.pk]}, format="json")

    assert error(mismatch) == (409, "amount_mismatch")
    assert error(missing) == (400, "validation_error") and "lines" in missing.json()["error"]["fields"]
    assert error(stale) == (409, "invalid_state")
    assert matched.status_code == 200
    assert (matched.json()["state"], matched.json()["version"]) == ("reconciled", 2)
    assert matched.json()["matches"][0]["journal_line"] == booked.pk
    assert replay.json() == matched.json() and replay["Idempotent-Replayed"] == "true"
    assert error(twice) == (409, "invalid_state")
    assert error(taken) == (409, "already_matched")


def test_actions_need_the_reconcile_permission(bank, statement, make_user, api_client_for):
    auditor = api_client_for(make_user("auditor"))
    fee = lines_of(statement)[1]

    for action in ("match", "create-entry", "create-payment", "ignore", "unignore", "unmatch"):
        response = auditor.post(f"{LINES}{fee.pk}/{action}/", {}, format="json")
        assert error(response) == (403, "permission_denied"), action
        assert "accounting.reconcile_bankaccount" in response.json()["error"]["message"]
    assert auditor.get(f"{LINES}{fee.pk}/suggestions/").status_code == 200
    assert error(auditor.post(f"{STATEMENTS}{statement.pk}/auto-match/", {}, format="json")) == (
        403, "permission_denied")


def test_create_entry_and_a_closed_period(api, books, statement, accountant):
    fee, supplier = lines_of(statement)[1:]
    charges = Account.objects.get(company=books.company, code="660303")

    created = api.post(f"{LINES}{fee.pk}/create-entry/", {"account": charges.pk, "description": "CMB fee"},
                       format="json")
    period_close(actor=accountant, period=Period.objects.get(company=books.company, start_on=D(2026, 3, 1)))
    closed = api.post(f"{LINES}{supplier.pk}/create-entry/", {"account": charges.pk}, format="json")
    bad = api.post(f"{LINES}{supplier.pk}/create-entry/", {"account": "x"}, format="json")

    assert created.status_code == 200
    assert created.json()["matches"][0]["created_entry"] is True
    assert created.json()["matches"][0]["description"] == "CMB fee"
    assert error(closed) == (409, "period_closed")
    assert error(bad) == (400, "validation_error")


def test_create_payment_settles_the_invoice(api, books, statement):
    invoice = books.invoice(("100.00", 2))

    response = api.post(f"{LINES}{lines_of(statement)[0].pk}/create-payment/",
                        {"partner": books.customer.pk, "allocations": [{"invoice": invoice.pk}]}, format="json")

    assert response.status_code == 200 and response.json()["state"] == "reconciled"
    assert Invoice.objects.get(pk=invoice.pk).state == "paid"
    assert Payment.objects.get().amount == Decimal("226.00")


def test_ignore_unignore_and_unmatch(api, statement):
    fee = lines_of(statement)[1]

    ignored = api.post(f"{LINES}{fee.pk}/ignore/", {}, format="json")
    ignored_twice = api.post(f"{LINES}{fee.pk}/ignore/", {}, format="json")
    back = api.post(f"{LINES}{fee.pk}/unignore/", {"version": 2}, format="json")
    unmatch = api.post(f"{LINES}{fee.pk}/unmatch/", {}, format="json")

    assert ignored.json()["state"] == "ignored"
    assert error(ignored_twice) == (409, "invalid_state")
    assert back.json()["state"] == "unreconciled"
    assert error(unmatch) == (409, "invalid_state")


def test_another_companys_line_is_not_found(api, statement, other_company, make_user, api_client_for):
    activate(other_company, "accounting")
    outsider = api_client_for(make_user("accounting_manager", username="outsider", companies=[other_company]))

    assert error(outsider.get(f"{LINES}{lines_of(statement)[0].pk}/")) == (404, "not_found")
    assert error(outsider.post(f"{LINES}{lines_of(statement)[0].pk}/ignore/", {}, format="json")) == (
        404, "not_found")
