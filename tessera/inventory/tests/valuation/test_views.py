"""The valuation screens: the report tied to the ledger with its chart and drill-down, a product's layers,
slow-moving stock with its chart; exports; bad filters; access."""

import json

import pytest
from django.urls import reverse

from tessera.core.tests.views.conftest import client_for  # noqa: F401

from .conftest import D


@pytest.fixture
def web(client_for, valued):  # noqa: F811
    valued.receive(valued.average, 10, "5.00", date=D(2026, 3, 2))
    valued.receive(valued.average, 10, "6.00", date=D(2026, 3, 3))
    valued.deliver(valued.average, 15, date=D(2026, 3, 4))
    valued.receive(valued.fifo, 4, "2.50", date=D(2026, 3, 4))
    return client_for(valued.actor)


def _chart(content: bytes, chart_id: str) -> dict:
    text = content.decode()
    start = text.index(f'id="{chart_id}"')
    return json.loads(text[text.index(">", start) + 1:text.index("</script>", start)])


def test_valuation_screen_shows_the_ledger_beside_the_total_and_links_each_product(valued, web):
    response = web.get(reverse("inventory:valuation"), {"date": "2026-03-31"})

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="valuation-total">37.50<' in page
    assert 'data-testid="ledger-balance">37.50<' in page
    assert 'data-testid="ledger-difference">0.00<' in page
    assert "The valuation equals the ledger." in page
    layers = reverse("inventory:valuation_layers") + f"?product={valued.average.pk}&amp;date=2026-03-31"
    assert f'<a href="{layers}">AVG</a>' in page
    assert "1405 Finished goods and merchandise" in page
    assert "vendor/chartjs/chart.umd.min.js" not in page  # one category: nothing to compare in a chart


def test_valuation_screen_charts_the_value_by_category(valued, web):
    from tessera.products.tests.factories import ProductCategoryFactory, ProductFactory

    other = ProductCategoryFactory(company=valued.company, name="Spare parts")
    part = ProductFactory(company=valued.company, sku="PART", category=other, uom=valued.average.uom)
    valued.receive(part, 1, "100.00", date=D(2026, 3, 5))

    response = web.get(reverse("inventory:valuation"), {"date": "2026-03-31"})

    assert _chart(response.content, "valuation-chart") == {
        "labels": ["Spare parts", "Goods"], "values": ["100.00", "37.50"], "label": "Value"}
    assert "vendor/chartjs/chart.umd.min.js" in response.content.decode()


def test_valuation_screen_exports_and_groups(web):
    response = web.get(reverse("inventory:valuation"), {"date": "2026-03-31", "export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    grouped = web.get(reverse("inventory:valuation"), {"date": "2026-03-31", "group": "category"})
    assert grouped.status_code == 200 and "Goods" in grouped.content.decode()


def test_a_filtered_valuation_says_where_the_ledger_comparison_is(valued, web):
    response = web.get(reverse("inventory:valuation"), {"date": "2026-03-31", "category": valued.category.pk})

    assert 'data-testid="ledger-tie"' not in response.content.decode()
    assert "clear the category and warehouse filters" in response.content.decode()


def test_a_bad_date_shows_the_form_error(web):
    response = web.get(reverse("inventory:valuation"), {"date": "2026-02-30"})

    assert response.status_code == 200
    assert response.context["form"].errors["date"]
    assert response.context["table"] is None


def test_product_layers_screen(valued, web):
    prompt = web.get(reverse("inventory:valuation_layers"))
    assert "Choose a product" in prompt.content.decode()

    response = web.get(reverse("inventory:valuation_layers"), {"product": valued.average.pk})

    assert response.status_code == 200
    assert [row["cells"][1][0] for row in response.context["rows"]] == ["Receipt", "Receipt", "Delivery"]
    assert [row["cells"][6][0] for row in response.context["rows"]] == ["50.00", "60.00", "-82.50"]
    assert [row["cells"][-2][0] for row in response.context["rows"]] == ["50.00", "110.00", "27.50"]
    first = valued.receive(valued.average, 1, "1.00", date=D(2026, 3, 10))  # links: its move, its entry
    rows = web.get(reverse("inventory:valuation_layers"), {"product": valued.average.pk}).context["rows"]
    assert rows[-1]["url"] == reverse("inventory:stockmove_detail", args=[first.pk])
    assert rows[-1]["entry_url"] == reverse("accounting:journalentry_detail", args=[first.entry_id])


def test_slow_moving_screen_with_its_chart(valued, web):
    response = web.get(reverse("inventory:report_slow_moving"), {"date": "2026-12-31", "days": "90"})

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="slow-total">37.50<' in page
    assert 'data-testid="dead-total">37.50<' in page
    assert _chart(response.content, "slow-moving-chart") == {
        "labels": ["90–179 days", "180–359 days", "360 days or more", "Never delivered"],
        "values": ["0", "27.50", "0", "10.00"], "label": "Value"}
    assert web.get(reverse("inventory:report_slow_moving"), {"days": "0"}).context["form"].errors["days"]


def test_menu_has_the_valuation_screens(web):
    page = web.get(reverse("inventory:valuation")).content.decode()

    assert f'href="{reverse("inventory:valuation")}"' in page
    assert f'href="{reverse("inventory:report_slow_moving")}"' in page


@pytest.mark.parametrize("name", ["inventory:valuation", "inventory:valuation_layers", "inventory:report_slow_moving"])
def test_a_role_without_inventory_access_is_refused(valued, client_for, make_user, name):  # noqa: F811
    response = client_for(make_user("hr_officer", username="hr1")).get(reverse(name))

    assert response.status_code == 403


def test_every_screen_renders_in_chinese(valued, web):
    web.cookies["django_language"] = "zh-hans"
    urls = [reverse("inventory:valuation") + "?date=2026-03-31&group=warehouse",
            reverse("inventory:valuation_layers") + f"?product={valued.fifo.pk}",
            reverse("inventory:report_slow_moving") + "?date=2026-12-31&days=30"]

    assert {url: web.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").status_code for url in urls} == {url: 200 for url in urls}
