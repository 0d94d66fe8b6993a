"""End to end in Chromium: a person signs in, switches to 简体中文 and company, and opens every menu entry."""

import pytest
from playwright.sync_api import expect

from tessera.core import demo

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_site(live_server):
    demo.build(out=lambda line: None)
    return live_server.url


def sign_in(page, base_url, username):
    page.goto(f"{base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", demo.DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")


def menu_links(page) -> list[tuple[str, str]]:
    links = page.locator("#sidebar nav a.nav-link")
    return [(links.nth(i).inner_text().strip(), links.nth(i).get_attribute("href")) for i in range(links.count())]


def test_an_administrator_in_chinese_opens_every_menu_entry_without_an_error(page, demo_site):
    errors = []
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("pageerror", lambda exc: errors.append(f"script error: {exc}"))

    sign_in(page, demo_site, "admin")
    page.select_option("select[name=language]", "zh-hans")
    # the choice submits a form and reloads: wait for the new page, not for the old one's load state
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    assert "首页" in page.locator("#sidebar").inner_text()

    page.click("[data-testid=company-switcher]")
    page.click("button.dropdown-item:has-text('US01')")
    expect(page.locator("[data-testid=company-switcher]")).to_have_text("US01")

    links = menu_links(page)
    assert len(links) >= 11  # home and every Settings entry of an administrator
    for label, href in links:
        response = page.goto(demo_site + href)
        assert response.status == 200, f"{label} ({href}) answered {response.status}"
        assert page.locator("html").get_attribute("lang") == "zh-hans", f"{label} is not in Chinese"
    assert errors == []


def test_a_salesperson_sees_no_settings_and_is_refused_with_a_reason(page, demo_site):
    sign_in(page, demo_site, "sales")

    labels = [label for label, _href in menu_links(page)]
    assert "Users" not in labels and "Permission matrix" not in labels

    response = page.goto(f"{demo_site}/settings/users/")
    assert response.status == 403
    assert "auth.view_user" in page.content()
