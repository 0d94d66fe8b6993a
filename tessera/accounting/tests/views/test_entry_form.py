"""The entry form: header and lines in one form, saved through entry_create / entry_update, optionally posted."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tessera.accounting.models import JournalEntry, JournalEntryLine, Period
from tessera.accounting.services.periods import period_close
from tessera.accounting.tests.factories import D


def form_data(ledger, lines, *, date="2026-03-05", version="", **extra) -> dict:
    """The POST body of the entry form: header fields, the formset's management form and its lines."""
    data = {"journal": ledger.journal.pk, "date": date, "reference": "", "description": "Office supplies",
            "version": version, "lines-TOTAL_FORMS": str(len(lines)), "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "0", "lines-MAX_NUM_FORMS": "500", **extra}
    for index, line in enumerate(lines):
        for name, value in line.items():
            data[f"lines-{index}-{name}"] = value.pk if hasattr(value, "pk") else value
    return data


def balanced(ledger, amount="250.00"):
    return [{"account": ledger.expense, "debit": amount, "description": "Paper"},
            {"account": ledger.cash, "credit": amount},
            {}]  # a blank row is left out


@pytest.mark.django_db
def test_the_new_entry_form_shows_blank_lines_and_the_general_journal(manager_web, ledger):
    response = manager_web.get(reverse("accounting:journalentry_create"))

    assert response.status_code == 200
    assert len(response.context["lines"].forms) == 2
    assert response.context["form"]["journal"].value() == ledger.journal.pk
    assert 'id="total-difference"' in response.content.decode()


@pytest.mark.django_db
def test_saving_the_form_creates_a_draft_with_its_lines(manager_web, ledger):
    response = manager_web.post(reverse("accounting:journalentry_create"), form_data(ledger, balanced(ledger)))

    entry = JournalEntry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("accounting:journalentry_detail", args=[entry.pk])
    assert (entry.state, entry.number, entry.date, entry.description) == ("draft", None, D(2026, 3, 5),
                                                                         "Office supplies")
    assert [(line.sequence, line.account.code, line.debit, line.credit, line.description)
            for line in entry.lines.order_by("sequence")] == [
        (1, "6602", Decimal("250.00"), Decimal("0.00"), "Paper"),
        (2, "1001", Decimal("0.00"), Decimal("250.00"), ""),
    ]


@pytest.mark.django_db
def test_a_line_with_both_debit_and_credit_shows_the_error_on_that_line_and_writes_nothing(manager_web, ledger):
    lines = [{"account": ledger.expense, "debit": "10.00"},
             {"account": ledger.cash, "debit": "10.00", "credit": "10.00"}]

    response = manager_web.post(reverse("accounting:journalentry_create"), form_data(ledger, lines))

    assert response.status_code == 200
    forms = response.context["lines"].forms
    assert forms[0].errors == {}
    assert forms[1].errors == {"credit": ["A line has either a debit or a credit, not both."]}
    assert "A line has either a debit or a credit, not both." in response.content.decode()
    assert JournalEntry.objects.count() == 0
    assert JournalEntryLine.objects.count() == 0


@pytest.mark.django_db
def test_a_line_error_lands_on_the_filled_line_it_belongs_to_after_a_blank_row(manager_web, ledger):
    lines = [{"account": ledger.expense, "debit": "10.00"}, {},
             {"account": ledger.cash, "debit": "5.00", "credit": "5.00"}]

    response = manager_web.post(reverse("accounting:journalentry_create"), form_data(ledger, lines))

    forms = response.context["lines"].forms
    assert forms[1].errors == {}
    assert forms[2].errors == {"credit": ["A line has either a debit or a credit, not both."]}


@pytest.mark.django_db
def test_a_line_on_a_parent_account_shows_the_error_on_its_account_cell(manager_web, ledger):
    child = type(ledger.cash).objects.create(company=ledger.company, code="100101", name="Petty cash",
                                             type="asset", parent=ledger.cash)
    lines = [{"account": ledger.expense, "debit": "10.00"}, {"account": ledger.cash, "credit": "10.00"}]

    response = manager_web.post(reverse("accounting:journalentry_create"), form_data(ledger, lines))

    assert child.pk
    assert response.context["lines"].forms[1].errors["account"] == [
        "Select a valid choice. That choice is not one of the available choices."]
    assert JournalEntry.objects.count() == 0


@pytest.mark.django_db
def test_a_filled_line_without_an_account_is_refused(manager_web, ledger):
    lines = [{"account": ledger.expense, "debit": "10.00"}, {"credit": "10.00"}]

    response = manager_web.post(reverse("accounting:journalentry_create"), form_data(ledger, lines))

    assert response.context["lines"].forms[1].errors["account"] == ["Choose the account."]
    assert JournalEntry.objects.count() == 0


@pytest.mark.django_db
def test_save_and_post_posts_the_entry_with_its_number(manager_web, ledger):
    response = manager_web.post(reverse("accounting:journalentry_create"),
                                form_data(ledger, balanced(ledger), post="1"))

    entry = JournalEntry.objects.get()
    assert entry.state == "posted"
    assert entry.number.endswith("0001")
    assert response["Location"] == reverse("accounting:journalentry_detail", args=[entry.pk])
    page = manager_web.get(response["Location"]).content.decode()
    assert f"Entry {entry.number} is posted." in page


@pytest.mark.django_db
def test_save_and_post_of_an_unbalanced_entry_keeps_the_draft_and_says_why(manager_web, ledger):
    lines = [{"account": ledger.expense, "debit": "100.00"}, {"account": ledger.cash, "credit": "90.00"}]

    response = manager_web.post(reverse("accounting:journalentry_create"), form_data(ledger, lines, post="1"))

    entry = JournalEntry.objects.get()
    assert (entry.state, entry.number) == ("draft", None)
    assert response["Location"] == reverse("accounting:journalentry_update", args=[entry.pk])
    page = manager_web.get(response["Location"]).content.decode()
    assert ("The entry is saved as a draft but not posted: Total debit 100.00 does not equal total credit 90.00."
            in page)


@pytest.mark.django_db
def test_posting_into_a_closed_period_keeps_the_draft_and_says_the_period_is_closed(manager_web, ledger,
                                                                                      accountant):
    period = Period.objects.get(company=ledger.company, name="2026-03")
    period_close(actor=accountant, period=period)

    response = manager_web.post(reverse("accounting:journalentry_create"),
                                form_data(ledger, balanced(ledger), post="1"), follow=True)

    assert JournalEntry.objects.get().state == "draft"
    assert "Period 2026-03 is closed." in response.content.decode()


@pytest.mark.django_db
def test_the_edit_form_shows_the_lines_and_saves_changes_with_the_version(manager_web, draft, ledger):
    url = reverse("accounting:journalentry_update", args=[draft.pk])
    page = manager_web.get(url)
    assert [form.initial["account"] for form in page.context["lines"].forms[:2]] == [ledger.cash.pk,
                                                                                       ledger.revenue.pk]
    lines = [{"account": ledger.bank, "debit": "120.00"}, {"account": ledger.revenue, "credit": "120.00"}]

    response = manager_web.post(url, form_data(ledger, lines, version=str(draft.version)))

    draft.refresh_from_db()
    assert response.status_code == 302
    assert (draft.total_debit, draft.version) == (Decimal("120.00"), 2)
    assert [line.account.code for line in draft.lines.order_by("sequence")] == ["1002", "6001"]


@pytest.mark.django_db
def test_a_save_over_someone_elses_change_is_refused(manager_web, draft, ledger):
    lines = [{"account": ledger.bank, "debit": "120.00"}, {"account": ledger.revenue, "credit": "120.00"}]

    response = manager_web.post(reverse("accounting:journalentry_update", args=[draft.pk]),
                                form_data(ledger, lines, version=str(draft.version - 1 or 99)))

    draft.refresh_from_db()
    assert response.context["form"].non_field_errors() == [
        "Someone else changed this entry meanwhile: reload it and try again."]
    assert draft.total_debit == Decimal("100.00")


@pytest.mark.django_db
def test_an_auditor_may_not_open_the_entry_form(client_for, make_user, ledger):
    auditor = client_for(make_user("auditor"))
    assert auditor.get(reverse("accounting:journalentry_create")).status_code == 403


@pytest.mark.django_db
def test_an_attachment_uploaded_with_the_entry_is_kept(manager_web, ledger, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tessera.core.services.attachments import attachments_of

    settings.MEDIA_ROOT = tmp_path
    receipt = SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 receipt", content_type="application/pdf")

    manager_web.post(reverse("accounting:journalentry_create"),
                     {**form_data(ledger, balanced(ledger)), "attachment": receipt})

    entry = JournalEntry.objects.get()
    [attachment] = attachments_of(entry)
    assert attachment.filename == "receipt.pdf"
    assert attachment.file.read() == b"%PDF-1.4 receipt"


@pytest.mark.django_db
def test_a_file_that_is_not_what_it_claims_is_refused_with_the_entry(manager_web, ledger):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("receipt.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = manager_web.post(reverse("accounting:journalentry_create"),
                                {**form_data(ledger, balanced(ledger)), "attachment": fake})

    assert response.status_code == 200
    assert "attachment" in response.context["form"].errors
    assert JournalEntry.objects.count() == 0
