"""The entry page: lines and totals, Post and Reverse buttons, printing, and the ledger verification."""

from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from tessera.accounting.models import JournalEntry, Period
from tessera.accounting.services.ledger import entry_create, entry_post
from tessera.accounting.services.periods import period_close


def action_labels(response) -> list[str]:
    return [str(action["label"]) for action in response.context["actions"]]


@pytest.mark.django_db
def test_a_draft_page_shows_its_lines_totals_and_the_post_button(manager_web, draft):
    response = manager_web.get(reverse("accounting:journalentry_detail", args=[draft.pk]))

    page = response.content.decode()
    assert action_labels(response) == ["Edit", "Post", "Print", "Delete"]
    assert "库存现金" in page and "主营业务收入" in page
    assert 'data-testid="total-debit">100.00<' in page
    assert [line.account.code for line in response.context["lines"]] == ["1001", "6001"]


@pytest.mark.django_db
def test_the_post_button_posts_the_entry(manager_web, draft):
    response = manager_web.post(reverse("accounting:journalentry_post", args=[draft.pk]), follow=True)

    draft.refresh_from_db()
    assert draft.state == "posted"
    assert f"Entry {draft.number} is posted." in response.content.decode()
    assert action_labels(response) == ["Reverse", "Print"]


@pytest.mark.django_db
def test_posting_into_a_closed_period_shows_the_refusal_on_the_page(manager_web, draft, accountant):
    period_close(actor=accountant, period=Period.objects.get(company=draft.company, name="2026-03"))

    response = manager_web.post(reverse("accounting:journalentry_post", args=[draft.pk]), follow=True)

    draft.refresh_from_db()
    assert draft.state == "draft"
    assert "Period 2026-03 is closed." in response.content.decode()


@pytest.mark.django_db
def test_an_auditor_gets_no_post_button_and_posting_is_refused_with_the_reason(client_for, make_user, draft):
    auditor = client_for(make_user("auditor"))
    assert action_labels(auditor.get(reverse("accounting:journalentry_detail", args=[draft.pk]))) == ["Print"]

    response = auditor.post(reverse("accounting:journalentry_post", args=[draft.pk]), follow=True)

    draft.refresh_from_db()
    assert draft.state == "draft"
    assert "(accounting.post_journalentry)" in response.content.decode()


@pytest.mark.django_db
def test_reversing_posts_the_linked_entry_and_both_pages_link_to_each_other(manager_web, draft, accountant):
    posted = entry_post(actor=accountant, entry=draft)
    url = reverse("accounting:journalentry_reverse", args=[posted.pk])
    assert manager_web.get(url).status_code == 200

    response = manager_web.post(url, {"date": "2026-04-02"}, follow=True)

    reversal = JournalEntry.objects.get(reversal_of=posted)
    assert (reversal.state, reversal.date, reversal.total_debit) == ("posted", posted.date.replace(month=4, day=2),
                                                                     Decimal("100.00"))
    assert response.redirect_chain[-1][0] == reverse("accounting:journalentry_detail", args=[reversal.pk])
    assert f'data-testid="reversal-of">{posted.number}<' in response.content.decode()
    original = manager_web.get(reverse("accounting:journalentry_detail", args=[posted.pk]))
    assert f'data-testid="reversed-by">{reversal.number}<' in original.content.decode()
    assert "Reverse" not in action_labels(original)


@pytest.mark.django_db
def test_a_reversal_dated_in_a_closed_period_is_refused_on_the_form(manager_web, draft, accountant):
    posted = entry_post(actor=accountant, entry=draft)
    period_close(actor=accountant, period=Period.objects.get(company=draft.company, name="2026-04"))

    response = manager_web.post(reverse("accounting:journalentry_reverse", args=[posted.pk]), {"date": "2026-04-02"})

    assert response.context["form"].non_field_errors() == ["Period 2026-04 is closed."]
    assert not JournalEntry.objects.filter(reversal_of=posted).exists()


@pytest.mark.django_db
def test_deleting_a_draft(manager_web, draft):
    response = manager_web.post(reverse("accounting:journalentry_delete", args=[draft.pk]))

    assert response.status_code == 302
    assert not JournalEntry.objects.filter(pk=draft.pk).exists()


@pytest.mark.django_db
def test_the_printable_voucher_shows_company_number_lines_totals_and_who_posted(manager_web, draft, accountant):
    posted = entry_post(actor=accountant, entry=draft)

    page = manager_web.get(reverse("accounting:journalentry_print", args=[posted.pk])).content.decode()

    assert "Journal voucher" in page
    assert "Acme Trading" in page
    assert posted.number in page
    assert "库存现金" in page
    assert 'data-testid="print-total-debit">100.00<' in page
    assert "Posted by: finance1" in page
    assert "Prepared by: finance1" in page


@pytest.mark.django_db
def test_the_entry_list_filters_by_state(manager_web, draft, ledger, accountant):
    other = entry_create(actor=accountant, company=ledger.company, data={"journal": ledger.journal,
                                                                         "date": draft.date},
                         lines=[{"account": ledger.cash, "debit": "5"}, {"account": ledger.revenue, "credit": "5"}])
    entry_post(actor=accountant, entry=other)

    response = manager_web.get(reverse("accounting:journalentry_list") + "?state=draft")

    assert [obj for obj, _cells, _url in response.context["rows"]] == [draft]


# --- Verification ----------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_verification_screen_says_ok_for_an_intact_ledger(manager_web, draft, accountant):
    entry_post(actor=accountant, entry=draft)

    response = manager_web.get(reverse("accounting:ledger_verify"))

    assert response.context["problems"] == []
    assert "OK: 1 posted entry checked, the chain is intact." in response.content.decode()


@pytest.mark.corrupts_books
@pytest.mark.django_db
def test_the_verification_screen_shows_an_entry_changed_in_sql(client_for, make_user, draft, accountant):
    posted = entry_post(actor=accountant, entry=draft)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE accounting_journalentry SET description = %s WHERE id = %s", ["Changed", posted.pk])

    response = client_for(make_user("auditor")).get(reverse("accounting:ledger_verify"))

    assert len(response.context["problems"]) == 1
    assert posted.number in response.context["problems"][0]
    assert 'class="alert alert-danger"' in response.content.decode()


@pytest.mark.django_db
def test_the_voucher_comes_as_a_pdf(manager_web, draft, accountant):
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        pytest.skip("WeasyPrint cannot be loaded here")
    posted = entry_post(actor=accountant, entry=draft)

    response = manager_web.get(reverse("accounting:journalentry_print", args=[posted.pk]) + "?format=pdf")

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
