"""Order screens: pages render in English and Chinese, the live form (price list with its source, totals,
add/remove line), saving with line errors on their cells, transition buttons, the PDF, the settings and
supplier price screens, and no access without a purchasing role."""

import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse

from tessera.core.tests.views.conftest import client_for  # noqa: F401
from tessera.purchasing.choices import OrderState
from tessera.purchasing.models import PurchaseOrder, PurchaseSettings, SupplierPrice
from tessera.purchasing.services.orders import order_confirm, order_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def web(client_for, p):  # noqa: F811
    return client_for(p.purchaser)


@pytest.fixture
def price(p):
    return SupplierPrice.objects.create(company=p.company, partner=p.s1, product=p.widget,
                                        currency=p.company.base_currency, uom=p.box, min_quantity=Decimal("10"),
                                        price=Decimal("55"))


def form_data(p, rows, **header):
    data = {"partner": p.s1.pk, "warehouse": p.warehouse.pk, "date": "2026-03-02", "lines-TOTAL_FORMS": str(len(rows)),
            "lines-INITIAL_FORMS": "0", **header}
    for index, row in enumerate(rows):
        data.update({f"lines-{index}-{key}": value for key, value in row.items()})
    return data


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_page_renders(web, p, make_order, language):
    order = make_order()
    web.cookies["django_language"] = language
    urls = [reverse("purchasing:order_list"), reverse("purchasing:order_create"),
            reverse("purchasing:order_detail", args=[order.pk]), reverse("purchasing:order_update", args=[order.pk]),
            reverse("purchasing:order_print", args=[order.pk]), reverse("purchasing:price_list"),
            reverse("purchasing:price_create"), reverse("purchasing:settings")]
    statuses = {url: web.get(url).status_code for url in urls}
    assert statuses == {url: 200 for url in urls}


def test_the_form_creates_an_order_with_the_list_price(web, p, price):
    response = web.post(reverse("purchasing:order_create"), form_data(p, [
        {"product": p.widget.pk, "quantity": "12"}, {"product": ""}]))

    order = PurchaseOrder.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("purchasing:order_detail", args=[order.pk])
    line = order.lines.get()
    assert (line.uom, line.unit_price, list(line.taxes.all()), order.total) == (
        p.box, Decimal("55"), [p.vat13], Decimal("745.80"))


def test_line_errors_show_on_their_cells_and_nothing_is_written(web, p):
    response = web.post(reverse("purchasing:order_create"), form_data(p, [
        {"product": p.widget.pk, "quantity": "1.5", "unit_price": "10"}]))

    assert response.status_code == 200
    assert PurchaseOrder.objects.count() == 0
    formset = response.context["formset"]
    assert "quantity" in formset.forms[0].errors


def test_the_live_lines_show_the_price_source_and_totals(web, p, price):
    data = form_data(p, [{"product": p.widget.pk, "quantity": "12"}])

    response = web.post(reverse("purchasing:order_form_lines"), data, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Price list of S1" in html and "745.80" in html
    info = response.context["line_rows"][0][1]
    assert (info["price"], info["subtotal"]) == (Decimal("55"), Decimal("660.00"))


def test_add_and_remove_lines(web, p):
    data = form_data(p, [{"product": p.widget.pk, "quantity": "1"}, {"product": p.tea.pk, "quantity": "2"}])

    added = web.post(reverse("purchasing:order_form_lines"), {**data, "op": "add"})
    removed = web.post(reverse("purchasing:order_form_lines"), {**data, "op": "remove", "index": "0"})

    assert len(added.context["line_rows"]) == 3
    rows = removed.context["formset"].initial
    assert [row["product"] for row in rows] == [str(p.tea.pk)]
    assert (rows[0]["uom"], rows[0]["taxes"]) == (p.kg.pk, [p.vat13.pk])  # a new product takes its defaults


def test_edit_keeps_the_lines(web, p, make_order):
    order = make_order()
    line = order.lines.get()

    response = web.post(reverse("purchasing:order_update", args=[order.pk]), form_data(
        p, [{"id": line.pk, "product": p.widget.pk, "product_seen": p.widget.pk, "quantity": "20", "uom": p.box.pk,
             "unit_price": "60", "taxes": [p.vat13.pk]}], version="1", reference="Q-9"))

    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.reference, order.total, order.lines.get().pk) == ("Q-9", Decimal("1356.00"), line.pk)


def test_buttons_follow_state_and_permissions(client_for, p, make_order):  # noqa: F811
    order = make_order()
    detail = reverse("purchasing:order_detail", args=[order.pk])

    buyer = client_for(p.purchaser).get(detail).context["actions"]
    clerk = client_for(p.clerk).get(detail)

    assert {action["url"].rsplit("/", 2)[-2] for action in buyer if action["method"] == "post"} >= {"confirm"}
    assert "submit" not in {action["url"].rsplit("/", 2)[-2] for action in buyer}  # no rule applies
    assert "cancel" not in {action["url"].rsplit("/", 2)[-2] for action in buyer}  # purchasers do not cancel
    assert clerk.status_code == 200 and not any("confirm" in action["url"] for action in clerk.context["actions"])


def test_confirm_button_and_refusal_message(web, p, make_order, order_rule):
    big = make_order(lines=[{"product": p.widget.pk, "quantity": "100", "unit_price": "60"}])
    actions = web.get(reverse("purchasing:order_detail", args=[big.pk])).context["actions"]
    assert reverse("purchasing:order_submit", args=[big.pk]) in {action["url"] for action in actions}

    response = web.post(reverse("purchasing:order_confirm", args=[big.pk]), follow=True)

    assert "needs approval" in response.content.decode()
    big.refresh_from_db()
    assert big.state == OrderState.DRAFT


def test_approve_and_reject_from_the_order_page(client_for, p, make_order, order_rule):  # noqa: F811
    first = order_submit(actor=p.purchaser, order=make_order(
        lines=[{"product": p.widget.pk, "quantity": "100", "unit_price": "60"}]))
    second = order_submit(actor=p.purchaser, order=make_order(
        lines=[{"product": p.widget.pk, "quantity": "100", "unit_price": "60"}]))
    manager = client_for(p.manager)

    page = manager.get(reverse("purchasing:order_detail", args=[first.pk])).content.decode()
    assert 'data-testid="decide-form"' in page  # the approvals panel decides it on the order's page
    manager.post(reverse("purchasing:order_approve", args=[first.pk]), {"comment": ""})
    manager.post(reverse("purchasing:order_reject", args=[second.pk]), {"comment": "Too much"})

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (OrderState.APPROVED, OrderState.DRAFT)


def test_the_pdf_renders_chinese(web, p, make_order, tmp_path):
    order = order_confirm(actor=p.purchaser, order=make_order())
    web.cookies["django_language"] = "zh-hans"

    response = web.get(reverse("purchasing:order_detail", args=[order.pk]) + "?format=pdf")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "PO-2026-00001" in response["Content-Disposition"]
    if shutil.which("pdftotext"):
        path = tmp_path / "order.pdf"
        path.write_bytes(response.content)
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        assert "上海供应商有限公司" in text and "小部件" in text


def test_settings_screen_saves(client_for, p):  # noqa: F811
    response = client_for(p.manager).post(reverse("purchasing:settings"), {
        "over_receipt_percent": "5", "quantity_tolerance_percent": "0", "price_tolerance_percent": "2",
        "amount_tolerance": "1.00", "price_difference_account": "",
        "requisition_needs_approval": "on"})

    assert response.status_code == 302
    settings = PurchaseSettings.objects.get(company=p.company)
    assert (settings.over_receipt_percent, settings.price_tolerance_percent) == (Decimal("5"), Decimal("2"))


def test_supplier_price_screen_creates(web, p):
    response = web.post(reverse("purchasing:price_create"), {
        "partner": p.s1.pk, "product": p.widget.pk, "min_quantity": "0", "price": "58", "discount": "0",
        "lead_days": "3", "is_active": "on"})

    assert response.status_code == 302
    price = SupplierPrice.objects.get()
    assert (price.uom, price.currency, price.price) == (p.box, p.company.base_currency, Decimal("58"))


def test_no_access_without_a_purchasing_role(client_for, p, make_order, make_user):  # noqa: F811
    outsider = client_for(make_user("hr_officer", username="hr"))
    order = make_order()

    assert outsider.get(reverse("purchasing:order_list")).status_code == 403
    assert outsider.get(reverse("purchasing:order_detail", args=[order.pk])).status_code == 403
