"""`accounting/revaluations/`: preview, create (posts; Idempotency-Key), list and detail with lines,
cancel, and the 400/403/404/409 answers in API.md's error shape."""

import pytest
from django.core.cache import cache

from tessera.accounting.models import JournalEntry, Period, Revaluation
from tessera.accounting.services.periods import period_close
from tessera.accounting.services.revaluation import revaluation_post
from tessera.core.tests.factories import CompanyFactory

from .conftest import CLOSING, usd_invoice
from .test_refusals import written

pytestmark = pytest.mark.django_db
URL = "/api/v1/accounting/revaluations/"


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api(books, fx, api_client_for):
    """The API as ACME's accounting manager, with a USD invoice of 1,000.00 at 7.1000 open."""
    usd_invoice(books)
    return api_client_for(books.actor)


def test_preview_lists_the_lines_and_totals_and_writes_nothing(api, books):
    before = written(books.company)

    response = api.get(URL + "preview/?date=2026-01-31")

    assert response.status_code == 200
    body = response.json()
    assert {key: body[key] for key in ("date", "rates", "total_carrying", "total_revalued", "total_gain",
                                       "total_loss", "net")} == {
        "date": "2026-01-31", "rates": {"USD": "7.2000000000"}, "total_carrying": "7100.00",
        "total_revalued": "7200.00", "total_gain": "100.00", "total_loss": "0.00", "net": "100.00"}
    [line] = body["lines"]
    assert {key: line[key] for key in ("account_code", "partner_name", "invoice_number", "currency_code",
                                       "amount_currency", "carrying_amount", "rate", "revalued_amount",
                                       "difference")} == {
        "account_code": "1122", "partner_name": "Huaxin Trading", "invoice_number": "INV-2026-00001",
        "currency_code": "USD", "amount_currency": "1000.00", "carrying_amount": "7100.00",
        "rate": "7.2000000000", "revalued_amount": "7200.00", "difference": "100.00"}
    assert written(books.company) == before


@pytest.mark.parametrize("query", ["", "?date=2026-02-30", "?date=yesterday"])
def test_preview_without_a_valid_date_is_a_validation_error(api, query):
    response = api.get(URL + "preview/" + query)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert list(response.json()["error"]["fields"]) == ["date"]


def test_create_posts_the_revaluation_and_its_reversal(api, books):
    response = api.post(URL, {"date": "2026-01-31"}, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    revaluation = Revaluation.objects.get()
    assert (body["id"], body["state"], body["total_gain"], body["total_loss"]) == (
        revaluation.pk, "posted", "100.00", "0.00")
    assert (body["entry_number"], body["reversal_entry_number"]) == (revaluation.entry.number,
                                                                     revaluation.reversal_entry.number)
    assert [(line["invoice_number"], line["difference"]) for line in body["lines"]] == [("INV-2026-00001", "100.00")]


def test_the_same_idempotency_key_creates_once(api, books):
    first = api.post(URL, {"date": "2026-01-31"}, format="json", HTTP_IDEMPOTENCY_KEY="reval-jan")
    again = api.post(URL, {"date": "2026-01-31"}, format="json", HTTP_IDEMPOTENCY_KEY="reval-jan")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Revaluation.objects.count() == 1


def test_list_and_detail(api, books):
    revaluation = revaluation_post(actor=books.actor, company=books.company, date=CLOSING)

    listed = api.get(URL + "?state=posted").json()
    detail = api.get(f"{URL}{revaluation.pk}/").json()

    assert [row["date"] for row in listed["results"]] == ["2026-01-31"]
    assert detail["lines"][0]["carrying_amount"] == "7100.00"


def test_a_second_revaluation_on_the_date_is_a_conflict(api, books):
    api.post(URL, {"date": "2026-01-31"}, format="json")
    before = written(books.company)

    response = api.post(URL, {"date": "2026-01-31"}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "revaluation_exists"
    assert written(books.company) == before


def test_a_closed_period_is_a_conflict(api, books):
    period_close(actor=books.actor, period=Period.objects.get(company=books.company, name="2026-01"))

    response = api.post(URL, {"date": "2026-01-31"}, format="json")

    assert (response.status_code, response.json()["error"]["code"]) == (409, "period_closed")
    assert not Revaluation.objects.exists()


def test_nothing_to_revalue_is_a_conflict(api, books):
    response = api.post(URL, {"date": "2026-01-20"}, format="json")  # the rate of 2026-01-01 still applies

    assert (response.status_code, response.json()["error"]["code"]) == (409, "nothing_to_revalue")


@pytest.mark.parametrize("body", [{}, {"date": "31/01/2026"}, {"date": "2026-01-31", "state": "reversed"},
                                  {"date": "2026-01-31", "rate": "7.3"}])
def test_bad_input_is_a_validation_error_and_writes_nothing(api, books, body):
    before = written(books.company)

    response = api.post(URL, body, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert written(books.company) == before


def test_cancel_reverses_it(api, books):
    revaluation = revaluation_post(actor=books.actor, company=books.company, date=CLOSING)

    response = api.post(f"{URL}{revaluation.pk}/cancel/", format="json")

    assert (response.status_code, response.json()["state"]) == (200, "reversed")
    assert JournalEntry.objects.filter(source=revaluation.entry.source).count() == 2
    again = api.post(f"{URL}{revaluation.pk}/cancel/", format="json")
    assert (again.status_code, again.json()["error"]["code"]) == (409, "invalid_state")


def test_an_auditor_reads_but_may_not_post_or_cancel(api, books, make_user, api_client_for):
    revaluation = revaluation_post(actor=books.actor, company=books.company, date=CLOSING)
    auditor = api_client_for(make_user("auditor"))

    assert auditor.get(URL).status_code == 200
    assert auditor.get(URL + "preview/?date=2026-01-31").status_code == 200
    created = auditor.post(URL, {"date": "2026-02-28"}, format="json")
    cancelled = auditor.post(f"{URL}{revaluation.pk}/cancel/", format="json")
    assert (created.status_code, created.json()["error"]["code"]) == (403, "permission_denied")
    assert "accounting.post_revaluation" in created.json()["error"]["message"]
    assert cancelled.status_code == 403
    assert Revaluation.objects.get().state == "posted"


def test_a_user_without_accounting_gets_403(api, make_user, api_client_for):
    response = api_client_for(make_user("salesperson")).get(URL)

    assert response.status_code == 403


def test_another_companys_revaluation_is_not_found(api, books):
    other = CompanyFactory(code="OTHER")
    foreign = Revaluation.objects.create(company=other, date=CLOSING)

    assert api.get(f"{URL}{foreign.pk}/").status_code == 404
    assert api.post(f"{URL}{foreign.pk}/cancel/", format="json").status_code == 404


def test_patch_and_delete_are_not_allowed(api, books):
    revaluation = revaluation_post(actor=books.actor, company=books.company, date=CLOSING)

    assert api.patch(f"{URL}{revaluation.pk}/", {"date": "2026-01-30"}, format="json").status_code == 405
    assert api.delete(f"{URL}{revaluation.pk}/").status_code == 405
