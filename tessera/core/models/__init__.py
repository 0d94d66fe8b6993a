"""Core models: companies, currencies, users and roles, audit, events, numbering, jobs."""

from .attachments import Attachment
from .audit import AuditEntry, DomainEvent
from .company import Company, CompanyModule, CompanyOwned
from .currency import Currency, ExchangeRate
from .jobs import IdempotencyRecord, Job
from .numbering import Sequence, SequenceCounter
from .security import ApiToken, Role, RoleSeededModel, UserProfile

__all__ = [
    "ApiToken",
    "Attachment",
    "AuditEntry",
    "Company",
    "CompanyModule",
    "CompanyOwned",
    "Currency",
    "DomainEvent",
    "ExchangeRate",
    "IdempotencyRecord",
    "Job",
    "Role",
    "RoleSeededModel",
    "Sequence",
    "SequenceCounter",
    "UserProfile",
]
