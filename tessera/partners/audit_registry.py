"""Partner records in the audit trail (imported by the app's `ready`)."""

from tessera.core import audit

from .models import Partner, PaymentTerm

for model in (Partner, PaymentTerm):
    audit.register(model)
