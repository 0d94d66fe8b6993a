"""Reads scoped to the user: which company a request works in, and company-scoped querysets."""

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from .errors import PermissionDenied
from .models import AuditEntry, Company, DomainEvent, Job
from .permissions import allowed_companies, require


def company_resolve(user, code: str | None):
    """The company a request works in: the one named (403 if not allowed), else the user's default."""
    allowed = allowed_companies(user)
    if code:
        company = allowed.filter(code=code).first()
        if company is None:
            raise PermissionDenied(_("You may not work in company %(code)s.") % {"code": code})
        return company
    profile = getattr(user, "profile", None)
    if profile is not None and profile.default_company_id:
        default = allowed.filter(pk=profile.default_company_id).first()
        if default:
            return default
    return allowed.order_by("code").first()


def company_list(user) -> QuerySet[Company]:
    return allowed_companies(user).order_by("code")


def scoped(queryset: QuerySet, company: Company | None) -> QuerySet:
    """Limit a company-owned queryset to one company (none when there is no company)."""
    if company is None:
        return queryset.none()
    return queryset.filter(company=company)


def model_list(user, model: type[Model], company: Company | None) -> QuerySet:
    """Records of a company-owned model that `user` may view in `company`."""
    from .permissions import perm_name

    require(user, perm_name(model, "view"), company)
    return scoped(model._default_manager.all(), company)


def audit_entry_list(user, company: Company | None) -> QuerySet[AuditEntry]:
    """The audit trail of a company plus entries of shared set-up (users, roles, currencies)."""
    require(user, "core.view_auditentry", company)
    from django.db.models import Q

    return AuditEntry.objects.filter(Q(company=company) | Q(company__isnull=True)).select_related(
        "actor", "content_type"
    )


def record_history(user, instance: Model) -> QuerySet[AuditEntry]:
    """A record's history tab: everyone who may view the record may see its history."""
    from django.contrib.contenttypes.models import ContentType

    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(instance)), object_id=str(instance.pk)
    ).select_related("actor")


def domain_event_list(user, company: Company | None) -> QuerySet[DomainEvent]:
    require(user, "core.view_domainevent", company)
    from django.db.models import Q

    return DomainEvent.objects.filter(Q(company=company) | Q(company__isnull=True)).order_by("pk")


def job_list(user, company: Company | None) -> QuerySet[Job]:
    """A user sees their own jobs; holders of core.view_job see every job of the company."""
    from django.db.models import Q

    jobs = Job.objects.filter(Q(company=company) | Q(company__isnull=True, user=user))
    if not user.has_perm("core.view_job"):
        jobs = jobs.filter(user=user)
    return jobs
