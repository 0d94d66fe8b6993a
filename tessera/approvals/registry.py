"""What can be approved, and how approvers are found: registries filled by the apps above approvals.

An app registers each document type that may need approval (from its AppConfig.ready)::

    from tessera.approvals.registry import register

    register("accounting.invoice", label=_("Invoice"),
             amount=lambda invoice: ...,                   # Decimal, in the company's currency
             fields={"partner": (_("Partner"), lambda invoice: invoice.partner, "reference", "partners.partner"),
                     "discount": (_("Discount %"), max_discount, "number")},
             summary=lambda invoice: f"{invoice.partner.name} ...",
             requester=lambda invoice: ...,               # the user the document belongs to (or None)
             url=lambda invoice: reverse("accounting:invoice_detail", args=[invoice.pk]),
             kinds={"supplier_invoice": _("Supplier invoice")}, kind=lambda invoice: invoice.kind,
             submittable=lambda invoice: invoice.state == "draft",
             on_decided=lambda invoice, state: ...)          # optional: the document follows the decision

`submit(actor=, document=)` (optional) is the document's own submit service: a document with approval states
registers it so that "Submit for approval" on the approvals panel, screens and API moves the document
(draft -> submitted) exactly as its own button does; it calls `approval_submit` itself.

`on_decided(document, state)` runs in the deciding transaction (the request locked) when a request ends
"approved", "rejected" or "withdrawn", so a document with its own approval states (a purchase order:
submitted -> approved) moves with the request whichever screen or endpoint decided it.

A field is `(label, getter)` (text), `(label, getter, type)` or `(label, getter, "reference", model label)`;
types are "number", "text" and "reference" (a record: conditions name it by code, name or id). A
getter may return a list (e.g. the product categories of every line): a condition passes when any
value does ("is none of": when none is listed). Every type also has the built-in field "amount".

Approver resolvers find "the requester's manager" and "the department head"; the HR module registers
them with `register_approver`. Until it has, rule steps using them are refused with a message saying
so — there is no silent fallback to another role, since approving in someone else's place is exactly
what segregation of duties must not allow by accident.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tessera.core.errors import NotFound, ValidationFailed

NUMBER, TEXT, REFERENCE = "number", "text", "reference"
FIELD_TYPES = (NUMBER, TEXT, REFERENCE)
AMOUNT = "amount"


@dataclass(frozen=True)
class DocumentField:
    name: str
    label: str
    getter: Callable
    type: str = TEXT
    model: str = ""  # for references: the model label ("partners.partner") their values name

    def values(self, document) -> list:
        """The field's value(s) on `document` as a list (None left out)."""
        value = self.getter(document)
        if value is None:
            return []
        if isinstance(value, list | tuple | set | frozenset):
            return [item for item in value if item is not None]
        return [value]


@dataclass(frozen=True)
class DocumentType:
    key: str  # the model's label in lower case: "accounting.invoice"
    label: str
    amount: Callable[[object], Decimal]
    summary: Callable[[object], str]
    url: Callable[[object], str]
    requester: Callable[[object], object] | None = None
    fields: dict[str, DocumentField] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    kind: Callable[[object], str] | None = None
    submittable: Callable[[object], bool] | None = None
    submit_permission: str = ""  # default: the model's change permission
    on_decided: Callable | None = None  # (document, state) when a request ends approved/rejected/withdrawn
    submit: Callable | None = None  # (actor=, document=): the document's own submit service

    @property
    def model(self):
        return apps.get_model(self.key)

    def all_fields(self) -> dict[str, DocumentField]:
        """The built-in amount first, then the registered fields."""
        amount = DocumentField(AMOUNT, gettext_lazy("Amount (company currency)"), self.amount, NUMBER)
        return {AMOUNT: amount, **self.fields}

    def kind_of(self, document) -> str:
        return self.kind(document) if self.kind is not None else ""

    def covers(self, document) -> bool:
        """Whether approvals apply to this document at all (its kind is one of the registered kinds)."""
        return not self.kinds or self.kind_of(document) in self.kinds

    def is_submittable(self, document) -> bool:
        return self.submittable(document) if self.submittable is not None else True

    def owner(self, document):
        return self.requester(document) if self.requester is not None else created_by(document)

    def permission(self, action: str) -> str:
        """The permission of `action` on the document: "view", or "submit" (`submit_permission`, by default
        the document's change permission)."""
        if action == "submit":
            if self.submit_permission:
                return self.submit_permission
            action = "change"
        app_label, model_name = self.key.split(".")
        return f"{app_label}.{action}_{model_name}"

    def ref(self, document) -> str:
        return f"{self.key}:{document.pk}"


DOCUMENTS: dict[str, DocumentType] = {}


def _field(name: str, spec) -> DocumentField:
    if isinstance(spec, DocumentField):
        return spec
    label, getter, *rest = spec
    kind = rest[0] if rest else TEXT
    if kind not in FIELD_TYPES:
        raise ValueError(f"Field {name}: type {kind!r} is not one of {FIELD_TYPES}")
    return DocumentField(name, label, getter, kind, rest[1] if len(rest) > 1 else "")


def register(model_label: str, *, label, amount: Callable, summary: Callable, url: Callable,
             requester: Callable | None = None, fields: dict | None = None, kinds: dict | None = None,
             kind: Callable | None = None, submittable: Callable | None = None,
             submit_permission: str = "", on_decided: Callable | None = None,
             submit: Callable | None = None) -> DocumentType:
    """Make a document type approvable (see the module docstring). Registering again replaces it."""
    key = model_label.lower()
    fields = {name: _field(name, spec) for name, spec in (fields or {}).items()}
    if AMOUNT in fields:
        raise ValueError("'amount' is built in: pass it as `amount`")
    DOCUMENTS[key] = DocumentType(key=key, label=label, amount=amount, summary=summary, url=url,
                                  requester=requester, fields=fields, kinds=dict(kinds or {}), kind=kind,
                                  submittable=submittable, submit_permission=submit_permission,
                                  on_decided=on_decided, submit=submit)
    return DOCUMENTS[key]


def unregister(model_label: str) -> None:
    DOCUMENTS.pop(model_label.lower(), None)


def document_type(key: str) -> DocumentType | None:
    return DOCUMENTS.get((key or "").lower())


def document_type_of(document) -> DocumentType | None:
    return DOCUMENTS.get(document._meta.label_lower)


def document_types() -> list[DocumentType]:
    return sorted(DOCUMENTS.values(), key=lambda item: item.key)


def document_type_choices() -> list[tuple[str, str]]:
    return [(item.key, str(item.label)) for item in document_types()]


def document_get(ref: str, company, *, field_name: str = "document"):
    """The document named `app.model:id` in `company`, with its type.

    Raises ValidationFailed (badly formed, or not an approvable type) and NotFound (no such document in
    the company).
    """
    key, _sep, object_id = (ref or "").partition(":")
    definition = document_type(key)
    if definition is None or not object_id:
        raise ValidationFailed(fields={field_name: [
            _("Name a document as <type>:<id>, with one of these types: %(types)s.")
            % {"types": ", ".join(DOCUMENTS) or "-"}]})
    try:
        document = definition.model._default_manager.filter(company=company, pk=object_id).first()
    except (TypeError, ValueError):
        document = None
    if document is None:
        raise NotFound(_("No %(type)s %(id)s in this company.") % {"type": definition.label, "id": object_id})
    return definition, document


def created_by(document):
    """Who created `document`, from the audit trail (None when it was created outside Tessera's services)."""
    from django.contrib.contenttypes.models import ContentType

    from tessera.core.models import AuditEntry

    entry = (AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(type(document)),
                                       object_id=str(document.pk), action="create")
             .select_related("actor").order_by("pk").first())
    return entry.actor if entry is not None else None


# --- Approver resolvers ------------------------------------------------------------------------

@dataclass(frozen=True)
class ApproverResolver:
    code: str
    label: str
    resolve: Callable[..., Iterable]  # (document=, requester=, company=) -> users


RESOLVERS: dict[str, ApproverResolver] = {}


def register_approver(code: str, *, label, resolve: Callable[..., Iterable]) -> ApproverResolver:
    """Register how approver type `code` ("manager", "department_head") finds its users:
    `resolve(document=, requester=, company=)` returns the users (empty when there is none)."""
    RESOLVERS[code] = ApproverResolver(code, label, resolve)
    return RESOLVERS[code]


def unregister_approver(code: str) -> None:
    RESOLVERS.pop(code, None)


def approver_resolver(code: str) -> ApproverResolver | None:
    return RESOLVERS.get(code)
