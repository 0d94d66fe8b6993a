"""Products: create, change (guarded by `version`), activate and deactivate, delete while unused; their
effective costing method and accounts; image checks.

Invariants: the SKU is unique per company (case ignored) and the barcode too when set (a numeric
EAN-8/UPC-A/EAN-13/GTIN-14 must carry a valid check digit); the unit, purchase unit, category and taxes
are the company's own; the purchase unit measures the same thing as the unit; the sales tax is a sales
tax and the purchase tax a purchase one; services are not tracked by lot or serial; serial-tracked
products are counted in whole units. Once any record refers to a product its type and unit are fixed.
"""

import hashlib

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from tessera.core.errors import InvalidState, ValidationFailed
from tessera.core.models import Company
from tessera.core.permissions import require
from tessera.core.services.base import assign, validate

from ..choices import ProductType, Tracking
from ..guards import costing_change_check
from ..models import Product
from .categories import ACCOUNT_FIELDS, DEFAULT_COSTING_METHOD, Setting, category_setting_origin
from .common import changed, delete_unused, in_company, references, save, values_of

PRODUCT_FIELDS = {"sku", "name", "name_en", "category", "type", "uom", "purchase_uom", "barcode", "list_price",
                  "standard_cost", "costing_method", "sales_tax", "purchase_tax", "tracking", "is_sold",
                  "is_purchased", "description", "image", "is_active"}
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
IMAGE_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "GIF": "GIF", "WEBP": "WebP"}
GTIN_LENGTHS = (8, 12, 13, 14)


# --- Checks ----------------------------------------------------------------------------------------


def gtin_check_digit(digits: str) -> int:
    """The GS1 check digit of the digits before it (weights 3, 1, 3, ... from the right)."""
    total = sum(int(digit) * (3 if index % 2 == 0 else 1) for index, digit in enumerate(reversed(digits)))
    return (10 - total % 10) % 10


def barcode_error(barcode: str) -> str | None:
    """Why a barcode is not valid, or None. Numeric codes of 8, 12, 13 or 14 digits are GS1 codes
    (EAN-8, UPC-A, EAN-13, GTIN-14): their last digit must be the check digit — a mistyped or misread
    code is caught here. Other codes (internal, Code 128) are free text without spaces."""
    if any(character.isspace() for character in barcode):
        return _("A barcode has no spaces.")
    if barcode.isdigit() and len(barcode) in GTIN_LENGTHS:
        expected = gtin_check_digit(barcode[:-1])
        if int(barcode[-1]) != expected:
            return _("The check digit of this %(digits)s-digit barcode should be %(expected)s: check the code.") % {
                "digits": len(barcode), "expected": expected}
    return None


def image_check(image) -> None:
    """An uploaded product image must be a JPEG, PNG, GIF or WebP picture Pillow can read, at most 5 MB and
    40 megapixels. Raises ValidationFailed on `image`."""
    from PIL import Image, UnidentifiedImageError

    def refuse(message):
        raise ValidationFailed(fields={"image": [message]})

    size = getattr(image, "size", None)
    if size is not None and size > MAX_IMAGE_BYTES:
        refuse(_("The image is larger than %(size)s MB.") % {"size": MAX_IMAGE_BYTES // (1024 * 1024)})
    position = image.tell() if hasattr(image, "tell") else 0
    try:
        image.seek(0)
        with Image.open(image) as picture:
            picture_format = picture.format
            width, height = picture.size
            picture.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        refuse(_("This file is not an image Tessera can read: upload a JPEG, PNG, GIF or WebP picture."))
    finally:
        image.seek(position)
    if picture_format not in IMAGE_FORMATS:
        refuse(_("Upload a JPEG, PNG, GIF or WebP picture (this one is %(format)s).") % {"format": picture_format})
    if width * height > MAX_IMAGE_PIXELS:
        refuse(_("The image has more than %(pixels)s megapixels.") % {"pixels": MAX_IMAGE_PIXELS // 1_000_000})
    image.seek(0)


def _check_unique(product: Product) -> None:
    others = Product.objects.filter(company_id=product.company_id).exclude(pk=product.pk)
    errors = {}
    if product.sku and others.filter(sku__iexact=product.sku).exists():
        errors["sku"] = [_("SKU %(sku)s is in use already.") % {"sku": product.sku}]
    if product.barcode:
        holder = others.filter(barcode=product.barcode).first()
        if holder is not None:
            errors["barcode"] = [_("Barcode %(barcode)s belongs to %(product)s already.")
                                 % {"barcode": product.barcode, "product": holder}]
    if errors:
        raise ValidationFailed(fields=errors)


def _check_relations(product: Product, before: dict) -> None:
    errors: dict[str, list[str]] = {}

    def refuse(field, message):
        errors.setdefault(field, []).append(message)

    for name in ("category", "uom", "purchase_uom", "sales_tax", "purchase_tax"):
        related = getattr(product, name)
        if related is not None and related.company_id != product.company_id:
            refuse(name, _("Choose one of this company's records."))
    uom, purchase_uom = product.uom if product.uom_id else None, product.purchase_uom
    for name, unit in (("uom", uom), ("purchase_uom", purchase_uom)):
        if unit is not None and not unit.is_active and changed(product, before, name):
            refuse(name, _("Unit %(unit)s is inactive.") % {"unit": unit})
    if uom is not None and purchase_uom is not None and purchase_uom.category_id != uom.category_id:
        refuse("purchase_uom", _("The purchase unit must measure the same thing as the unit: choose a unit of "
                                 "%(category)s.") % {"category": uom.category})
    for name, kind, message in (
        ("sales_tax", "sales", _("Choose a sales tax.")),
        ("purchase_tax", "purchase", _("Choose a purchase tax.")),
    ):
        tax = getattr(product, name)
        if tax is None or name in errors:
            continue
        if tax.kind != kind:
            refuse(name, message)
        elif not tax.is_active and changed(product, before, name):
            refuse(name, _("Tax %(tax)s is inactive.") % {"tax": tax})
    if product.type == ProductType.SERVICE and product.tracking != Tracking.NONE:
        refuse("tracking", _("Services are not tracked by lot or serial number."))
    elif product.tracking == Tracking.SERIAL and uom is not None and uom.decimal_places:
        refuse("tracking", _("A serial number identifies one item: serial-tracked products are counted in a unit "
                             "without decimals (pieces)."))
    if errors:
        raise ValidationFailed(fields=errors)


def _clean(product: Product, before: dict) -> None:
    product.sku = (product.sku or "").strip()
    product.name = (product.name or "").strip()
    product.name_en = (product.name_en or "").strip()
    product.barcode = (product.barcode or "").strip()
    _check_unique(product)  # first: a clearer message than the database constraint's
    validate(product, exclude=["image"])  # the image is checked by image_check, on upload only
    if product.barcode:
        error = barcode_error(product.barcode)
        if error:
            raise ValidationFailed(fields={"barcode": [error]})
    _check_relations(product, before)


def _take_image(product: Product, data: dict) -> None:
    image = data.get("image")
    if isinstance(image, UploadedFile) or (image and hasattr(image, "read")):
        image_check(image)


# --- Services ----------------------------------------------------------------------------------------


def product_create(*, actor, company: Company, data: dict) -> Product:
    """A product in `company`. `data`: sku, name, name_en, category, type, uom, purchase_uom, barcode,
    list_price, standard_cost, costing_method ("" = the category's), sales_tax, purchase_tax, tracking,
    is_sold, is_purchased, description, image (an uploaded file), is_active.

    Raises PermissionDenied and ValidationFailed (field errors: taken SKU or barcode, wrong check digit,
    another company's records, a purchase unit of another category, a tax of the wrong kind, a tracked
    service, an unreadable or too large image). Nothing is written on failure."""
    require(actor, "products.add_product", company)
    product = Product(company=company)
    assign(product, data, PRODUCT_FIELDS)
    _take_image(product, data)
    _clean(product, {})
    with transaction.atomic():
        save(product, lambda: _check_unique(product))
    return product


def _lock(product: Product) -> Product:
    return Product.objects.select_for_update(of=("self",)).select_related("company").get(pk=product.pk)


def _check_version(product: Product, version: int | None) -> None:
    if version is not None and version != product.version:
        raise InvalidState(_("Someone else changed %(product)s meanwhile: reload it and try again.")
                           % {"product": product})


def product_update(*, actor, product: Product, data: dict, company: Company | None = None,
                   version: int | None = None) -> Product:
    """Change a product under a row lock; `version` (the one the caller read) refuses a save over someone
    else's change. Once other records refer to the product, its type and unit are fixed; its effective
    costing method (its own, or through a new category) is fixed while stock is valued with it (the guards
    of products.guards, which inventory registers).

    Raises NotFound (another company's product), PermissionDenied, InvalidState (409, stale version),
    ValidationFailed (as at creation; a used product's type or unit; a costing method change while the
    product has stock on hand or valuation layers with remaining quantity). Nothing is written on failure."""
    in_company(product, company)
    require(actor, "products.change_product", product.company)
    with transaction.atomic():
        locked = _lock(product)
        _check_version(locked, version)
        before = values_of(locked, PRODUCT_FIELDS - {"image"})
        method_before = product_costing_method(locked).value
        assign(locked, data, PRODUCT_FIELDS)
        _take_image(locked, data)
        _clean(locked, before)
        if product_costing_method(locked).value != method_before:
            costing_change_check([locked.pk], describe=lambda pk: str(locked))
        fixed = [name for name in ("type", "uom") if changed(locked, before, name)]
        if fixed:
            used_by = references(locked)
            if used_by:
                raise ValidationFailed(fields={name: [
                    _("%(product)s is used (%(kinds)s): its type and unit can no longer change.")
                    % {"product": locked, "kinds": ", ".join(used_by)}] for name in fixed})
        locked.version += 1  # the row is locked: a plain increment is safe
        save(locked, lambda: _check_unique(locked))
    return locked


def _set_active(actor, product: Product, is_active: bool, company: Company | None, version: int | None) -> Product:
    in_company(product, company)
    require(actor, "products.change_product", product.company)
    with transaction.atomic():
        locked = _lock(product)
        _check_version(locked, version)
        if locked.is_active == is_active:
            raise InvalidState(_("%(product)s is active already.") % {"product": locked} if is_active
                               else _("%(product)s is inactive already.") % {"product": locked})
        locked.is_active = is_active
        locked.version += 1
        locked.save(update_fields=["is_active", "version"])
    return locked


def product_deactivate(*, actor, product: Product, company: Company | None = None,
                       version: int | None = None) -> Product:
    """Archive a product: it stays on the records that use it but is no longer offered for new ones.
    Raises PermissionDenied, InvalidState (409: inactive already, or a stale `version`)."""
    return _set_active(actor, product, False, company, version)


def product_activate(*, actor, product: Product, company: Company | None = None,
                     version: int | None = None) -> Product:
    """Bring an archived product back. Raises PermissionDenied, InvalidState (409: active already, stale version)."""
    return _set_active(actor, product, True, company, version)


def product_delete(*, actor, product: Product, company: Company | None = None) -> None:
    """Delete a product nothing refers to. A product in use raises InUse (409, naming what uses it):
    deactivate it instead. Nothing is deleted on failure."""
    in_company(product, company)
    require(actor, "products.delete_product", product.company)
    with transaction.atomic():
        locked = _lock(product)
        delete_unused(locked, _("%(product)s is used by other records and cannot be deleted: deactivate it "
                                "instead.") % {"product": locked})


# --- Effective settings ------------------------------------------------------------------------------


def product_costing_method(product: Product) -> Setting:
    """The costing method used for the product: its own, else its category's (or the nearest ancestor's),
    else moving average."""
    if product.costing_method:
        return Setting(product.costing_method, None)
    value, origin = category_setting_origin(product.category, "costing_method")
    if value:
        return Setting(value, origin)
    return Setting(DEFAULT_COSTING_METHOD.value, None, is_default=True)


def product_accounts(product: Product) -> dict[str, Setting]:
    """The product's accounts (income, expense, inventory, price difference, inventory gain/loss) from its
    category or the nearest ancestor that sets each; `value` None where no category of the chain does."""
    result = {}
    for field in ACCOUNT_FIELDS:
        value, origin = category_setting_origin(product.category, field)
        result[field] = Setting(value, origin)
    return result


def product_purchase_uom(product: Product):
    """The unit the product is bought in: its purchase unit, else its unit."""
    return product.purchase_uom or product.uom


def file_fingerprint(upload) -> dict:
    """A JSON-safe stand-in for an uploaded file in an idempotency fingerprint: name, size, SHA-256."""
    digest = hashlib.sha256()
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(position)
    return {"name": upload.name, "size": upload.size, "sha256": digest.hexdigest()}
