"""`accounting/entries/`: drafts with nested lines, posting, reversal, and the 400/403/409 answers."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from tessera.accounting.models import AccountBalance, JournalEntry, JournalEntryLine, Period
from tessera.accounting.services.ledger import entry_create, entry_post
from tessera.accounting.services.periods import period_close
from tessera.accounting.tests.factories import AccountFactory, make_ledger
from tessera.core.models import CompanyModule
from tessera.core.tests.factories import activate

pytestmark = pytest.mark.django_db

ENTRIES = "/api/v1/accounting/entries/"


def _item(entry) -> str:
    return f"{ENTRIES}{entry.pk}/"


def _posted(ledger, accountant, **data):
    lines = [{"account": ledger.cash, "debit": "50.00"}, {"account": ledger.revenue, "credit": "50.00"}]
    entry = entry_create(actor=accountant, company=ledger.company,
                         data={"journal": ledger.journal, "date": data.pop("date", "2026-03-10"), **data}, lines=lines)
    return entry_post(actor=accountant, entry=entry)


# --- Drafts ------------------------------------------------------------------------------------


def test_creating_an_entry_gives_a_draft_without_number(api, entry_body, ledger):
    response = api.post(ENTRIES, entry_body(), format="json")

    assert response.status_code == 201
    body = response.json()
    assert (body["state"], body["number"], body["period"], body["hash"]) == ("draft", None, None, "")
    assert (body["total_debit"], body["total_credit"]) == ("113.00", "113.00")
    assert [(line["account"], line["debit"], line["credit"]) for line in body["lines"]] == [
        (ledger.cash.pk, "113.00", "0.00"), (ledger.revenue.pk, "0.00", "100.00"),
        (ledger.output_vat.pk, "0.00", "13.00"),
    ]
    entry = JournalEntry.objects.get(pk=body["id"])
    assert entry.company == ledger.company
    assert entry.lines.count() == 3


def test_a_float_amount_in_a_line_is_refused(api, entry_body, ledger):
    body = entry_body()
    body["lines"][0]["debit"] = 113.0

    response = api.post(ENTRIES, body, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "lines.0.debit": ['Send this value as a decimal string such as "12.50", not as a JSON number.']
    }
    assert not JournalEntry.objects.exists()


@pytest.mark.parametrize(("field", "value"), [
    ("company", 1), ("state", "posted"), ("number", "记-202603-0001"), ("period", 1), ("total_debit", "1.00"),
    ("hash", "x"),
])
def test_server_set_fields_in_the_body_are_refused(api, entry_body, field, value):
    response = api.post(ENTRIES, entry_body(**{field: value}), format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {field: ["This field is set by Tessera and cannot be written."]}
    assert not JournalEntry.objects.exists()


def test_a_line_with_debit_and_credit_is_refused_on_the_line(api, entry_body, ledger):
    body = entry_body()
    body["lines"][1]["debit"] = "5.00"

    response = api.post(ENTRIES, body, format="json")

    assert response.status_code == 400
    message = "A line has either a debit or a credit, not both."
    assert response.json()["error"]["fields"] == {"lines.1.credit": [message]}
    assert not JournalEntry.objects.exists()


def test_a_line_on_a_parent_account_is_refused(api, entry_body, ledger):
    AccountFactory(company=ledger.company, code="100201", name="Bank A", type="asset", parent=ledger.bank)
    body = entry_body()
    body["lines"][0]["account"] = ledger.bank.pk

    response = api.post(ENTRIES, body, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"lines.0.account": ["Post to a leaf account: 1002 has sub-accounts."]}
    assert not JournalEntry.objects.exists()


def test_another_companys_account_is_unknown(api, entry_body, other_company):
    foreign = AccountFactory(company=other_company, code="1001", type="asset")
    body = entry_body()
    body["lines"][0]["account"] = foreign.pk

    response = api.post(ENTRIES, body, format="json")

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"lines.0.account"}
    assert not JournalEntry.objects.exists()


def test_patch_with_lines_replaces_the_lines(api, entry_body, ledger):
    entry = JournalEntry.objects.get(pk=api.post(ENTRIES, entry_body(), format="json").json()["id"])
    lines = [{"account": ledger.bank.pk, "debit": "20.00"}, {"account": ledger.revenue.pk, "credit": "20.00"}]

    response = api.patch(_item(entry), {"lines": lines, "description": "Bank sale", "version": 1}, format="json")

    assert response.status_code == 200
    assert response.json()["version"] == 2
    entry.refresh_from_db()
    assert entry.description == "Bank sale"
    assert list(entry.lines.values_list("account", "debit", "credit")) == [
        (ledger.bank.pk, 20, 0), (ledger.revenue.pk, 0, 20)]


def test_patch_with_a_stale_version_is_refused(api, entry_body):
    entry = JournalEntry.objects.get(pk=api.post(ENTRIES, entry_body(), format="json").json()["id"])
    api.patch(_item(entry), {"description": "First"}, format="json")

    response = api.patch(_item(entry), {"description": "Second", "version": 1}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_state"
    entry.refresh_from_db()
    assert entry.description == "First"


def test_a_version_in_a_create_is_refused(api, entry_body):
    response = api.post(ENTRIES, entry_body(version=1), format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"version": ["Send the version only when changing an entry."]}
    assert not JournalEntry.objects.exists()


def test_a_draft_is_deleted(api, entry_body):
    entry_id = api.post(ENTRIES, entry_body(), format="json").json()["id"]

    response = api.delete(f"{ENTRIES}{entry_id}/")

    assert response.status_code == 204
    assert not JournalEntry.objects.exists()
    assert not JournalEntryLine.objects.exists()


# --- Posting -----------------------------------------------------------------------------------


def test_posting_numbers_the_entry(api, entry_body):
    entry_id = api.post(ENTRIES, entry_body(), format="json").json()["id"]

    response = api.post(f"{ENTRIES}{entry_id}/post/")

    assert response.status_code == 200
    body = response.json()
    assert (body["state"], body["number"]) == ("posted", "记-202603-0001")
    assert body["period"] == Period.objects.get(name="2026-03").pk
    assert len(body["hash"]) == 64
    assert JournalEntry.objects.get(pk=entry_id).state == "posted"


def test_an_unbalanced_entry_is_not_posted(api, entry_body, ledger):
    body = entry_body()
    body["lines"][2]["credit"] = "12.00"
    entry_id = api.post(ENTRIES, body, format="json").json()["id"]

    response = api.post(f"{ENTRIES}{entry_id}/post/")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "unbalanced_entry"
    entry = JournalEntry.objects.get(pk=entry_id)
    assert (entry.state, entry.number) == ("draft", None)
    assert not AccountBalance.objects.exists()


def test_an_entry_in_a_closed_period_is_not_posted(api, entry_body, ledger, accountant):
    period_close(actor=accountant, period=Period.objects.get(company=ledger.company, name="2026-03"))
    entry_id = api.post(ENTRIES, entry_body(), format="json").json()["id"]

    response = api.post(f"{ENTRIES}{entry_id}/post/")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "period_closed"
    assert JournalEntry.objects.get(pk=entry_id).state == "draft"


def test_posting_twice_is_an_invalid_state(api, ledger, accountant):
    entry = _posted(ledger, accountant)

    response = api.post(f"{_item(entry)}post/")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_state"


def test_the_same_idempotency_key_posts_once(api, entry_body, ledger):
    entry_id = api.post(ENTRIES, entry_body(), format="json").json()["id"]

    first = api.post(f"{ENTRIES}{entry_id}/post/", HTTP_IDEMPOTENCY_KEY="post-1")
    second = api.post(f"{ENTRIES}{entry_id}/post/", HTTP_IDEMPOTENCY_KEY="post-1")

    assert (first.status_code, second.status_code) == (200, 200)
    assert second["Idempotent-Replayed"] == "true"
    assert second.json() == first.json()
    cash = AccountBalance.objects.filter(account=ledger.cash).aggregate(debit=Sum("debit"))["debit"]
    assert cash == Decimal("113.00")


def test_a_posted_entry_is_not_changed(api, ledger, accountant):
    entry = _posted(ledger, accountant, description="Original")

    response = api.patch(_item(entry), {"description": "Changed"}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_state"
    entry.refresh_from_db()
    assert entry.description == "Original"


def test_a_posted_entry_is_not_deleted(api, ledger, accountant):
    entry = _posted(ledger, accountant)

    response = api.delete(_item(entry))

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_state"
    assert JournalEntry.objects.filter(pk=entry.pk, state="posted").exists()


# --- Reversal ----------------------------------------------------------------------------------


def test_reversing_posts_an_entry_with_swapped_lines(api, ledger, accountant):
    entry = _posted(ledger, accountant)

    response = api.post(f"{_item(entry)}reverse/", {"date": "2026-04-02", "description": "Wrong customer"},
                        format="json")

    assert response.status_code == 201
    body = response.json()
    assert (body["state"], body["number"], body["date"]) == ("posted", "记-202604-0001", "2026-04-02")
    assert (body["reversal_of"], body["description"]) == (entry.pk, "Wrong customer")
    assert [(line["account"], line["debit"], line["credit"]) for line in body["lines"]] == [
        (ledger.cash.pk, "0.00", "50.00"), (ledger.revenue.pk, "50.00", "0.00")]
    assert api.get(_item(entry)).json()["reversed_by"] == body["id"]


def test_a_draft_is_not_reversed(api, entry_body):
    entry_id = api.post(ENTRIES, entry_body(), format="json").json()["id"]

    response = api.post(f"{ENTRIES}{entry_id}/reverse/", {}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_state"
    assert JournalEntry.objects.count() == 1


def test_a_reversal_into_a_closed_period_is_refused(api, ledger, accountant):
    entry = _posted(ledger, accountant)
    period_close(actor=accountant, period=Period.objects.get(company=ledger.company, name="2026-04"))

    response = api.post(f"{_item(entry)}reverse/", {"date": "2026-04-02"}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "period_closed"
    assert JournalEntry.objects.count() == 1


# --- Reading -----------------------------------------------------------------------------------


def test_entries_filter_by_account_and_dates(api, ledger, accountant):
    march = _posted(ledger, accountant, date="2026-03-10")
    _posted(ledger, accountant, date="2026-05-10")
    entry_create(actor=accountant, company=ledger.company, data={"journal": ledger.journal, "date": "2026-03-11"},
                 lines=[{"account": ledger.bank, "debit": "1.00"}, {"account": ledger.expense, "credit": "1.00"}])

    response = api.get(ENTRIES, {"account": ledger.cash.pk, "date_from": "2026-03-01", "date_to": "2026-03-31"})

    assert [row["id"] for row in response.json()["results"]] == [march.pk]


def test_entries_filter_by_state(api, ledger, accountant, entry_body):
    _posted(ledger, accountant)
    draft_id = api.post(ENTRIES, entry_body(), format="json").json()["id"]

    response = api.get(ENTRIES, {"state": "draft"})

    assert [row["id"] for row in response.json()["results"]] == [draft_id]


def test_another_companys_entries_are_invisible(api, ledger, accountant, make_user, api_client_for, other_company):
    activate(other_company, "accounting")
    both = make_user("accounting_manager", companies=[other_company, ledger.company])
    theirs = _posted(make_ledger(other_company, both), both)
    mine = _posted(ledger, accountant)

    listed = api.get(ENTRIES).json()["results"]
    as_other = api_client_for(both).get(ENTRIES, HTTP_X_COMPANY="OTHER").json()["results"]

    assert [row["id"] for row in listed] == [mine.pk]
    assert [row["id"] for row in as_other] == [theirs.pk]
    assert api.get(_item(theirs)).status_code == 404
    assert api.post(f"{_item(theirs)}reverse/", {}, format="json").status_code == 404


def test_a_company_the_user_may_not_use_is_refused(api, other_company):
    response = api.get(ENTRIES, HTTP_X_COMPANY="OTHER")

    assert response.status_code == 403
    assert response.json()["error"]["message"] == "You may not work in company OTHER."


# --- Access ------------------------------------------------------------------------------------


def test_the_api_is_closed_while_accounting_is_not_active(api, ledger, entry_body):
    CompanyModule.objects.filter(company=ledger.company, module="accounting").update(is_active=False)

    response = api.post(ENTRIES, entry_body(), format="json")

    assert response.status_code == 403
    assert response.json()["error"]["message"] == "The module “accounting” is not active for company ACME."
    assert not JournalEntry.objects.exists()


def test_a_salesperson_may_not_read_entries(ledger, make_user, api_client_for):
    response = api_client_for(make_user("salesperson")).get(ENTRIES)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert "accounting.view_journalentry" in response.json()["error"]["message"]


def test_an_auditor_reads_but_may_not_post(ledger, accountant, make_user, api_client_for, entry_body):
    auditor = api_client_for(make_user("auditor"))
    lines = [{"account": ledger.cash, "debit": "1.00"}, {"account": ledger.revenue, "credit": "1.00"}]
    entry = entry_create(actor=accountant, company=ledger.company,
                         data={"journal": ledger.journal, "date": "2026-03-10"}, lines=lines)

    assert auditor.get(_item(entry)).status_code == 200
    response = auditor.post(f"{_item(entry)}post/")

    assert response.status_code == 403
    assert "accounting.post_journalentry" in response.json()["error"]["message"]
    entry.refresh_from_db()
    assert entry.state == "draft"
