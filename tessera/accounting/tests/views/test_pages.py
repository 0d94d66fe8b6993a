"""Every accounting screen answers an accounting manager; others are refused with the reason."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tessera.accounting.models import CostCenter, FiscalYear, Period, Tax
from tessera.accounting.services.ledger import entry_post

# Screens that only accept POST (they change something): a GET answers 405.
POST_ONLY = {"journalentry_post", "journalentry_delete", "account_delete", "fiscalyear_close", "fiscalyear_reopen",
             "period_close", "period_reopen"}


def accounting_url_names() -> list[str]:
    names = []

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.append(pattern.name)

    walk(get_resolver().namespace_dict["accounting"][1].url_patterns)
    return sorted(names)


@pytest.fixture
def url_kwargs(ledger, draft, accountant):
    posted = entry_post(actor=accountant, entry=draft)
    year = FiscalYear.objects.filter(company=ledger.company).order_by("start_on").first()
    period = Period.objects.filter(company=ledger.company).order_by("start_on").first()
    tax = Tax.objects.create(company=ledger.company, name="VAT 13%", kind="sales", rate="13.00",
                             account=ledger.output_vat)
    centre = CostCenter.objects.create(company=ledger.company, code="ADM", name="Administration")
    entry = {"pk": posted.pk}
    return {
        "journalentry_detail": entry, "journalentry_update": entry, "journalentry_delete": entry,
        "journalentry_post": entry, "journalentry_reverse": entry, "journalentry_print": entry,
        "account_detail": {"pk": ledger.cash.pk}, "account_update": {"pk": ledger.cash.pk},
        "account_delete": {"pk": ledger.cash.pk},
        "journal_detail": {"pk": ledger.journal.pk}, "journal_update": {"pk": ledger.journal.pk},
        "tax_detail": {"pk": tax.pk}, "tax_update": {"pk": tax.pk},
        "costcenter_detail": {"pk": centre.pk}, "costcenter_update": {"pk": centre.pk},
        "fiscalyear_detail": {"pk": year.pk}, "fiscalyear_close": {"pk": year.pk},
        "fiscalyear_reopen": {"pk": year.pk},
        "period_close": {"pk": period.pk}, "period_reopen": {"pk": period.pk},
    }


def url_of(name, url_kwargs):
    return reverse(f"accounting:{name}", kwargs=url_kwargs.get(name))


@pytest.mark.django_db
def test_every_accounting_page_answers_an_accounting_manager(manager_web, url_kwargs):
    # Invoice and payment pages need documents to show: tests/views_documents/test_access.py covers them;
    # revaluation pages: tests/revaluation/test_views.py.
    names = [name for name in accounting_url_names()
             if not name.startswith(("invoice_", "payment_", "revaluation_", "bankaccount_", "bankstatement_",
                                     "bankstatementline_", "bank_reconcile_"))]
    statuses = {name: manager_web.get(url_of(name, url_kwargs)).status_code for name in names}

    expected = {name: 405 if name in POST_ONLY else 200 for name in names}
    expected["journalentry_update"] = 302  # a posted entry is not edited: back to its page
    expected["chart_install"] = 302  # the company has accounts already
    assert statuses == expected
