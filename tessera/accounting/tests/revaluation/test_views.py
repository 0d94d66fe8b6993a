"""The revaluation screens: list, "New revaluation" (default date, preview, post, errors), detail with its
lines and entries, cancel; access (login, view, post), the menu entry, and the pages in Chinese."""

import pytest
from django.urls import reverse

from tessera.accounting.models import Revaluation
from tessera.accounting.services.revaluation import revaluation_post
from tessera.accounting.views.revaluation import end_of_last_month
from tessera.core.tests.views.conftest import client_for  # noqa: F401

from .conftest import CLOSING, D, usd_invoice
from .test_refusals import written

pytestmark = pytest.mark.django_db
LIST, NEW = reverse("accounting:revaluation_list"), reverse("accounting:revaluation_create")


@pytest.fixture
def web(books, fx, client_for):  # noqa: F811
    """ACME's accounting manager signed in; a USD invoice of 1,000.00 at 7.1000 is open."""
    usd_invoice(books)
    return client_for(books.actor)


@pytest.fixture
def auditor_web(books, make_user, client_for):  # noqa: F811
    return client_for(make_user("auditor"))


@pytest.fixture
def revaluation(books, web):
    return revaluation_post(actor=books.actor, company=books.company, date=CLOSING)


def detail_url(revaluation) -> str:
    return reverse("accounting:revaluation_detail", args=[revaluation.pk])


def test_the_list_shows_revaluations_and_the_new_button(web, revaluation):
    response = web.get(LIST)

    html = response.content.decode()
    assert response.status_code == 200
    assert detail_url(revaluation) in html and NEW in html
    assert f'href="{LIST}"' in html and "Exchange revaluation" in html  # the menu entry


def test_an_auditor_sees_the_list_without_the_new_button_and_may_not_open_it(auditor_web, revaluation):
    response = auditor_web.get(LIST)

    assert response.status_code == 200
    assert NEW not in response.content.decode()
    assert auditor_web.get(NEW).status_code == 403


def test_signed_out_users_are_sent_to_the_login(books, client):
    assert client.get(LIST).status_code == 302
    assert client.get(NEW).status_code == 302


def test_a_user_without_accounting_access_gets_403(books, make_user, client_for):  # noqa: F811
    assert client_for(make_user("salesperson")).get(LIST).status_code == 403


def test_the_new_screen_proposes_the_end_of_last_month(web):
    response = web.get(NEW)

    assert response.status_code == 200
    assert response.context["form"]["date"].value() == end_of_last_month()
    assert response.context["preview"] is None


def test_end_of_last_month():
    assert end_of_last_month(D(2026, 3, 15)) == D(2026, 2, 28)
    assert end_of_last_month(D(2026, 1, 1)) == D(2025, 12, 31)


def test_choosing_a_date_shows_the_preview_and_writes_nothing(web, books):
    before = written(books.company)

    response = web.get(NEW, {"date": "2026-01-31"})

    html = response.content.decode()
    assert response.context["preview"].total_gain == 100
    for text in ("INV-2026-00001", "Huaxin Trading", "USD", "1,000.00", "7,100.00", "7.2", "7,200.00", "100.00",
                 'data-testid="revaluation-post"'):
        assert text in html
    assert written(books.company) == before


def test_a_date_without_foreign_balances_shows_an_empty_preview_and_no_post_button(web, books):
    response = web.get(NEW, {"date": "2025-12-31"})

    html = response.content.decode()
    assert response.context["preview"].lines == []
    assert "No open foreign-currency balance on this date." in html
    assert 'data-testid="revaluation-post"' not in html


def test_a_date_without_a_closing_rate_is_an_error_on_the_field(web, books, fx):
    from tessera.core.models import ExchangeRate

    ExchangeRate.objects.filter(currency=fx.usd).delete()

    response = web.get(NEW, {"date": "2026-01-31"})

    assert response.context["form"].errors["date"][0].startswith("No closing rate for USD on 2026-01-31")


def test_posting_creates_the_revaluation_and_opens_it(web, books):
    response = web.post(NEW, {"date": "2026-01-31"})

    revaluation = Revaluation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(revaluation)
    assert (revaluation.date, revaluation.total_gain, revaluation.created_by) == (CLOSING, 100, books.actor)


def test_a_refused_post_shows_why_and_writes_nothing(web, books, revaluation):
    before = written(books.company)

    response = web.post(NEW, {"date": "2026-01-31"})

    assert response.status_code == 200
    assert "There is a revaluation on 2026-01-31 already." in response.content.decode()
    assert written(books.company) == before


def test_the_detail_shows_lines_and_both_entries_and_the_cancel_button(web, revaluation):
    response = web.get(detail_url(revaluation))

    html = response.content.decode()
    assert reverse("accounting:journalentry_detail", args=[revaluation.entry_id]) in html
    assert reverse("accounting:journalentry_detail", args=[revaluation.reversal_entry_id]) in html
    assert "7,200.00" in html and "INV-2026-00001" in html
    assert reverse("accounting:revaluation_cancel", args=[revaluation.pk]) in html


def test_an_auditor_sees_the_detail_without_the_cancel_button(auditor_web, revaluation):
    response = auditor_web.get(detail_url(revaluation))

    assert response.status_code == 200
    assert reverse("accounting:revaluation_cancel", args=[revaluation.pk]) not in response.content.decode()


def test_cancel_reverses_the_revaluation(web, revaluation):
    response = web.post(reverse("accounting:revaluation_cancel", args=[revaluation.pk]), follow=True)

    revaluation.refresh_from_db()
    assert revaluation.state == "reversed"
    assert "The revaluation on 2026-01-31 is cancelled." in response.content.decode()


def test_cancel_without_permission_is_refused_with_a_message(auditor_web, books, revaluation):
    before = written(books.company)

    response = auditor_web.post(reverse("accounting:revaluation_cancel", args=[revaluation.pk]), follow=True)

    assert "accounting.post_revaluation" in response.content.decode()
    assert written(books.company) == before


def test_the_pages_render_in_chinese(web, revaluation):
    for url, data in ((LIST, {}), (NEW, {"date": "2026-01-31"}), (detail_url(revaluation), {})):
        response = web.get(url, data, HTTP_ACCEPT_LANGUAGE="zh-hans")
        html = response.content.decode()
        assert response.status_code == 200
        assert 'lang="zh-hans"' in html
        assert url == LIST or "7200.00" in html  # Chinese groups digits by four


def test_the_preview_of_a_date_already_revalued_links_to_it_and_offers_no_post(web, revaluation):
    response = web.get(NEW, {"date": "2026-01-31"})

    html = response.content.decode()
    assert detail_url(revaluation) in html and 'data-testid="revaluation-existing"' in html
    assert 'data-testid="revaluation-post"' not in html


def test_every_revaluation_page_answers_the_accounting_manager(web, revaluation):
    pages = {"revaluation_list": None, "revaluation_create": None, "revaluation_detail": revaluation.pk,
             "revaluation_cancel": revaluation.pk}
    statuses = {name: web.get(reverse(f"accounting:{name}", args=[pk] if pk else [])).status_code
                for name, pk in pages.items()}

    assert statuses == {"revaluation_list": 200, "revaluation_create": 200, "revaluation_detail": 200,
                        "revaluation_cancel": 405}
