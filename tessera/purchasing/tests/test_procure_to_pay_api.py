"""Procure-to-pay end to end through the REST API, each step by the person who does it in a company:
an employee asks (requisition), the purchasing manager approves it, the purchaser orders (the order needs
approval above 500), the clerk receives in two parts, the accountant bills and pays. Exact stock and
ledger balances after every step; the forbidden moves answer their error codes and change nothing."""

from decimal import Decimal

import pytest

from tessera.approvals.models import ApprovalCondition, ApprovalRule, ApprovalStep
from tessera.core.models import Role
from tessera.inventory.models import StockQuant
from tessera.purchasing.models import PurchaseOrder

pytestmark = pytest.mark.django_db

API = "/api/v1/purchasing"
ZERO = Decimal("0")


def on_hand(p, product) -> Decimal:
    return sum((quant.quantity for quant in StockQuant.objects.filter(product=product, location=p.stock)), ZERO)


def ledger(p) -> dict:
    """Inventory, GR/IR, input VAT, payable (the supplier) and bank balances (debit - credit)."""
    return {"inventory": p.balance("1405"), "grir": p.balance("220202"), "input_vat": p.balance("22210101"),
            "payable": p.balance("220201"), "bank": p.balance("1002")}


def ok(response, status=200) -> dict:
    assert response.status_code == status, response.content
    return response.json()


def error_code(response, status) -> str:
    assert response.status_code == status, response.content
    return response.json()["error"]["code"]


@pytest.fixture
def clients(p, api_client_for):
    class Clients:
        employee = api_client_for(p.employee)
        purchaser = api_client_for(p.purchaser)
        manager = api_client_for(p.manager)
        clerk = api_client_for(p.clerk)
        accountant = api_client_for(p.accountant)

    return Clients


@pytest.fixture
def order_rule(p):
    """Purchase orders above 500.00 need a purchasing manager's approval."""
    rule = ApprovalRule.objects.create(company=p.company, name="Orders over 500",
                                       document_type="purchasing.purchaseorder", priority=10)
    ApprovalCondition.objects.create(company=p.company, rule=rule, field="amount", operator="gt", value="500")
    ApprovalStep.objects.create(company=p.company, rule=rule, level=1, approver_type="role",
                                role=Role.objects.get(code="purchasing_manager"), min_approvals=1)
    return rule


def test_requisition_to_payment_with_exact_stock_and_ledger_at_each_step(p, clients, order_rule):
    # The purchasing manager keeps S1's price: 60.00 a box of 12 widgets.
    ok(clients.manager.post(f"{API}/price-lists/", {
        "partner": p.s1.pk, "product": p.widget.pk, "currency": p.company.base_currency_id, "uom": p.box.pk,
        "min_quantity": "1", "price": "60.00"}, format="json"), 201)

    # An employee asks for 10 boxes; the purchasing manager approves the requisition.
    requisition = ok(clients.employee.post(f"{API}/requisitions/", {
        "date": "2026-03-02", "warehouse": p.warehouse.pk, "description": "Shelf stock",
        "lines": [{"product": p.widget.pk, "quantity": "10", "uom": p.box.pk, "supplier": p.s1.pk}]},
        format="json"), 201)
    assert ok(clients.employee.post(f"{API}/requisitions/{requisition['id']}/submit/"))["state"] == "submitted"
    assert error_code(clients.employee.post(f"{API}/requisitions/{requisition['id']}/approve/"), 403) == \
        "permission_denied"
    assert ok(clients.manager.post(f"{API}/requisitions/{requisition['id']}/approve/"))["state"] == "approved"

    # The purchaser turns it into an order at the supplier's price.
    converted = ok(clients.purchaser.post(f"{API}/requisitions/{requisition['id']}/convert/", {"to": "order"},
                                          format="json"))
    [order_id] = converted["orders"]
    order = ok(clients.purchaser.get(f"{API}/orders/{order_id}/"))
    [line] = order["lines"]
    assert (order["state"], order["partner"], order["total_untaxed"], order["total_tax"], order["total"]) == (
        "draft", p.s1.pk, "600.00", "78.00", "678.00")
    assert (line["quantity"], line["uom"], line["unit_price"]) == ("10.0000", p.box.pk, "60.000000")

    # Above 500 it needs approval: confirming first is refused and changes nothing.
    assert error_code(clients.purchaser.post(f"{API}/orders/{order_id}/confirm/"), 409) == "approval_required"
    assert PurchaseOrder.objects.get(pk=order_id).state == "draft"
    assert ok(clients.purchaser.post(f"{API}/orders/{order_id}/submit/"))["state"] == "submitted"
    assert ok(clients.manager.post(f"{API}/orders/{order_id}/approve/", {"comment": "OK"},
                                   format="json"))["state"] == "approved"
    confirmed = ok(clients.purchaser.post(f"{API}/orders/{order_id}/confirm/"))
    assert confirmed["state"] == "confirmed" and confirmed["number"].startswith("PO-")
    assert (on_hand(p, p.widget), ledger(p)) == (ZERO, {"inventory": ZERO, "grir": ZERO, "input_vat": ZERO,
                                                        "payable": ZERO, "bank": ZERO})

    # The clerk receives 4 boxes: 48 pieces at 5.00, Dr inventory / Cr GR/IR.
    ok(clients.clerk.post(f"{API}/orders/{order_id}/receive/", {
        "date": "2026-03-05", "lines": [{"line": line["id"], "quantity": "4"}]}, format="json"), 201)
    assert ok(clients.clerk.get(f"{API}/orders/{order_id}/"))["state"] == "partially_received"
    assert on_hand(p, p.widget) == Decimal("48")
    assert ledger(p) == {"inventory": Decimal("240.00"), "grir": Decimal("-240.00"), "input_vat": ZERO,
                         "payable": ZERO, "bank": ZERO}

    # More than the rest (no over-receipt tolerance) is refused and writes nothing; then the other 6 boxes.
    assert error_code(clients.clerk.post(f"{API}/orders/{order_id}/receive/", {
        "lines": [{"line": line["id"], "quantity": "7"}]}, format="json"), 400) == "validation_error"
    assert on_hand(p, p.widget) == Decimal("48")
    ok(clients.clerk.post(f"{API}/orders/{order_id}/receive/", {
        "date": "2026-03-06", "lines": [{"line": line["id"], "quantity": "6"}]}, format="json"), 201)
    assert ok(clients.clerk.get(f"{API}/orders/{order_id}/"))["state"] == "received"
    assert on_hand(p, p.widget) == Decimal("120")
    assert ledger(p) == {"inventory": Decimal("600.00"), "grir": Decimal("-600.00"), "input_vat": ZERO,
                         "payable": ZERO, "bank": ZERO}

    # The accountant bills what was received and posts it: GR/IR cleared, input VAT and the payable booked.
    bill = ok(clients.accountant.post(f"{API}/orders/{order_id}/bill/", {"date": "2026-03-10",
                                                                        "reference": "FP-0001"},
                                      format="json"), 201)
    assert (bill["state"], bill["total"]) == ("draft", "678.00")
    assert ok(clients.accountant.post(f"/api/v1/accounting/invoices/{bill['id']}/post/"))["state"] == "posted"
    assert ok(clients.accountant.get(f"{API}/orders/{order_id}/"))["state"] == "billed"
    assert ledger(p) == {"inventory": Decimal("600.00"), "grir": ZERO, "input_vat": Decimal("78.00"),
                         "payable": Decimal("-678.00"), "bank": ZERO}

    # The payment proposal lists the bill by its due date (S1 pays in 30 days); paying it closes the order.
    proposal = ok(clients.accountant.get(f"{API}/payment-proposal/?due_by=2026-04-30"))
    assert [(row["partner"], row["total"]) for row in proposal["results"]] == [(p.s1.pk, "678.00")]
    [payment] = ok(clients.accountant.post(f"{API}/payment-proposal/pay/", {
        "invoices": [bill["id"]], "date": "2026-04-09", "journal": p.bank_journal.pk}, format="json"), 201)["payments"]
    assert (payment["amount"], payment["state"]) == ("678.00", "posted")
    assert ok(clients.accountant.get(f"{API}/orders/{order_id}/"))["state"] == "closed"
    assert ledger(p) == {"inventory": Decimal("600.00"), "grir": ZERO, "input_vat": Decimal("78.00"),
                         "payable": ZERO, "bank": Decimal("-678.00")}
    assert on_hand(p, p.widget) == Decimal("120")


def test_a_cancelled_order_cannot_be_received(p, clients):
    order = ok(clients.purchaser.post(f"{API}/orders/", {
        "partner": p.s1.pk, "date": "2026-03-02", "warehouse": p.warehouse.pk,
        "lines": [{"product": p.widget.pk, "quantity": "1", "uom": p.box.pk, "unit_price": "60"}]},
        format="json"), 201)
    ok(clients.purchaser.post(f"{API}/orders/{order['id']}/confirm/"))
    assert ok(clients.manager.post(f"{API}/orders/{order['id']}/cancel/"))["state"] == "cancelled"

    response = clients.clerk.post(f"{API}/orders/{order['id']}/receive/", {
        "lines": [{"line": order["lines"][0]["id"], "quantity": "1"}]}, format="json")

    assert error_code(response, 409) == "invalid_state"
    assert on_hand(p, p.widget) == ZERO and p.balance("1405") == ZERO
