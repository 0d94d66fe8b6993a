"""Writes of the products app: units of measure and conversion, product categories, products.

Every service checks the actor's permission in the record's company, fixes the company from the caller
(never from input), validates with `full_clean`, writes in one transaction with the rows locked, and
raises domain errors (ValidationFailed 400, InvalidState / InUse 409). The audit trail records every
create, change and delete (audit_registry).
"""

from .categories import (
    ACCOUNT_FIELDS,
    CATEGORY_FIELDS,
    DEFAULT_COSTING_METHOD,
    Setting,
    category_ancestors,
    category_descendant_ids,
    category_path,
    category_setting,
    category_setting_origin,
    product_category_create,
    product_category_delete,
    product_category_update,
)
from .common import InUse, references
from .products import (
    PRODUCT_FIELDS,
    barcode_error,
    file_fingerprint,
    gtin_check_digit,
    image_check,
    product_accounts,
    product_activate,
    product_costing_method,
    product_create,
    product_deactivate,
    product_delete,
    product_purchase_uom,
    product_update,
)
from .uoms import (
    MAX_DECIMAL_PLACES,
    STANDARD_UNITS,
    UOM_CATEGORY_FIELDS,
    UOM_FIELDS,
    InstallResult,
    as_decimal,
    uom_category_create,
    uom_category_delete,
    uom_category_update,
    uom_convert,
    uom_create,
    uom_defaults_install,
    uom_delete,
    uom_in_use,
    uom_quantity_check,
    uom_reference,
    uom_update,
)

__all__ = [
    "ACCOUNT_FIELDS", "CATEGORY_FIELDS", "DEFAULT_COSTING_METHOD", "MAX_DECIMAL_PLACES", "PRODUCT_FIELDS",
    "STANDARD_UNITS", "UOM_CATEGORY_FIELDS", "UOM_FIELDS", "InUse", "InstallResult", "Setting", "as_decimal",
    "barcode_error", "category_ancestors", "category_descendant_ids", "category_path", "category_setting",
    "category_setting_origin", "file_fingerprint", "gtin_check_digit", "image_check", "product_accounts",
    "product_activate", "product_category_create", "product_category_delete", "product_category_update",
    "product_costing_method", "product_create", "product_deactivate", "product_delete", "product_purchase_uom",
    "product_update", "references", "uom_category_create", "uom_category_delete", "uom_category_update",
    "uom_convert", "uom_create", "uom_defaults_install", "uom_delete", "uom_in_use", "uom_quantity_check",
    "uom_reference", "uom_update",
]
