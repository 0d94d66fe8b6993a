"""Products records in the audit trail (imported by `ready`)."""

from tessera.core import audit

from .models import Product, ProductCategory, Uom, UomCategory

for model in (UomCategory, Uom, ProductCategory, Product):
    audit.register(model)
