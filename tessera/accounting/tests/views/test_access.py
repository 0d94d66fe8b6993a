"""Who sees the accounting screens: the menu, 403 pages with the reason, the module switch, home cards."""

import pytest
from django.urls import NoReverseMatch, reverse

from tessera.accounting.services.ledger import entry_create, entry_post
from tessera.core.models import CompanyModule

from .test_pages import accounting_url_names

pytestmark = pytest.mark.django_db

MENU = ["accounting:journalentry_list", "accounting:invoice_list?side=customer",
        "accounting:invoice_list?side=supplier", "accounting:payment_list", "accounting:bank_reconcile_home",
        "accounting:bankaccount_list", "accounting:report_trial_balance", "accounting:report_general_ledger",
        "accounting:report_balance_sheet", "accounting:report_profit_loss", "accounting:report_cash_flow",
        "accounting:report_cash_position", "accounting:report_aged_receivables", "accounting:report_aged_payables",
        "accounting:report_partner_statement", "accounting:report_vat_return", "accounting:revaluation_list",
        "accounting:account_list", "accounting:journal_list", "accounting:tax_list", "accounting:costcenter_list",
        "accounting:fiscalyear_list", "accounting:ledger_verify"]


def menu_url(entry: str) -> str:
    """The url of a MENU entry: a url name, optionally with the query its menu entry adds."""
    name, _, query = entry.partition("?")
    return reverse(name) + (f"?{query}" if query else "")


def module_entries(response, code):
    module = next((module for module in response.context["navigation"] if module["code"] == code), None)
    return [entry["url"] for entry in module["entries"]] if module else []


def test_an_accounting_manager_sees_the_accounting_menu(manager_web, ledger):
    entries = module_entries(manager_web.get(reverse("home")), "accounting")

    assert entries == [menu_url(entry) for entry in MENU]


def test_a_salesperson_sees_no_accounting_entries(sales_web, ledger):
    assert module_entries(sales_web.get(reverse("home")), "accounting") == []


@pytest.mark.parametrize(("url_name", "permission"), [
    ("accounting:journalentry_list", "accounting.view_journalentry"),
    ("accounting:journalentry_create", "accounting.add_journalentry"),
    ("accounting:account_list", "accounting.view_account"),
    ("accounting:chart_install", "accounting.add_account"),
    ("accounting:journal_list", "accounting.view_journal"),
    ("accounting:tax_list", "accounting.view_tax"),
    ("accounting:costcenter_list", "accounting.view_costcenter"),
    ("accounting:fiscalyear_list", "accounting.view_fiscalyear"),
    ("accounting:fiscalyear_create", "accounting.add_fiscalyear"),
    ("accounting:ledger_verify", "accounting.view_journalentry"),
])
def test_a_salesperson_is_refused_accounting_pages_with_the_reason(sales_web, ledger, url_name, permission):
    response = sales_web.get(reverse(url_name))

    assert response.status_code == 403
    assert f"({permission})" in response.content.decode()


def test_with_the_module_switched_off_the_menu_is_hidden_and_pages_refused(manager_web, ledger, company):
    CompanyModule.objects.filter(company=company, module="accounting").update(is_active=False)

    assert module_entries(manager_web.get(reverse("home")), "accounting") == []
    response = manager_web.get(reverse("accounting:journalentry_list"))
    assert response.status_code == 403
    assert response.context["message"] == "The module “Accounting” is not active for company ACME."


def test_every_accounting_page_sends_anonymous_visitors_to_sign_in(client, ledger, draft):
    for name in accounting_url_names():
        try:
            url = reverse(f"accounting:{name}")
        except NoReverseMatch:
            url = reverse(f"accounting:{name}", kwargs={"pk": draft.pk})
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login")), name


def test_the_home_page_shows_the_accounting_cards(manager_web, draft, accountant, ledger):
    entry_post(actor=accountant, entry=draft)
    entry_create(actor=accountant, company=ledger.company, data={"journal": ledger.journal, "date": draft.date},
                 lines=[{"account": ledger.cash, "debit": "5"}, {"account": ledger.revenue, "credit": "5"}])

    cards = {str(card["title"]): card for card in manager_web.get(reverse("home")).context["cards"]}

    assert cards["Draft journal entries"]["value"] == 1
    assert cards["Bank and cash"]["value"] == "CNY 100.00"
    assert "Current period" in cards


def test_a_salesperson_gets_no_accounting_cards(sales_web, ledger):
    titles = [str(card["title"]) for card in sales_web.get(reverse("home")).context["cards"]]

    assert not {"Draft journal entries", "Current period", "Bank and cash"} & set(titles)
