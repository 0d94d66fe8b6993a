"""Purchasing demo: supplier price lists with quantity breaks, and purchase orders in every state made
through the purchasing services, so the order list, the reports and the dashboard have data.

CN01: two more suppliers (深圳华强电子 for electronics, 杭州西湖茶业 for tea) beside the accounting demo's
苏州精工; an approval rule (orders above 50,000 CNY need a purchasing manager); orders — a draft, one
waiting for approval (monitors, 71,190.00), a confirmed one, one partially received and late (with a
quality return), one received with a lot (not billed yet), one billed at a higher price than ordered (the
mismatch approved by the purchasing manager, the difference posted to the price difference account), one
received, billed and paid (closed), and a cancelled one. US01: a warehouse, prices, a confirmed, a billed and a
draft order.

Runs after the accounting, products and inventory demos. Idempotent: prices are found by supplier, product
and quantity break, the rule by name, orders by their reference (DEMO-PO-..); each order's story runs once.
"""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from tessera.core import demo
from tessera.core.context import acting
from tessera.core.models import Role
from tessera.inventory.models import Warehouse
from tessera.partners.models import Partner
from tessera.products.models import Product

from .models import PurchaseOrder, SupplierPrice
from .services.settings import purchase_settings

RULE_NAME = "采购订单超过 50,000 元"  # the approval rule's name (CN01's users read Chinese)
APPROVAL_LIMIT = Decimal("50000")

# company -> [(code, name, country)]: suppliers the purchasing demo adds.
SUPPLIERS = {
    "CN01": [("S003", "深圳华强电子有限公司", "CN"), ("S004", "杭州西湖茶业有限公司", "CN")],
    "US01": [],
}
# company -> [(supplier, sku, [(from quantity, price)] in the product's purchase unit, lead days, supplier's code)]
PRICES = {
    "CN01": [
        ("S001", "EL-001", [("0", "528.00"), ("10", "498.00"), ("50", "468.00")], 7, "JG-MS-12"),
        ("S001", "EL-004", [("0", "132.00"), ("20", "126.00")], 5, "JG-USBC-12"),
        ("S001", "OF-001", [("0", "222.00"), ("10", "210.00")], 3, ""),
        ("S001", "OF-002", [("0", "11.00"), ("100", "10.00")], 3, ""),
        ("S003", "EL-002", [("0", "158.00"), ("50", "150.00")], 10, "HQ-KB-87"),
        ("S003", "EL-003", [("0", "1080.00"), ("20", "1050.00")], 14, "HQ-MON-27"),
        ("S003", "EL-005", [("0", "175.00"), ("100", "168.00")], 10, "HQ-EP-BT"),
        ("S004", "FD-001", [("0", "500.00"), ("50", "480.00")], 5, "XH-LJ-A"),
    ],
    "US01": [
        ("S001", "EL-001", [("0", "96.00"), ("10", "90.00")], 10, "CT-MOUSE-12"),
        ("S001", "EL-004", [("0", "30.00"), ("20", "27.00")], 10, "CT-USBC-12"),
    ],
}


def _day(ctx, days: int) -> datetime.date:
    """`days` before today (negative: after)."""
    return ctx.today - datetime.timedelta(days=days)


@demo.register(order=40)
def build_purchasing(ctx: demo.DemoContext) -> None:
    """Suppliers, prices, the approval rule and the orders of CN01 and US01."""
    for code in ("CN01", "US01"):
        company = ctx.companies[code]
        _suppliers(ctx, company)
        _prices(ctx, company)
    cn = ctx.companies["CN01"]
    settings = purchase_settings(cn)
    if not settings.price_tolerance_percent:  # a bill 2 % or more above the order price needs approval
        settings.price_tolerance_percent = Decimal("2")
        settings.over_receipt_percent = Decimal("5")
        settings.save()
    _approval_rule(ctx, cn)
    made = 0
    for code, stories in STORIES.items():
        company = ctx.companies[code]
        if code == "US01":
            _us_warehouse(ctx, company)
        for reference, story in stories:
            if PurchaseOrder.objects.filter(company=company, reference=reference).exists():
                continue
            story(ctx, company, reference)
            made += 1
    if made:
        ctx.out(_("Created %(count)s demo purchase orders") % {"count": made})


def _suppliers(ctx, company) -> None:
    from tessera.partners.services import partner_create, payment_terms_default

    terms = {term.code: term for term in payment_terms_default(company)}
    for code, name, country in SUPPLIERS[company.code]:
        if not Partner.objects.filter(company=company, code=code).exists():
            partner_create(actor=ctx.admin, company=company, allow_duplicate=True, data={
                "code": code, "name": name, "is_customer": False, "is_supplier": True, "country": country,
                "payment_term": terms.get("NET30")})


def _prices(ctx, company) -> None:
    from .services.prices import supplier_price_create

    created = 0
    for supplier_code, sku, breaks, lead_days, supplier_sku in PRICES[company.code]:
        partner = Partner.objects.filter(company=company, code=supplier_code).first()
        product = Product.objects.filter(company=company, sku=sku).first()
        if partner is None or product is None:
            continue
        for minimum, price in breaks:
            if SupplierPrice.objects.filter(company=company, partner=partner, product=product,
                                            min_quantity=Decimal(minimum)).exists():
                continue
            supplier_price_create(actor=ctx.admin, company=company, data={
                "partner": partner, "product": product, "min_quantity": Decimal(minimum), "price": Decimal(price),
                "lead_days": lead_days, "supplier_sku": supplier_sku, "valid_from": ctx.today.replace(month=1, day=1)
                if ctx.today.month > 2 else None})
            created += 1
    if created:
        ctx.out(_("Created %(count)s supplier prices in %(company)s") % {"count": created, "company": company.code})


def _approval_rule(ctx, company) -> None:
    from tessera.approvals.models import ApprovalRule
    from tessera.approvals.services.rules import rule_create

    if ApprovalRule.objects.filter(company=company, name=RULE_NAME).exists():
        return
    rule_create(actor=ctx.admin, company=company, data={
        "name": RULE_NAME, "document_type": "purchasing.purchaseorder", "priority": 10,
        "description": "Purchase orders above 50,000 CNY (with tax) need a purchasing manager's approval."},
        conditions=[{"field": "amount", "operator": "gt", "value": str(APPROVAL_LIMIT)}],
        steps=[{"level": 1, "approver_type": "role", "role": Role.objects.get(code="purchasing_manager"),
                "min_approvals": 1}])


def _us_warehouse(ctx, company) -> None:
    from tessera.inventory.services import warehouse_create

    if not Warehouse.objects.filter(company=company).exists():
        warehouse_create(actor=ctx.admin, company=company, data={
            "code": "SF", "name": "San Francisco DC", "address": "500 Terry A Francois Blvd, San Francisco, CA"})



# --- The orders' stories: each makes one order (found again by its reference) and takes it to its state ----

def _partner(company, code):
    return Partner.objects.get(company=company, code=code)


def _product(company, sku):
    return Product.objects.get(company=company, sku=sku)


def _warehouse(company, code="SH"):
    """The warehouse `code` (CN01's main warehouse 上海总仓 by default), else the company's first."""
    warehouses = Warehouse.objects.filter(company=company, is_active=True)
    return warehouses.filter(code=code).first() or warehouses.order_by("code").first()


def _order(ctx, company, reference, supplier, lines, *, days, expected_in=None, warehouse="SH", notes=""):
    """A draft order dated `days` ago, expected `expected_in` days after its date; `lines`: [(sku,
    quantity in the purchase unit)] priced from the supplier's price list."""
    from .services.orders import order_create

    date = _day(ctx, days)
    data = {"partner": _partner(company, supplier), "date": date, "reference": reference, "notes": notes,
            "warehouse": _warehouse(company, warehouse)}
    if expected_in is not None:
        data["expected_on"] = date + datetime.timedelta(days=expected_in)
    return order_create(actor=ctx.admin, company=company, data=data, lines=[
        {"product": _product(company, sku).pk, "quantity": quantity} for sku, quantity in lines])


def _confirmed(ctx, company, reference, supplier, lines, **kwargs):
    from .services.orders import order_confirm

    return order_confirm(actor=ctx.admin, order=_order(ctx, company, reference, supplier, lines, **kwargs))


def _receive(ctx, order, quantities: dict, *, days, lots=None, reference=""):
    """Receive {sku: quantity} (line unit) `days` ago; `lots`: {sku: [(lot name, quantity, expiry)]}."""
    from .services.receipts import order_receive

    rows = []
    for line in order.lines.select_related("product"):
        if line.product.sku not in quantities:
            continue
        row = {"line": line.pk, "quantity": str(quantities[line.product.sku])}
        if lots and line.product.sku in lots:
            row["lots"] = [{"lot_name": name, "quantity": str(quantity), "expiry_on": expiry}
                           for name, quantity, expiry in lots[line.product.sku]]
        rows.append(row)
    return order_receive(actor=ctx.admin, order=order, lines=rows, date=_day(ctx, days), reference=reference)


def _bill(ctx, order, *, days, reference, unit_price=None):
    """Bill the order `days` ago (at `unit_price` instead of the order's: a price difference), approve a
    mismatch as the purchasing manager, post."""
    from tessera.accounting.services.invoices import invoice_post, invoice_update

    from .services.bills import order_bill
    from .services.matching import bill_match_approve, bill_match_check

    order.refresh_from_db()
    invoice = order_bill(actor=ctx.admin, order=order, date=_day(ctx, days), reference=reference)
    if unit_price is not None:
        line = invoice.lines.get()
        invoice = invoice_update(actor=ctx.admin, invoice=invoice, data={}, lines=[{
            "product": line.product_id, "description": line.description, "account": line.account_id,
            "quantity": str(line.quantity), "uom": line.uom_id, "unit_price": unit_price,
            "taxes": [tax.pk for tax in line.taxes.all()]}])
    match = bill_match_check(invoice)
    if match is not None and match.state == "mismatch":
        manager = ctx.users["purchasing"]
        with acting(user=manager):
            bill_match_approve(actor=manager, invoice=invoice,
                               note="供应商因原材料涨价调整单价，已电话确认，同意按发票价格入账。")
    return invoice_post(actor=ctx.admin, invoice=invoice)


def draft_pens(ctx, company, reference):
    _order(ctx, company, reference, "S001", [("OF-002", "50")], days=2, expected_in=5)


def waiting_monitors(ctx, company, reference):
    """63,000.00 + 13 % VAT: above the rule's 50,000, submitted to the purchasing managers."""
    from .services.orders import order_submit

    order = _order(ctx, company, reference, "S003", [("EL-003", "60")], days=3, expected_in=14,
                   notes="年底办公室显示器统一更换。")
    order_submit(actor=ctx.admin, order=order)


def confirmed_keyboards(ctx, company, reference):
    _confirmed(ctx, company, reference, "S003", [("EL-002", "30")], days=5, expected_in=12)


def partial_mice(ctx, company, reference):
    """20 boxes ordered, 12 arrived on time, the rest is late; one box went back damaged."""
    from .services.returns import return_create, return_post

    order = _confirmed(ctx, company, reference, "S001", [("EL-001", "20")], days=40, expected_in=15)
    _receive(ctx, order, {"EL-001": "12"}, days=26, reference="DN-JG-0412")
    line = order.lines.get()
    supplier_return = return_create(actor=ctx.admin, company=company, data={
        "order": order.pk, "date": _day(ctx, 20), "reason": "外壳破损（质量问题）", "is_quality_issue": True},
        lines=[{"order_line": line.pk, "quantity": "1"}])
    return_post(actor=ctx.admin, supplier_return=supplier_return)


def received_tea(ctx, company, reference):
    """10 kg of tea (lot LJ-2026-B), two days late; not billed yet."""
    product = _product(company, "FD-001")
    from .services.orders import order_confirm, order_create

    date = _day(ctx, 20)
    order = order_create(actor=ctx.admin, company=company, data={
        "partner": _partner(company, "S004"), "date": date, "reference": reference,
        "expected_on": date + datetime.timedelta(days=8), "warehouse": _warehouse(company, "SH")},
        lines=[{"product": product.pk, "quantity": "10", "uom": product.uom_id}])
    order = order_confirm(actor=ctx.admin, order=order)
    _receive(ctx, order, {"FD-001": "10"}, days=10, reference="XH-2026-031",
             lots={"FD-001": [("LJ-2026-B", "10", ctx.today + datetime.timedelta(days=365))]})


def billed_cables(ctx, company, reference):
    """20 boxes at 126.00 received a day late, billed at 130.00 a box: a mismatch the manager approved."""
    order = _confirmed(ctx, company, reference, "S001", [("EL-004", "20")], days=35, expected_in=7)
    _receive(ctx, order, {"EL-004": "20"}, days=27, reference="DN-JG-0388")
    _bill(ctx, order, days=25, reference="JG-INV-20388", unit_price="130.00")


def closed_earphones(ctx, company, reference):
    """Received early (lot EP-2603), billed at the order price and paid: closed."""
    from tessera.accounting.models import Journal

    from .services.proposal import payment_proposal_pay

    order = _confirmed(ctx, company, reference, "S003", [("EL-005", "20")], days=50, expected_in=10)
    _receive(ctx, order, {"EL-005": "20"}, days=41, reference="HQ-DN-7781", lots={"EL-005": [("EP-2603", "20", None)]})
    bill = _bill(ctx, order, days=38, reference="HQ-INV-7781")
    journal = Journal.objects.filter(company=company, kind="bank", is_active=True).order_by("code").first()
    payment_proposal_pay(actor=ctx.admin, company=company, invoices=[bill], date=_day(ctx, 8), journal=journal)


def cancelled_paper(ctx, company, reference):
    from .services.orders import order_cancel

    order_cancel(actor=ctx.admin, order=_confirmed(ctx, company, reference, "S001", [("OF-001", "5")], days=15,
                                                    expected_in=3, notes="供应商缺货，改向其他供应商采购。"))


def us_confirmed_mice(ctx, company, reference):
    _confirmed(ctx, company, reference, "S001", [("EL-001", "15")], days=6, expected_in=12)


def us_billed_cables(ctx, company, reference):
    order = _confirmed(ctx, company, reference, "S001", [("EL-004", "20")], days=30, expected_in=10)
    _receive(ctx, order, {"EL-004": "20"}, days=22, reference="CT-ASN-5521")
    _bill(ctx, order, days=20, reference="CT-INV-5521")


def us_draft_mice(ctx, company, reference):
    _order(ctx, company, reference, "S001", [("EL-001", "5")], days=1, expected_in=14)


# company -> [(reference, story)], in the order they run (older documents first where it matters).
STORIES = {
    "CN01": [("DEMO-PO-01", closed_earphones), ("DEMO-PO-02", partial_mice), ("DEMO-PO-03", billed_cables),
             ("DEMO-PO-04", received_tea), ("DEMO-PO-05", cancelled_paper), ("DEMO-PO-06", confirmed_keyboards),
             ("DEMO-PO-07", waiting_monitors), ("DEMO-PO-08", draft_pens)],
    "US01": [("DEMO-PO-01", us_billed_cables), ("DEMO-PO-02", us_confirmed_mice), ("DEMO-PO-03", us_draft_mice)],
}
