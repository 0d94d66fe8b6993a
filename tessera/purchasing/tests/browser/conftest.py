"""Browser fixtures of the procure-to-pay tests: the approval rule of the API test (orders above 500 need a
purchasing manager), and `person(user, language=None)`: a browser tab of its own (own cookies) signed in as
that user, optionally switched to a language through the language menu, watching every answer and script
error (`watch.errors`)."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tessera.accounting.models import FiscalYear
from tessera.accounting.services.periods import fiscal_year_create
from tessera.approvals.models import ApprovalCondition, ApprovalRule, ApprovalStep
from tessera.core.models import Role
from tessera.core.tests.factories import PASSWORD


@pytest.fixture(autouse=True)
def _this_year_open(p):
    """The screens date documents today (the world opens 2025-2027): keep the tests working in later years."""
    today = timezone.localdate()
    if not FiscalYear.objects.filter(company=p.company, start_on__lte=today, end_on__gte=today).exists():
        fiscal_year_create(actor=p.accountant, company=p.company, year=today.year)


@pytest.fixture
def order_rule(p):
    """Purchase orders above 500.00 need a purchasing manager's approval."""
    rule = ApprovalRule.objects.create(company=p.company, name="Orders over 500",
                                       document_type="purchasing.purchaseorder", priority=10)
    ApprovalCondition.objects.create(company=p.company, rule=rule, field="amount", operator="gt",
                                     value=str(Decimal("500")))
    ApprovalStep.objects.create(company=p.company, rule=rule, level=1, approver_type="role",
                                role=Role.objects.get(code="purchasing_manager"), min_approvals=1)
    return rule


class Watch:
    """Every 4xx/5xx answer and script error seen by the tabs."""

    def __init__(self):
        self.errors: list[str] = []

    def attach(self, page) -> None:
        page.on("response", lambda r: self.errors.append(f"{r.status} {r.request.method} {r.url}")
                if r.status >= 400 else None)
        page.on("pageerror", lambda exc: self.errors.append(f"script error: {exc}"))
        page.on("dialog", lambda dialog: dialog.accept())  # "Confirm this order?" and the like: yes

    def taken(self, error: str) -> bool:
        """Take an answer the test provoked on purpose (a refused form) off the list."""
        if error in self.errors:
            self.errors.remove(error)
            return True
        return False


@pytest.fixture
def watch():
    return Watch()


@pytest.fixture
def person(browser, live_server, watch):
    """person(user, language=None) -> a page signed in as `user` in a browser context of its own."""
    contexts = []

    def open_as(user, language=None):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        watch.attach(page)
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.click("button[type=submit]")
        expect(page.locator("#sidebar")).to_be_visible()
        if language:
            page.select_option("select[name=language]", language)  # submits itself and reloads
            expect(page.locator("html")).to_have_attribute("lang", language)
        return page

    yield open_as
    for context in contexts:
        context.close()
