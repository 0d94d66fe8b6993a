"""Ledger set-up screens: the chart tree, installing a chart, accounts, journals, taxes, fiscal years, periods."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tessera.accounting.models import Account, FiscalYear, Journal, Period, Tax
from tessera.accounting.services.ledger import entry_post
from tessera.accounting.services.periods import fiscal_year_create, period_close


@pytest.mark.django_db
def test_the_chart_lists_accounts_in_code_order_indented_with_parents_bold(manager_web, ledger):
    child = Account.objects.create(company=ledger.company, code="100201", name="工商银行", type="asset",
                                   parent=ledger.bank)

    response = manager_web.get(reverse("accounting:account_list"))

    codes = [obj.code for obj, _cells, _url in response.context["rows"]]
    assert codes == sorted(codes)
    assert response.context["depths"][child.pk] == 1
    page = response.content.decode()
    assert 'class="account-parent" data-testid="account-1002"' in page
    assert 'class="text-nowrap account-depth-1"' in page


@pytest.mark.django_db
def test_the_chart_filters_by_type(manager_web, ledger):
    response = manager_web.get(reverse("accounting:account_list") + "?type=equity")

    assert [obj.code for obj, _cells, _url in response.context["rows"]] == ["4103", "4104"]


@pytest.mark.django_db
def test_a_company_without_accounts_is_offered_the_chart_installation(manager_web, accountant):
    response = manager_web.get(reverse("accounting:account_list"))

    assert 'data-testid="no-chart"' in response.content.decode()
    assert response.context["install_url"] == reverse("accounting:chart_install")


@pytest.mark.django_db
def test_the_install_screen_installs_the_chosen_chart(manager_web, accountant, company):
    pytest.importorskip("tessera.accounting.services.setup")
    page = manager_web.get(reverse("accounting:chart_install"))
    assert "cn_enterprise" in [code for code, _name in page.context["form"].fields["template"].choices]

    response = manager_web.post(reverse("accounting:chart_install"), {"template": "cn_enterprise"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("accounting:account_list")
    assert Account.objects.filter(company=company, code="1001").exists()
    assert Account.objects.filter(company=company, code="6602").exists()
    assert "The chart of accounts is installed" in response.content.decode()


@pytest.mark.django_db
def test_creating_an_account_under_a_parent(manager_web, ledger):
    response = manager_web.post(reverse("accounting:account_create"), {
        "code": "100101", "name": "备用金", "parent": ledger.cash.pk, "type": "asset", "role": "", "is_active": "on"})

    account = Account.objects.get(company=ledger.company, code="100101")
    assert response["Location"] == reverse("accounting:account_detail", args=[account.pk])
    assert account.parent == ledger.cash


@pytest.mark.django_db
def test_a_taken_account_code_shows_on_the_code_field(manager_web, ledger):
    response = manager_web.post(reverse("accounting:account_create"),
                                {"code": "1001", "name": "Again", "type": "asset", "role": ""})

    assert response.context["form"].errors["code"] == ["Account code 1001 is in use already."]
    assert Account.objects.filter(company=ledger.company, code="1001").count() == 1


@pytest.mark.django_db
def test_the_account_page_sums_its_postings(manager_web, draft, accountant, ledger):
    entry_post(actor=accountant, entry=draft)

    response = manager_web.get(reverse("accounting:account_detail", args=[ledger.cash.pk]))

    balance = response.context["balance"]
    assert (balance["debit"], balance["credit"], balance["balance"]) == (Decimal("100.00"), Decimal("0"),
                                                                        Decimal("100.00"))
    assert [row["period__fiscal_year__name"] for row in balance["rows"]] == ["2026"]


@pytest.mark.django_db
def test_creating_a_journal_and_a_tax(manager_web, ledger):
    manager_web.post(reverse("accounting:journal_create"), {"code": "BNK", "name": "Bank", "kind": "bank",
                                                            "sequence_code": "journal_entry",
                                                            "default_account": ledger.bank.pk, "is_active": "on"})
    manager_web.post(reverse("accounting:tax_create"), {"name": "VAT 13%", "kind": "sales", "rate": "13.00",
                                                        "account": ledger.output_vat.pk, "is_active": "on"})

    assert Journal.objects.get(company=ledger.company, code="BNK").default_account == ledger.bank
    assert Tax.objects.get(company=ledger.company, name="VAT 13%").rate == Decimal("13.00")


# --- Fiscal years and periods ------------------------------------------------------------------

@pytest.mark.django_db
def test_opening_a_new_fiscal_year_proposes_the_next_year(manager_web, ledger):
    page = manager_web.get(reverse("accounting:fiscalyear_create"))
    assert page.context["form"]["year"].value() == 2028

    response = manager_web.post(reverse("accounting:fiscalyear_create"), {"year": "2028"})

    year = FiscalYear.objects.get(company=ledger.company, name="2028")
    assert response["Location"] == reverse("accounting:fiscalyear_detail", args=[year.pk])
    assert year.periods.count() == 12


@pytest.mark.django_db
def test_opening_an_existing_fiscal_year_is_refused_on_the_year_field(manager_web, ledger):
    response = manager_web.post(reverse("accounting:fiscalyear_create"), {"year": "2026"})

    assert response.context["form"].errors["year"] == ["Fiscal year 2026 exists already."]


@pytest.mark.django_db
def test_closing_and_reopening_a_period_with_the_buttons(manager_web, ledger):
    period = Period.objects.get(company=ledger.company, name="2026-03")
    year_url = reverse("accounting:fiscalyear_detail", args=[period.fiscal_year_id])

    response = manager_web.post(reverse("accounting:period_close", args=[period.pk]), follow=True)
    period.refresh_from_db()
    assert period.state == "closed"
    assert response.redirect_chain[-1][0] == year_url
    assert "Period 2026-03 is closed." in response.content.decode()

    manager_web.post(reverse("accounting:period_reopen", args=[period.pk]))
    period.refresh_from_db()
    assert period.state == "open"


@pytest.mark.django_db
def test_an_accountant_may_not_close_a_period_and_the_page_says_why(client_for, make_user, ledger):
    period = Period.objects.get(company=ledger.company, name="2026-03")
    web = client_for(make_user("accountant"))
    page = web.get(reverse("accounting:fiscalyear_detail", args=[period.fiscal_year_id]))
    assert page.context["can_close"] is False

    response = web.post(reverse("accounting:period_close", args=[period.pk]), follow=True)

    period.refresh_from_db()
    assert period.state == "open"
    assert "(accounting.close_period)" in response.content.decode()


@pytest.mark.django_db
def test_closing_a_closed_period_says_so(manager_web, ledger, accountant):
    period = Period.objects.get(company=ledger.company, name="2026-03")
    period_close(actor=accountant, period=period)

    response = manager_web.post(reverse("accounting:period_close", args=[period.pk]), follow=True)

    assert "2026-03 is closed already." in response.content.decode()


@pytest.mark.django_db
def test_closing_and_reopening_the_year_with_the_buttons(manager_web, ledger, accountant):
    pytest.importorskip("tessera.accounting.services.yearend")
    year = FiscalYear.objects.get(company=ledger.company, name="2025")
    for period in year.periods.order_by("start_on")[:11]:
        period_close(actor=accountant, period=period)
    page = manager_web.get(reverse("accounting:fiscalyear_detail", args=[year.pk]))
    assert [str(action["label"]) for action in page.context["actions"]] == ["Close year"]

    manager_web.post(reverse("accounting:fiscalyear_close", args=[year.pk]))
    year.refresh_from_db()
    assert year.state == "closed"

    manager_web.post(reverse("accounting:fiscalyear_reopen", args=[year.pk]))
    year.refresh_from_db()
    assert year.state == "open"


@pytest.mark.django_db
def test_a_refused_year_close_shows_the_reason(manager_web, ledger):
    pytest.importorskip("tessera.accounting.services.yearend")
    year = FiscalYear.objects.get(company=ledger.company, name="2026")

    response = manager_web.post(reverse("accounting:fiscalyear_close", args=[year.pk]), follow=True)

    year.refresh_from_db()
    assert year.state == "open"
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


@pytest.mark.django_db
def test_the_new_year_proposed_follows_the_last_one(manager_web, accountant, company):
    fiscal_year_create(actor=accountant, company=company, year=2030)
    page = manager_web.get(reverse("accounting:fiscalyear_create"))
    assert page.context["form"]["year"].value() == 2031
