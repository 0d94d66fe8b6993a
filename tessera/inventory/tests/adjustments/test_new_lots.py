"""Stock counts find stock under a lot or serial number not in Tessera yet: counted by line (`lot_name`,
`expiry_on`) or scanned with the product chosen, the lot is created with the count and the stock is gained under
it when posted; an existing name is reused; untracked products and serials counted twice are refused (nothing
written); the API and the counting screen do the same."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse

from tessera.accounting.models import JournalEntryLine
from tessera.core.errors import ValidationFailed
from tessera.core.tests.views.conftest import client_for  # noqa: F401
from tessera.inventory.models import Adjustment, AdjustmentLine, Lot, StockMove, StockQuant
from tessera.inventory.services.adjustments import adjustment_count, adjustment_create, adjustment_post, adjustment_scan

from ..conftest import TODAY, dec, receive

API = "/api/v1/inventory/adjustments/"


def balance(account):
    totals = JournalEntryLine.objects.filter(account=account, is_posted=True).aggregate(d=Sum("debit"),
                                                                                         c=Sum("credit"))
    return (totals["d"] or Decimal("0")) - (totals["c"] or Decimal("0"))


@pytest.fixture
def counted(stock):
    """2.5 kg of tea lot T1 on shelf B (at 10.00 a kg), 4 widgets in WH/Stock; a count of WH/Stock started."""
    receive(stock, stock.tea, "2.5", location=stock.shelf_b, lot_name="T1")
    receive(stock, stock.widget, 4)
    return adjustment_create(actor=stock.clerk, company=stock.company, data={"location": stock.stock, "date": TODAY})


def snapshot(adjustment):
    adjustment.refresh_from_db()
    return (adjustment.version, sorted(Lot.objects.values_list("name", flat=True)),
            sorted(adjustment.lines.values_list("pk", "counted_quantity")))


def test_a_new_lot_counted_and_posted_creates_the_lot_and_its_stock(stock, books, counted):
    _ledger, accounts = books
    adjustment_count(actor=stock.clerk, adjustment=counted, lines=[
        {"product": stock.tea.pk, "location": stock.shelf_b.pk, "lot_name": " T2 ", "expiry_on": "2027-01-31",
         "counted_quantity": "1.5"}])
    lot = Lot.objects.get(product=stock.tea, name="T2")
    assert (lot.company, lot.expiry_on) == (stock.company, datetime.date(2027, 1, 31))
    line = counted.lines.get(lot=lot)
    assert (line.location, line.expected_quantity, line.counted_quantity) == (stock.shelf_b, dec("0"), dec("1.5"))
    adjustment_post(actor=stock.clerk, adjustment=counted)
    move = StockMove.objects.get(source=f"inventory.adjustment:{counted.pk}")
    assert (move.location, move.location_dest, move.lot, move.product_quantity, move.value) == (
        stock.loss, stock.shelf_b, lot, dec("1.5"), dec("15.00"))
    assert StockQuant.objects.get(product=stock.tea, location=stock.shelf_b, lot=lot).quantity == dec("1.5")
    assert StockQuant.objects.get(product=stock.tea, location=stock.shelf_b, lot__name="T1").quantity == dec("2.5")
    assert (balance(accounts["1405"]), balance(accounts["1901"])) == (dec("80.00"), dec("-15.00"))


def test_an_existing_lot_name_is_reused(stock, counted):
    expected = counted.lines.get(lot__name="T1")
    adjustment_count(actor=stock.clerk, adjustment=counted, lines=[
        {"product": stock.tea.pk, "location": stock.shelf_b.pk, "lot_name": "T1", "counted_quantity": "2"}])
    assert Lot.objects.filter(product=stock.tea).count() == 1
    expected.refresh_from_db()
    assert (counted.lines.count(), expected.counted_quantity) == (2, dec("2"))


def test_a_lot_name_for_an_untracked_product_is_refused_and_nothing_written(stock, counted):
    before = snapshot(counted)
    with pytest.raises(ValidationFailed) as error:
        adjustment_count(actor=stock.clerk, adjustment=counted, lines=[
            {"product": stock.widget.pk, "lot_name": "W-LOT", "counted_quantity": "3"}])
    assert set(error.value.fields) == {"lines.0.lot_name"}
    assert snapshot(counted) == before


def test_bad_new_lot_input_is_refused_per_field_and_rolled_back(stock, counted):
    before = snapshot(counted)
    with pytest.raises(ValidationFailed) as error:
        adjustment_count(actor=stock.clerk, adjustment=counted, lines=[
            {"product": stock.tea.pk, "lot_name": "T3", "counted_quantity": "1"},  # valid, rolled back
            {"product": stock.tea.pk, "lot_name": "T4", "expiry_on": "31/01/2027", "counted_quantity": "1"},
            {"product": stock.tea.pk, "lot_name": "T5", "lot": Lot.objects.get().pk, "counted_quantity": "1"},
            {"product": stock.tea.pk, "lot_name": "   ", "counted_quantity": "1"}])
    assert set(error.value.fields) == {"lines.1.expiry_on", "lines.2.lot_name", "lines.3.lot_name"}
    assert snapshot(counted) == before


def test_a_new_serial_counts_one_at_most(stock, counted):
    before = snapshot(counted)
    with pytest.raises(ValidationFailed) as error:
        adjustment_count(actor=stock.clerk, adjustment=counted, lines=[
            {"product": stock.phone.pk, "lot_name": "SN-1", "counted_quantity": "2"}])
    assert set(error.value.fields) == {"lines.0.counted_quantity"}
    assert snapshot(counted) == before
    adjustment_count(actor=stock.clerk, adjustment=counted, lines=[
        {"product": stock.phone.pk, "lot_name": "SN-1", "counted_quantity": "1"}])
    assert counted.lines.get(lot__name="SN-1").counted_quantity == dec("1")


def test_scan_an_unknown_code_with_the_product_chosen_makes_a_new_lot(stock, counted):
    with pytest.raises(ValidationFailed) as error:
        adjustment_scan(actor=stock.clerk, adjustment=counted, code="T9")
    assert "choose its product" in str(error.value.fields["code"][0])
    assert not Lot.objects.filter(name="T9").exists()
    line = adjustment_scan(actor=stock.clerk, adjustment=counted, code="T9", product=stock.tea.pk,
                           location=stock.shelf_b.pk)
    assert (line.lot.name, line.lot.product, line.location, line.counted_quantity) == (
        "T9", stock.tea, stock.shelf_b, dec("1.000"))
    line = adjustment_scan(actor=stock.clerk, adjustment=counted, code="T9", product=stock.tea.pk,
                           location=stock.shelf_b.pk)  # now a known lot: +1 on its line
    assert (line.counted_quantity, Lot.objects.filter(name="T9").count()) == (dec("2.000"), 1)


def test_scan_refuses_an_untracked_product_and_a_serial_read_twice(stock, counted):
    before = snapshot(counted)
    with pytest.raises(ValidationFailed) as error:
        adjustment_scan(actor=stock.clerk, adjustment=counted, code="NEW-1", product=stock.widget.pk)
    assert set(error.value.fields) == {"product"}
    assert snapshot(counted) == before
    line = adjustment_scan(actor=stock.clerk, adjustment=counted, code="SN-7", product=stock.phone)
    assert (line.lot.name, line.counted_quantity) == ("SN-7", dec("1"))
    with pytest.raises(ValidationFailed) as error:
        adjustment_scan(actor=stock.clerk, adjustment=counted, code="SN-7")
    assert set(error.value.fields) == {"code"}
    line.refresh_from_db()
    assert line.counted_quantity == dec("1")


# --- API ----------------------------------------------------------------------------------------------------


def test_api_counts_and_scans_new_lots(api_client_for, stock, counted):
    api = api_client_for(stock.clerk)
    response = api.patch(f"{API}{counted.pk}/", {"lines": [
        {"product": stock.tea.pk, "location": stock.shelf_b.pk, "lot_name": "T2", "expiry_on": "2027-01-31",
         "counted_quantity": "1.5"}]}, format="json")
    assert response.status_code == 200, response.json()
    assert [(line["lot_name"], line["counted_quantity"]) for line in response.json()["lines"]
            if line["lot_name"] == "T2"] == [("T2", "1.5000")]
    assert Lot.objects.get(name="T2").expiry_on == datetime.date(2027, 1, 31)
    response = api.post(f"{API}{counted.pk}/scan/", {"code": "SN-3", "product": stock.phone.pk}, format="json")
    assert (response.status_code, response.json()["lot_name"], response.json()["counted_quantity"]) == (
        200, "SN-3", "1.0000")
    before = snapshot(counted)
    response = api.patch(f"{API}{counted.pk}/", {"lines": [
        {"product": stock.widget.pk, "lot_name": "W-LOT", "counted_quantity": "1"}]}, format="json")
    assert (response.status_code, response.json()["error"]["code"], list(response.json()["error"]["fields"])) == (
        400, "validation_error", ["lines.0.lot_name"])
    response = api.post(f"{API}{counted.pk}/scan/", {"code": "UNKNOWN"}, format="json")
    assert (response.status_code, list(response.json()["error"]["fields"])) == (400, ["code"])
    assert snapshot(counted) == before
    response = api.post(f"{API}{counted.pk}/post/", format="json")
    assert response.status_code == 200, response.json()
    assert StockQuant.objects.get(lot__name="SN-3", location=stock.stock).quantity == dec("1")


# --- Counting screen ----------------------------------------------------------------------------------------


def test_screen_adds_stock_found_under_a_new_lot(client_for, stock, counted):  # noqa: F811
    web = client_for(stock.clerk)
    url = reverse("inventory:adjustment_count", args=[counted.pk])
    page = web.get(url)
    assert page.status_code == 200 and b'data-testid="add-line-form"' in page.content
    assert f'value="{stock.tea.pk}" data-tracking="lot"'.encode() in page.content
    response = web.post(url, {"add-product": stock.tea.pk, "add-location": stock.shelf_b.pk, "add-lot_name": "T2",
                              "add-expiry_on": "2027-01-31", "add-counted_quantity": "1.5"})
    line = AdjustmentLine.objects.get(lot__name="T2")
    assert response.status_code == 302 and response.url == f"{url}?focus={line.pk}#line-{line.pk}"
    assert (line.location, line.counted_quantity, line.lot.expiry_on) == (
        stock.shelf_b, dec("1.5"), datetime.date(2027, 1, 31))


def test_screen_shows_field_errors_and_writes_nothing(client_for, stock, counted):  # noqa: F811
    web = client_for(stock.clerk)
    url = reverse("inventory:adjustment_count", args=[counted.pk])
    before = snapshot(counted)
    response = web.post(url, {"add-product": stock.widget.pk, "add-lot_name": "W-LOT",
                              "add-counted_quantity": "1"})
    assert response.status_code == 400
    assert list(response.context["add_form"].errors) == ["lot_name"]
    response = web.post(url, {"add-product": stock.phone.pk, "add-lot_name": "SN-1",
                              "add-counted_quantity": "2"})
    assert (response.status_code, list(response.context["add_form"].errors)) == (400, ["counted_quantity"])
    response = web.post(url, {"add-product": stock.tea.pk, "add-counted_quantity": "1"})
    assert (response.status_code, list(response.context["add_form"].errors)) == (400, ["lot_name"])
    assert snapshot(counted) == before


def test_screen_scan_of_an_unknown_code_offers_it_as_a_new_lot(client_for, stock, counted):  # noqa: F811
    web = client_for(stock.clerk)
    url = reverse("inventory:adjustment_count", args=[counted.pk])
    response = web.post(url, {"code": "T7"})
    assert response.status_code == 302 and response.url == f"{url}?new_lot=T7#add-line"
    page = web.get(response.url.split("#")[0])
    form = page.context["add_form"]
    assert (form.is_open, form["lot_name"].value(), form["counted_quantity"].value()) == (True, "T7", "1")
    assert b'id="add-line" open' in page.content
    assert Adjustment.objects.get().version == counted.version and not Lot.objects.filter(name="T7").exists()
