"""Purchase requisitions: any employee asks for goods; once approved, purchasing turns them (several at
once) into purchase orders or a request for quotation.

Life cycle (REQUISITION_TRANSITIONS): draft -> submitted (numbered PR-{fy}-00001) -> approved -> ordered
(every line on an order or an RFQ); submitted -> rejected (-> submitted again); cancelled from any open state.

Approval, on submit: when an approval rule applies (approvals document "purchasing.requisition", amount =
quantity x estimated price), an approval request is submitted and the requisition follows its decision
(`requisition_decided`, the registry's on_decided: wherever it is decided). Without a rule it waits for
`requisition_approve` by someone with purchasing.approve_requisition when the company's setting
`requisition_needs_approval` is on (the default), else it is approved at once. Segregation of duties:
nobody approves or rejects their own requisition.

Visibility: people who may convert or approve requisitions see the company's; everyone else only their own
(`requisitions_visible`). Changing, submitting and cancelling: the requester, or a purchaser.
"""

from collections import OrderedDict
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tessera.accounting.models import CostCenter
from tessera.approvals.services import approval_withdraw_for_cancelled
from tessera.core.errors import InvalidState, PermissionDenied, ValidationFailed
from tessera.core.models import Company
from tessera.core.permissions import check, require
from tessera.core.services.base import validate
from tessera.core.services.companies import module_is_active
from tessera.core.services.numbering import sequence_default, sequence_next_number

from ..choices import REQUISITION_TRANSITIONS, RequisitionState
from ..models import PurchaseSettings, Requisition, RequisitionLine
from .rfqs import (
    decimal_or_none,
    parse_product_line,
    pk_of,
    refuse_unknown,
    rfq_create,
    supplier_of,
    transition,
    warehouse_of,
)

sequence_default("purchase_requisition", name="Purchase requisition", prefix="PR-{fy}-", padding=5)

ZERO = Decimal("0")
REQUISITION_FIELDS = {"date", "needed_on", "warehouse", "cost_center", "description"}
LINE_FIELDS = {"product", "description", "quantity", "uom", "supplier", "estimated_price"}
DOCUMENT = "purchasing.requisition"


# --- who sees what -------------------------------------------------------------------------------

def sees_all_requisitions(user, company) -> bool:
    """Purchasers and approvers see every requisition of the company; others their own."""
    return bool(check(user, "purchasing.convert_requisition", company)
                or check(user, "purchasing.approve_requisition", company))


def requisitions_visible(user, company) -> QuerySet:
    """The requisitions of `company` that `user` may see."""
    queryset = Requisition.objects.filter(company=company)
    if not sees_all_requisitions(user, company):
        queryset = queryset.filter(requested_by=user)
    return queryset


def _guard_own(actor, requisition: Requisition) -> None:
    if requisition.requested_by_id != actor.pk and not check(actor, "purchasing.convert_requisition",
                                                             requisition.company):
        raise PermissionDenied(_("Only whoever raised this requisition, or a purchaser, can change it."))


def requisition_amount(requisition: Requisition) -> Decimal:
    """Estimated value (company currency): quantity x estimated unit price over the lines."""
    return sum(((line.quantity * line.estimated_price).quantize(Decimal("0.01"))
                for line in requisition.lines.all() if line.estimated_price is not None), ZERO)


# --- CRUD ------------------------------------------------------------------------------------

def _header(requisition: Requisition, data: dict) -> None:
    refuse_unknown(data, REQUISITION_FIELDS)
    errors = {}
    if "warehouse" in data:
        requisition.warehouse_id = pk_of(data["warehouse"])
    if warehouse_of(requisition.company_id, requisition.warehouse_id) is None:
        errors["warehouse"] = [_("Choose one of this company's warehouses.")]
    if "cost_center" in data:
        requisition.cost_center_id = pk_of(data["cost_center"])
        if requisition.cost_center_id and not CostCenter.objects.filter(
                pk=requisition.cost_center_id, company_id=requisition.company_id).exists():
            errors["cost_center"] = [_("Choose one of this company's cost centres.")]
    if "date" in data:
        requisition.date = data["date"] or timezone.localdate()
    if "needed_on" in data:
        requisition.needed_on = data["needed_on"] or None
    if "description" in data:
        requisition.description = (data["description"] or "").strip()
    if requisition.needed_on and requisition.date and requisition.needed_on < requisition.date:
        errors["needed_on"] = [_("The goods cannot be needed before the requisition's date.")]
    if errors:
        raise ValidationFailed(fields=errors)
    validate(requisition)


def _lines(requisition: Requisition, lines) -> list[RequisitionLine]:
    if not isinstance(lines, list | tuple) or not lines:
        raise ValidationFailed(fields={"lines": [_("Add at least one line.")]})
    built, errors = [], {}
    for index, item in enumerate(lines):
        prefix = f"lines.{index}."
        if not isinstance(item, dict) or set(item) - LINE_FIELDS:
            errors[prefix + "non_field_errors"] = [_(
                "Send each line as {product, description, quantity, uom, supplier, estimated_price}.")]
            continue
        parsed = parse_product_line(requisition.company_id, item, prefix, errors)
        supplier = None
        if item.get("supplier") not in (None, ""):
            supplier = supplier_of(requisition.company_id, item["supplier"])
            if supplier is None:
                errors[prefix + "supplier"] = [_("Choose one of this company's suppliers.")]
        price = decimal_or_none(item.get("estimated_price"), prefix + "estimated_price", errors)
        if parsed is not None and not any(key.startswith(prefix) for key in errors):
            built.append(RequisitionLine(company_id=requisition.company_id, supplier=supplier, estimated_price=price,
                                         **parsed))
    if errors:
        raise ValidationFailed(fields=errors)
    return built


def _save_lines(requisition: Requisition, built: list[RequisitionLine]) -> None:
    for line in built:
        line.requisition = requisition
        line.save()


def requisition_create(*, actor, company: Company, data: dict, lines: list[dict], origin: str = "") -> Requisition:
    """A draft requisition raised by `actor`. `data`: warehouse (deliver to), date (default today), needed_on,
    cost_center, description; `lines`: [{product, quantity, uom (default the purchase unit), description,
    supplier (suggested), estimated_price (company currency)}]. Raises PermissionDenied
    (purchasing.add_requisition), ValidationFailed (nothing written)."""
    require(actor, "purchasing.add_requisition", company)
    requisition = Requisition(company=company, requested_by=actor, date=timezone.localdate(), origin=origin)
    _header(requisition, data)
    built = _lines(requisition, lines)
    with transaction.atomic():
        requisition.save()
        _save_lines(requisition, built)
    return requisition


def lock_requisition(requisition: Requisition, transition_name: str | None = None) -> Requisition:
    """The requisition locked, checked to allow `transition_name` (or to be editable: draft or rejected)."""
    locked = Requisition.objects.select_for_update(of=("self",)).select_related("company").get(pk=requisition.pk)
    allowed = REQUISITION_TRANSITIONS[transition_name] if transition_name else {RequisitionState.DRAFT,
                                                                                RequisitionState.REJECTED}
    if locked.state not in allowed:
        raise InvalidState(_("%(requisition)s is %(state)s.") % {"requisition": locked,
                                                                  "state": locked.get_state_display()})
    return locked


def requisition_update(*, actor, requisition: Requisition, data: dict, lines: list[dict] | None = None,
                       version: int | None = None) -> Requisition:
    """Change a draft (or rejected) requisition; lines replaced when given. Raises PermissionDenied
    (purchasing.change_requisition; not the requester nor a purchaser), InvalidState (other states; stale
    `version`), ValidationFailed."""
    require(actor, "purchasing.change_requisition", requisition.company)
    with transaction.atomic():
        requisition = lock_requisition(requisition)
        _guard_own(actor, requisition)
        if version is not None and version != requisition.version:
            raise InvalidState(_("Someone else changed this requisition meanwhile: reload it and try again."))
        _header(requisition, data)
        built = _lines(requisition, lines) if lines is not None else None
        requisition.version += 1
        requisition.save()
        if built is not None:
            requisition.lines.all().delete()
            _save_lines(requisition, built)
    return requisition


def requisition_delete(*, actor, requisition: Requisition) -> None:
    """Delete a draft that was never submitted. Raises PermissionDenied (purchasing.delete_requisition, not
    own), InvalidState (numbered or not a draft: cancel it instead)."""
    require(actor, "purchasing.delete_requisition", requisition.company)
    with transaction.atomic():
        requisition = lock_requisition(requisition)
        _guard_own(actor, requisition)
        if requisition.state != RequisitionState.DRAFT or requisition.number:
            raise InvalidState(_("%(requisition)s was submitted once: cancel it instead.")
                               % {"requisition": requisition})
        requisition.delete()


# --- approval ---------------------------------------------------------------------------------

def _settings_need_approval(company: Company) -> bool:
    found = PurchaseSettings.objects.filter(company=company).first()
    return True if found is None else found.requisition_needs_approval


def _rules(requisition: Requisition) -> list:
    if not module_is_active(requisition.company, "approvals"):
        return []
    from tessera.approvals.services.rules import approval_rules_matching

    return approval_rules_matching(requisition)


def _pending_request(requisition: Requisition):
    from tessera.approvals.choices import RequestState
    from tessera.approvals.models import ApprovalRequest

    return ApprovalRequest.objects.filter(document_type=DOCUMENT, object_id=str(requisition.pk),
                                          state=RequestState.PENDING).order_by("-pk").first()


def _number(requisition: Requisition) -> None:
    if not requisition.number:
        requisition.number = sequence_next_number(company=requisition.company, code="purchase_requisition",
                                                  on=requisition.date)


def requisition_submit(*, actor, requisition: Requisition) -> Requisition:
    """draft or rejected -> submitted (numbered), or approved at once when no approval rule applies and the
    company's requisitions need no approval. Under a rule, an approval request is submitted (approvals'
    errors, e.g. ApproversMissing, pass through). Raises PermissionDenied (purchasing.change_requisition,
    not own), InvalidState, ValidationFailed (no lines)."""
    require(actor, "purchasing.change_requisition", requisition.company)
    with transaction.atomic():
        requisition = lock_requisition(requisition, "submit")
        _guard_own(actor, requisition)
        if not requisition.lines.exists():
            raise ValidationFailed(fields={"lines": [_("Add at least one line.")]})
        from_state = requisition.state
        _number(requisition)
        requisition.save(update_fields=["number"])
        if _pending_request(requisition) is not None:  # submitted from the approval panel already
            transition(requisition, from_state, RequisitionState.SUBMITTED, "submitted", {"approval_request": True})
        elif _rules(requisition):
            from tessera.approvals.services.requests import approval_submit

            approval_submit(actor=actor, document=requisition)
            transition(requisition, from_state, RequisitionState.SUBMITTED, "submitted", {"approval_request": True})
        elif _settings_need_approval(requisition.company):
            transition(requisition, from_state, RequisitionState.SUBMITTED, "submitted", {"approval_request": False})
        else:
            transition(requisition, from_state, RequisitionState.APPROVED, "approved")
    return requisition


def _guard_decider(actor, requisition: Requisition) -> None:
    require(actor, "purchasing.approve_requisition", requisition.company)
    if requisition.requested_by_id == actor.pk:
        raise PermissionDenied(_("You raised %(requisition)s: someone else must decide it (segregation of "
                                 "duties).") % {"requisition": requisition})


def requisition_approve(*, actor, requisition: Requisition, comment: str = "") -> Requisition:
    """Approve: under an approval request, `actor` decides their step (the requisition is approved when the
    request is); otherwise submitted (or draft, when no rule applies) -> approved. Raises PermissionDenied
    (purchasing.approve_requisition; own requisition; not an approver of the step), InvalidState,
    ApprovalRequired (a rule applies to a draft: submit it first)."""
    _guard_decider(actor, requisition)
    with transaction.atomic():
        requisition = lock_requisition(requisition, "approve")
        pending = _pending_request(requisition)
        if pending is not None:
            from tessera.approvals.services.requests import approval_approve

            approval_approve(actor=actor, request=pending, comment=comment)
            requisition.refresh_from_db()
            return requisition
        if _rules(requisition):
            from tessera.approvals.services.requests import approval_check

            approval_check(requisition)
        _number(requisition)
        transition(requisition, requisition.state, RequisitionState.APPROVED, "approved", {"comment": comment})
    return requisition


def requisition_reject(*, actor, requisition: Requisition, comment: str) -> Requisition:
    """submitted -> rejected (the requester may change it and submit again); a comment says why. Under an
    approval request the step is rejected through approvals. Raises ValidationFailed (no comment),
    PermissionDenied, InvalidState."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationFailed(fields={"comment": [_("Say why you reject it: the requester reads this.")]})
    _guard_decider(actor, requisition)
    with transaction.atomic():
        requisition = lock_requisition(requisition, "reject")
        pending = _pending_request(requisition)
        if pending is not None:
            from tessera.approvals.services.requests import approval_reject

            approval_reject(actor=actor, request=pending, comment=comment)
            requisition.refresh_from_db()
            return requisition
        transition(requisition, requisition.state, RequisitionState.REJECTED, "rejected", {"comment": comment})
    return requisition


def requisition_decided(requisition: Requisition, state: str) -> None:
    """The approvals registry's on_decided (in the deciding transaction): approved -> approved (numbered);
    rejected -> rejected; withdrawn -> back to draft. A requisition no longer waiting is left alone."""
    requisition = Requisition.objects.select_for_update(of=("self",)).select_related("company").get(
        pk=requisition.pk)
    waiting = {RequisitionState.SUBMITTED, RequisitionState.DRAFT, RequisitionState.REJECTED}
    if requisition.state not in waiting:
        return
    target = {"approved": RequisitionState.APPROVED, "rejected": RequisitionState.REJECTED,
              "withdrawn": RequisitionState.DRAFT}.get(state)
    if target is None or target == requisition.state:
        return
    if target == RequisitionState.APPROVED:
        _number(requisition)
    transition(requisition, requisition.state, target, {"withdrawn": "withdrawn"}.get(state, str(target)))


def requisition_cancel(*, actor, requisition: Requisition) -> Requisition:
    """Any open state -> cancelled (a pending approval request ends withdrawn).
    Raises PermissionDenied (purchasing.change_requisition, not own), InvalidState (ordered or cancelled)."""
    require(actor, "purchasing.change_requisition", requisition.company)
    with transaction.atomic():
        requisition = lock_requisition(requisition, "cancel")
        _guard_own(actor, requisition)
        if approval_withdraw_for_cancelled(actor=actor, document=requisition) is not None:
            requisition.refresh_from_db()
        transition(requisition, requisition.state, RequisitionState.CANCELLED, "cancelled")
    return requisition


# --- conversion -----------------------------------------------------------------------------

def _lock_for_convert(requisitions) -> list[Requisition]:
    ids = sorted({pk_of(item) for item in requisitions or []} - {None})
    if not ids:
        raise ValidationFailed(fields={"requisitions": [_("Choose at least one approved requisition.")]})
    return list(Requisition.objects.select_for_update(of=("self",)).select_related("company").filter(pk__in=ids)
                .order_by("pk"))


def _open_lines(locked: list[Requisition]) -> list[RequisitionLine]:
    return list(RequisitionLine.objects.filter(requisition__in=locked, order_line__isnull=True,
                                               rfq_line__isnull=True)
                .select_related("product", "uom", "requisition").order_by("requisition_id", "pk"))


def _merged(lines: list[RequisitionLine]) -> "OrderedDict[tuple, list[RequisitionLine]]":
    """Lines of the same product and unit together, in first-seen order."""
    merged: OrderedDict = OrderedDict()
    for line in lines:
        merged.setdefault((line.product_id, line.uom_id), []).append(line)
    return merged


def _mark_ordered(locked: list[Requisition], event_payload: dict) -> None:
    for requisition in locked:
        if not requisition.lines.filter(order_line__isnull=True, rfq_line__isnull=True).exists():
            transition(requisition, requisition.state, RequisitionState.ORDERED, "ordered", event_payload)


def requisition_convert(*, actor, requisitions, to: str = "order", supplier=None):
    """Turn approved requisitions (records or ids, of `actor`'s company) into draft purchase orders — one per
    supplier and delivery warehouse, lines of the same product and unit merged (quantities added), the
    supplier each line suggests or `supplier` for all — or into one draft RFQ (`to="rfq"`, inviting the
    suggested suppliers and `supplier`). The requisitions become "ordered". Returns the orders (list), or
    the Rfq. Raises PermissionDenied (purchasing.convert_requisition, and what order_create/rfq_create
    need), InvalidState (a requisition not approved), ValidationFailed (no lines; a line without a supplier;
    an RFQ for several warehouses)."""
    if to not in ("order", "rfq"):
        raise ValidationFailed(fields={"to": [_("Convert to “order” or “rfq”.")]})
    with transaction.atomic():
        locked = _lock_for_convert(requisitions)
        if not locked:
            raise ValidationFailed(fields={"requisitions": [_("Choose at least one approved requisition.")]})
        company = locked[0].company
        require(actor, "purchasing.convert_requisition", company)
        if any(item.company_id != company.pk for item in locked):
            raise ValidationFailed(fields={"requisitions": [_("Choose requisitions of one company.")]})
        for item in locked:
            if item.state not in REQUISITION_TRANSITIONS["convert"]:
                raise InvalidState(_("%(requisition)s is %(state)s: only approved requisitions are converted.")
                                   % {"requisition": item, "state": item.get_state_display()})
        chosen = supplier_of(company.pk, supplier) if supplier not in (None, "") else None
        if supplier not in (None, "") and chosen is None:
            raise ValidationFailed(fields={"supplier": [_("Choose one of this company's suppliers.")]})
        lines = _open_lines(locked)
        if not lines:
            raise ValidationFailed(fields={"requisitions": [_("Everything on these requisitions is ordered.")]})
        if to == "rfq":
            result = _to_rfq(actor, company, locked, lines, chosen)
            _mark_ordered(locked, {"rfq": result.pk})
        else:
            result = _to_orders(actor, company, lines, chosen)
            _mark_ordered(locked, {"orders": [order.pk for order in result]})
    return result


def _to_orders(actor, company, lines: list[RequisitionLine], chosen) -> list:
    from .orders import order_create

    groups: OrderedDict = OrderedDict()
    missing = [line for line in lines if chosen is None and line.supplier_id is None]
    if missing:
        raise ValidationFailed(fields={"supplier": [
            _("Choose a supplier: %(products)s has no suggested supplier.")
            % {"products": ", ".join(sorted({str(line.product) for line in missing}))}]})
    for line in lines:
        partner_id = chosen.pk if chosen is not None else line.supplier_id
        groups.setdefault((partner_id, line.requisition.warehouse_id), []).append(line)
    orders = []
    for (partner_id, warehouse_id), group in groups.items():
        merged = _merged(group)
        needed = [line.requisition.needed_on for line in group if line.requisition.needed_on]
        numbers = sorted({line.requisition.number for line in group if line.requisition.number})
        order = order_create(actor=actor, company=company, data={
            "partner": partner_id, "warehouse": warehouse_id, "expected_on": min(needed) if needed else None,
            "notes": _("From requisitions %(numbers)s.") % {"numbers": ", ".join(numbers)}},
            lines=[{"product": same[0].product_id, "description": same[0].description,
                    "quantity": sum((line.quantity for line in same), ZERO), "uom": same[0].uom_id}
                   for same in merged.values()])
        for same, order_line in zip(merged.values(), order.lines.order_by("sequence", "pk"), strict=True):
            RequisitionLine.objects.filter(pk__in=[line.pk for line in same]).update(order_line=order_line)
        orders.append(order)
    return orders


def _to_rfq(actor, company, locked: list[Requisition], lines: list[RequisitionLine], chosen):
    warehouses = {line.requisition.warehouse_id for line in lines}
    if len(warehouses) > 1:
        raise ValidationFailed(fields={"requisitions": [
            _("An RFQ delivers to one warehouse: convert the requisitions of each warehouse separately.")]})
    suppliers = list(OrderedDict.fromkeys(
        ([chosen.pk] if chosen is not None else []) + [line.supplier_id for line in lines if line.supplier_id]))
    if not suppliers:
        raise ValidationFailed(fields={"supplier": [_("Choose a supplier to invite: no line suggests one.")]})
    merged = _merged(lines)
    needed = [item.needed_on for item in locked if item.needed_on]
    rfq = rfq_create(actor=actor, company=company, data={
        "warehouse": warehouses.pop(), "quote_by": None,
        "description": _("From requisitions %(numbers)s.") % {
            "numbers": ", ".join(sorted(item.number for item in locked if item.number))}},
        lines=[{"product": same[0].product_id, "description": same[0].description,
                "quantity": sum((line.quantity for line in same), ZERO), "uom": same[0].uom_id}
               for same in merged.values()],
        suppliers=suppliers)
    if needed:
        rfq.quote_by = max(min(needed), rfq.date)
        rfq.save(update_fields=["quote_by"])
    for same, rfq_line in zip(merged.values(), rfq.lines.order_by("pk"), strict=True):
        RequisitionLine.objects.filter(pk__in=[line.pk for line in same]).update(rfq_line=rfq_line)
    return rfq


# --- from the replenishment list -----------------------------------------------------------------

def _replenishment_groups(company: Company, rows: list[dict]) -> "OrderedDict[int, list[dict]]":
    """Rows ({product, warehouse, quantity, supplier, uom?, arrives_on?}, e.g. inventory's
    `replenishment_rows`, quantities possibly changed) checked and grouped by warehouse."""
    if not isinstance(rows, list | tuple) or not rows:
        raise ValidationFailed(fields={"rows": [_("Choose at least one product to order.")]})
    groups: OrderedDict = OrderedDict()
    errors = {}
    for index, row in enumerate(rows):
        warehouse = warehouse_of(company.pk, row.get("warehouse"))
        if warehouse is None:
            errors[f"rows.{index}.warehouse"] = [_("Choose one of this company's warehouses.")]
            continue
        product = row.get("product")
        uom = row.get("uom") or getattr(product, "uom_id", None)
        groups.setdefault(warehouse.pk, []).append({
            "product": pk_of(product), "quantity": row.get("quantity"), "uom": pk_of(uom),
            "supplier": pk_of(row.get("supplier")), "arrives_on": row.get("arrives_on"), "index": index})
    if errors:
        raise ValidationFailed(fields=errors)
    return groups


def requisition_from_replenishment(*, actor, company: Company, rows: list[dict]) -> list[Requisition]:
    """Draft requisitions (origin "replenishment"), one per warehouse, a line per row in the product's stock
    unit with the rule's supplier suggested; needed by the earliest arrival date. Raises PermissionDenied
    (purchasing.add_requisition), ValidationFailed (`rows.<i>.<field>`; nothing written)."""
    require(actor, "purchasing.add_requisition", company)
    groups = _replenishment_groups(company, rows)
    created = []
    with transaction.atomic():
        for warehouse_id, group in groups.items():
            dates = [row["arrives_on"] for row in group if row["arrives_on"]]
            try:
                created.append(requisition_create(
                    actor=actor, company=company, origin="replenishment",
                    data={"warehouse": warehouse_id, "needed_on": min(dates) if dates else None,
                          "description": _("Replenishment")},
                    lines=[{key: row[key] for key in ("product", "quantity", "uom", "supplier")} for row in group]))
            except ValidationFailed as error:
                raise ValidationFailed(error.message, fields={
                    _row_field(name, group): messages for name, messages in error.fields.items()}) from error
    return created


def _row_field(name: str, group: list[dict]) -> str:
    """`lines.<i>.<field>` of a group's requisition as the caller's `rows.<index>.<field>`."""
    parts = name.split(".")
    if len(parts) == 3 and parts[0] == "lines" and parts[1].isdigit() and int(parts[1]) < len(group):
        return f"rows.{group[int(parts[1])]['index']}.{parts[2]}"
    return name


def replenishment_order(*, actor, company: Company, rows: list[dict]) -> list:
    """Draft purchase orders straight from replenishment rows: one per supplier and warehouse, in the
    product's stock unit (prices from order_create's defaults). Raises PermissionDenied (what order_create
    needs), ValidationFailed (a row without a supplier: `rows.<i>.supplier`)."""
    from .orders import order_create

    groups = _replenishment_groups(company, rows)
    errors = {f"rows.{row['index']}.supplier": [_("Choose a supplier for this product, or raise a requisition.")]
              for group in groups.values() for row in group if row["supplier"] is None}
    if errors:
        raise ValidationFailed(fields=errors)
    orders = []
    with transaction.atomic():
        for warehouse_id, group in groups.items():
            by_supplier: OrderedDict = OrderedDict()
            for row in group:
                by_supplier.setdefault(row["supplier"], []).append(row)
            for supplier_id, supplier_rows in by_supplier.items():
                dates = [row["arrives_on"] for row in supplier_rows if row["arrives_on"]]
                orders.append(order_create(actor=actor, company=company, data={
                    "partner": supplier_id, "warehouse": warehouse_id, "expected_on": min(dates) if dates else None},
                    lines=[{"product": row["product"], "quantity": row["quantity"], "uom": row["uom"]}
                           for row in supplier_rows]))
    return orders
