"""RFQ screens: pages render (English and Chinese), the form, quote entry, the comparison grid with the
cheapest highlighted and the totals, award to the cheapest per line or to one supplier; login required."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tessera.core.tests.views.conftest import client_for  # noqa: F401
from tessera.purchasing.models import PurchaseOrder, Rfq, RfqQuote
from tessera.purchasing.services.rfqs import rfq_create, rfq_quote_set, rfq_send
from tessera.purchasing.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(p, s3):
    rfq = rfq_create(actor=p.purchaser, company=p.company, data={"warehouse": p.warehouse.pk, "date": TODAY},
                     lines=[{"product": p.widget.pk, "quantity": "10"}, {"product": p.tea.pk, "quantity": "5"}],
                     suppliers=[p.s1.pk, p.s2.pk, s3.pk])
    rfq_send(actor=p.purchaser, rfq=rfq)
    widget, tea = rfq.lines.order_by("pk")
    for supplier, prices in ((p.s1, ("60", "100")), (p.s2, ("55", "120"))):
        rfq_quote_set(actor=p.purchaser, rfq=rfq, supplier=supplier.pk,
                      quotes=[{"line": widget.pk, "unit_price": prices[0]}, {"line": tea.pk, "unit_price": prices[1]}])
    return rfq


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_page_renders(p, client_for, sent, language):  # noqa: F811
    web = client_for(p.purchaser)
    web.cookies["django_language"] = language
    supplier = sent.suppliers.first()
    urls = [reverse("purchasing:rfq_list"), reverse("purchasing:rfq_create"),
            reverse("purchasing:rfq_detail", args=[sent.pk]),
            reverse("purchasing:rfq_quote", args=[sent.pk, supplier.pk])]
    statuses = {url: web.get(url, HTTP_ACCEPT_LANGUAGE=language).status_code for url in urls}
    assert statuses == {url: 200 for url in urls}


def test_every_url_needs_login(p, client, sent):
    urls = [reverse("purchasing:rfq_list"), reverse("purchasing:rfq_detail", args=[sent.pk])]
    assert {url: client.get(url).status_code for url in urls} == {url: 302 for url in urls}


def test_an_employee_has_no_rfq_screens(p, client_for, sent):  # noqa: F811
    web = client_for(p.employee)
    assert web.get(reverse("purchasing:rfq_list")).status_code == 403
    assert web.get(reverse("purchasing:rfq_detail", args=[sent.pk])).status_code == 403


def test_the_form_creates_a_draft_with_lines_and_suppliers(p, client_for, s3):  # noqa: F811
    response = client_for(p.purchaser).post(reverse("purchasing:rfq_create"), {
        "warehouse": p.warehouse.pk, "date": "2026-03-02", "currency": p.company.base_currency_id,
        "suppliers": [p.s1.pk, s3.pk], "lines-TOTAL_FORMS": "2", "lines-INITIAL_FORMS": "0",
        "lines-0-product": p.widget.pk, "lines-0-quantity": "4", "lines-1-product": ""})
    rfq = Rfq.objects.get()
    assert response.status_code == 302 and response.url == reverse("purchasing:rfq_detail", args=[rfq.pk])
    assert [(line.product, line.quantity) for line in rfq.lines.all()] == [(p.widget, Decimal("4"))]
    assert list(rfq.suppliers.values_list("partner", flat=True)) == [p.s1.pk, s3.pk]


def test_the_grid_highlights_the_cheapest_and_totals_per_supplier(p, client_for, sent, s3):  # noqa: F811
    page = client_for(p.purchaser).get(reverse("purchasing:rfq_detail", args=[sent.pk])).content.decode()
    assert page.count('data-cheapest="1"') == 2
    total = f'data-testid="total-{p.s1.pk}">'
    assert f"{total}1,100.00" in page or f"{total}1100.00" in page
    assert reverse("purchasing:rfq_quote", args=[sent.pk, sent.suppliers.get(partner=s3).pk]) in page


def test_quote_entry_saves_prices_and_shows_line_errors(p, client_for, sent, s3):  # noqa: F811
    supplier = sent.suppliers.get(partner=s3)
    widget, tea = sent.lines.order_by("pk")
    url = reverse("purchasing:rfq_quote", args=[sent.pk, supplier.pk])
    web = client_for(p.purchaser)
    bad = web.post(url, {"lead_days": "3", f"price_{widget.pk}": "-5", f"price_{tea.pk}": ""})
    assert bad.status_code == 400 and not RfqQuote.objects.filter(supplier=supplier).exists()
    good = web.post(url, {"lead_days": "3", f"price_{widget.pk}": "50", f"discount_{widget.pk}": "",
                          f"price_{tea.pk}": ""})
    assert good.status_code == 302
    assert list(RfqQuote.objects.filter(supplier=supplier).values_list("line", "unit_price")) == [
        (widget.pk, Decimal("50"))]
    supplier.refresh_from_db()
    assert supplier.lead_days == 3


def test_award_each_line_to_the_cheapest_from_the_grid(p, client_for, sent):  # noqa: F811
    response = client_for(p.purchaser).post(reverse("purchasing:rfq_award", args=[sent.pk]), {"mode": "cheapest"})
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.state == "awarded"
    assert sorted((order.partner.code, line.product.sku, line.unit_price)
                  for order in PurchaseOrder.objects.all() for line in order.lines.all()) == [
        ("S1", "TEA", Decimal("100")), ("S2", "W-1", Decimal("55"))]


def test_award_all_to_one_supplier_from_the_grid(p, client_for, sent):  # noqa: F811
    client_for(p.purchaser).post(reverse("purchasing:rfq_award", args=[sent.pk]), {"supplier": p.s1.pk})
    order = PurchaseOrder.objects.get()
    assert (order.partner, order.rfq, order.total_untaxed) == (p.s1, sent, Decimal("1100.00"))
