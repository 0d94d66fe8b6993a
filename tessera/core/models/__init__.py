"""Core models: companies, currencies, users and roles, audit, events, numbering, jobs, collaboration."""

from .attachments import Attachment
from .audit import AuditEntry, DomainEvent
from .comments import Comment, Follower
from .company import Company, CompanyModule, CompanyOwned
from .currency import Currency, ExchangeRate
from .jobs import IdempotencyRecord, Job
from .notifications import EventCursor, Notification, NotificationPreference
from .numbering import Sequence, SequenceCounter
from .security import ApiToken, Role, RoleSeededModel, UserProfile
from .webhooks import WebhookAttempt, WebhookDelivery, WebhookSubscription

__all__ = [
    "ApiToken",
    "Attachment",
    "AuditEntry",
    "Comment",
    "Company",
    "CompanyModule",
    "CompanyOwned",
    "Currency",
    "DomainEvent",
    "EventCursor",
    "ExchangeRate",
    "Follower",
    "IdempotencyRecord",
    "Job",
    "Notification",
    "NotificationPreference",
    "Role",
    "RoleSeededModel",
    "Sequence",
    "SequenceCounter",
    "UserProfile",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookSubscription",
]
