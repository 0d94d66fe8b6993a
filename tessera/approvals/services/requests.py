"""Approval requests: check, submit, approve, reject, withdraw.

- `approval_check(document)`: what posting and confirming services call; 409 `approval_required` when a
  rule applies and the document has no approved request for what it is now (same fingerprint).
- `approval_submit`: one pending request per document, under the first matching rule, with a copy of
  the steps for its amount and their approvers resolved now (the requester and the document's owner
  left out). Levels are decided one after the other; steps of one level in parallel.
- `approval_approve` / `approval_reject`: by an approver of the current level, or by their delegate
  (on their behalf) while a delegation runs. A person decides once per level, and an approver is
  represented once. **Segregation of duties**: whoever submitted the document or owns it never
  decides it, neither directly nor as a delegate (403). One rejection rejects the request; a comment
  is required.
- `approval_withdraw`: by the requester (or the document's owner) while pending.

Each runs in one transaction with the request row locked, writes an audit entry for the transition and
emits a domain event (`approvals.request.submitted`, `.advanced` — the next level's turn —, `.approved`,
`.rejected`, `.withdrawn`; see the collaboration contract).
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tessera.core import audit, events
from tessera.core.errors import InvalidState, PermissionDenied, ValidationFailed
from tessera.core.permissions import check_company, require
from tessera.core.services.companies import module_is_active

from ..choices import ApproverType, RequestState, StepState, Verdict
from ..errors import (
    AlreadyApproved,
    AlreadyDecided,
    ApprovalNotRequired,
    ApprovalPending,
    ApprovalRequired,
    ApproversMissing,
)
from ..evaluation import DocumentValues, steps_for
from ..models import ApprovalDecision, ApprovalRequest, ApprovalRequestStep, ApprovalStep, Delegation
from ..registry import approver_resolver, document_type, document_type_of
from .rules import approval_rules_matching

User = get_user_model()
CENT = Decimal("0.01")


# --- who approves --------------------------------------------------------------------------------

def role_users(role, company) -> QuerySet:
    """Active users holding `role` who may work in `company`."""
    return User.objects.filter(is_active=True, groups=role.group_id, profile__companies=company).distinct()


def resolve_approvers(step: ApprovalStep, *, document, requester, company) -> list:
    """The users a rule step names for this document: the role's users, the named user, or what the
    registered resolver answers for "manager" and "department_head"."""
    if step.approver_type == ApproverType.ROLE:
        return list(role_users(step.role, company)) if step.role_id else []
    if step.approver_type == ApproverType.USER:
        user = step.user
        return [user] if user is not None and user.is_active and user.profile.companies.filter(
            pk=company.pk).exists() else []
    resolver = approver_resolver(step.approver_type)
    if resolver is None:
        raise ApproversMissing(_("“%(approver)s” is known only once the HR module is installed: change the rule "
                                 "“%(rule)s” to name a role or a user.")
                               % {"approver": step.get_approver_type_display(), "rule": step.rule.name})
    return [user for user in resolver.resolve(document=document, requester=requester, company=company)
            if user is not None and user.is_active]


def delegators(user, company, day: datetime.date) -> set[int]:
    """Ids of the people `user` stands in for on `day` in `company`."""
    return set(Delegation.objects.filter(company=company, delegate=user, is_active=True, starts_on__lte=day,
                                         ends_on__gte=day).values_list("user_id", flat=True))


def delegates_of(user_ids, company, day: datetime.date) -> set[int]:
    """Ids of the people standing in on `day` for any of `user_ids`."""
    return set(Delegation.objects.filter(company=company, user_id__in=list(user_ids), is_active=True,
                                         starts_on__lte=day, ends_on__gte=day).values_list("delegate_id", flat=True))


def own_party(request: ApprovalRequest) -> set[int]:
    """Who may never decide the request: its requester and the document's owner."""
    return {pk for pk in (request.requested_by_id, request.document_owner_id) if pk is not None}


def current_steps(request: ApprovalRequest) -> list[ApprovalRequestStep]:
    return list(request.steps.filter(level=request.current_level).order_by("pk"))


def current_approver_ids(request: ApprovalRequest, *, with_delegates: bool = True) -> list[int]:
    """Who can decide the current level now: its approvers still to decide, and (by default) whoever
    stands in for them today."""
    if request.state != RequestState.PENDING:
        return []
    steps = [step for step in current_steps(request) if step.state == StepState.PENDING]
    decided = _represented(request, request.current_level)
    ids = {pk for step in steps for pk in step.approvers.values_list("pk", flat=True)} - decided
    if with_delegates and ids:
        ids |= delegates_of(ids, request.company, timezone.localdate())
    return sorted(ids - own_party(request))


def _represented(request: ApprovalRequest, level: int) -> set[int]:
    """People who decided at `level`, themselves or through a delegate."""
    rows = ApprovalDecision.objects.filter(request=request, step__level=level).values_list("approver_id",
                                                                                          "on_behalf_of_id")
    return {pk for pair in rows for pk in pair if pk is not None}


# --- the check posting services call -------------------------------------------------------------------

def _requests_of(definition, document) -> QuerySet:
    return ApprovalRequest.objects.filter(document_type=definition.key, object_id=str(document.pk))


def approval_check(document) -> None:
    """Raise ApprovalRequired (409 `approval_required`) when an active rule applies to `document` and it
    has no approved request with its current fingerprint (amount, kind and registered fields). Documents
    of unregistered types, documents no rule matches, and companies without the approvals module pass."""
    definition = document_type_of(document)
    if definition is None or not definition.covers(document):
        return
    if not module_is_active(document.company, "approvals"):
        return  # switched off for the company (phased go-live): its rules are not enforced
    values = DocumentValues(definition, document)
    rules = approval_rules_matching(document, values=values)
    if not rules:
        return
    fingerprint = values.fingerprint()
    requests = _requests_of(definition, document).order_by("-pk")
    if requests.filter(state=RequestState.APPROVED, fingerprint=fingerprint).exists():
        return
    latest = requests.first()
    label = str(document)
    if latest is not None and latest.state == RequestState.PENDING:
        message = _("%(document)s waits for approval (rule “%(rule)s”): it can go on once approved.") % {
            "document": label, "rule": latest.rule_name}
    elif latest is not None and latest.state == RequestState.APPROVED:
        message = _("%(document)s was approved as it was then; it has changed since (amount now "
                    "%(amount)s): submit it for approval again.") % {"document": label, "amount": values.amount}
    elif latest is not None and latest.state == RequestState.REJECTED:
        message = _("The approval of %(document)s was rejected: change it and submit it again.") % {"document": label}
    else:
        message = _("%(document)s needs approval under the rule “%(rule)s”: submit it for approval first.") % {
            "document": label, "rule": rules[0].name}
    raise ApprovalRequired(message)


# --- submit --------------------------------------------------------------------------------------------

def _lock_document(document):
    return type(document)._default_manager.select_for_update(of=("self",)).get(pk=document.pk)


def approval_submit(*, actor, document) -> ApprovalRequest:
    """Submit `document` for approval under the first matching rule.

    Raises ValidationFailed (not an approvable document), PermissionDenied (the document's submit
    permission: by default its change permission), InvalidState (the document is past approval, e.g.
    posted), ApprovalPending, ApprovalNotRequired, AlreadyApproved, ApproversMissing (a step would
    have fewer possible approvers than the approvals it needs, the requester not counting).
    """
    definition = document_type_of(document)
    if definition is None:
        raise ValidationFailed(fields={"document": [_("This kind of document is not approved in Tessera.")]})
    company = document.company
    require(actor, definition.permission("submit"), company)
    with transaction.atomic():
        document = _lock_document(document)
        if not definition.covers(document):
            raise ApprovalNotRequired()
        if not definition.is_submittable(document):
            raise InvalidState(_("%(document)s can no longer be submitted for approval.") % {"document": document})
        if _requests_of(definition, document).filter(state=RequestState.PENDING).exists():
            raise ApprovalPending(_("%(document)s already waits for approval.") % {"document": document})
        values = DocumentValues(definition, document)
        rules = approval_rules_matching(document, values=values)
        if not rules:
            raise ApprovalNotRequired(_("No approval rule applies to %(document)s: it needs no approval.")
                                      % {"document": document})
        fingerprint = values.fingerprint()
        if _requests_of(definition, document).filter(state=RequestState.APPROVED, fingerprint=fingerprint).exists():
            raise AlreadyApproved(_("%(document)s is already approved as it is.") % {"document": document})
        rule = rules[0]
        owner = definition.owner(document)
        excluded = {actor.pk} | ({owner.pk} if owner is not None else set())
        planned = []
        for step in steps_for(rule.steps.select_related("role", "user", "rule"), values.amount):
            users = resolve_approvers(step, document=document, requester=owner or actor, company=company)
            candidates = sorted({user.pk for user in users} - excluded)
            if len(candidates) < step.min_approvals:
                raise ApproversMissing(
                    _("Step “%(step)s” of rule “%(rule)s” needs %(needed)s approval(s), but only %(found)s person(s) "
                      "other than the requester can give them: add approvers to the role or change the rule.")
                    % {"step": step, "rule": rule.name, "needed": step.min_approvals, "found": len(candidates)})
            planned.append((step, candidates))
        now = timezone.now()
        first = min(step.level for step, _candidates in planned)
        request = ApprovalRequest.objects.create(
            company=company, document_type=definition.key, object_id=str(document.pk),
            document_repr=str(document)[:200], kind=definition.kind_of(document) or "", rule=rule,
            rule_name=rule.name, state=RequestState.PENDING, current_level=first,
            amount=Decimal(values.amount).quantize(CENT), currency=company.base_currency,
            summary=str(definition.summary(document) or "")[:500], url=str(definition.url(document) or "")[:500],
            fingerprint=fingerprint, requested_by=actor, document_owner=owner, submitted_at=now,
        )
        for step, candidates in planned:
            copy = ApprovalRequestStep.objects.create(
                company=company, request=request, level=step.level, name=step.name or str(step),
                approver_type=step.approver_type, role=step.role, min_approvals=step.min_approvals,
                state=StepState.PENDING if step.level == first else StepState.WAITING,
                started_at=now if step.level == first else None, escalate_after_days=step.escalate_after_days,
                escalate_to=step.escalate_to, escalate_role=step.escalate_role,
            )
            copy.approvers.set(candidates)
        _emit(request, "submitted", approvers=current_approver_ids(request))
    return request


def document_submit(*, actor, document) -> ApprovalRequest:
    """Submit `document` the way its type wants: through its own submit service when it registered one
    (the document moves to its submitted state; it calls `approval_submit`), else `approval_submit`.
    Raises what those raise; ApprovalNotRequired (nothing written) when the document's service found no
    rule to apply."""
    definition = document_type_of(document)
    if definition is None or definition.submit is None:
        return approval_submit(actor=actor, document=document)
    with transaction.atomic():
        definition.submit(actor=actor, document=document)
        request = _requests_of(definition, document).filter(state=RequestState.PENDING).order_by("-pk").first()
        if request is None:
            raise ApprovalNotRequired(_("No approval rule applies to %(document)s: it needs no approval.")
                                      % {"document": document})
    return request


# --- decide --------------------------------------------------------------------------------------------

def lock_request(request: ApprovalRequest) -> ApprovalRequest:
    """Lock the request row (every decision on it queues here) and return it fresh."""
    return ApprovalRequest.objects.select_for_update(of=("self",)).select_related("company", "currency").get(
        pk=request.pk)


def _guard_decider(actor, request: ApprovalRequest) -> None:
    decision = check_company(actor, request.company)
    if not decision:
        raise PermissionDenied(decision.reason)
    if actor.pk in own_party(request):
        raise PermissionDenied(_("You submitted or own %(document)s: someone else must decide its approval "
                                 "(segregation of duties).") % {"document": request.document_repr})
    if request.state != RequestState.PENDING:
        raise InvalidState(_("This approval request is %(state)s: it cannot be decided any more.")
                           % {"state": request.get_state_display().lower()})


def _slot(actor, request: ApprovalRequest) -> tuple[ApprovalRequestStep, int | None]:
    """The step of the current level `actor` decides, and whom they stand in for (None: themselves).

    Their own place comes before a delegated one, and a step still short of approvals first.
    """
    level = request.current_level
    represented = _represented(request, level)
    if actor.pk in represented:
        raise AlreadyDecided(_("You have already decided this level of the approval."))
    stands_in_for = delegators(actor, request.company, timezone.localdate()) - own_party(request)
    options, done_elsewhere = [], False
    for step in current_steps(request):
        approver_ids = set(step.approvers.values_list("pk", flat=True))
        mine = actor.pk in approver_ids
        theirs = sorted((approver_ids & stands_in_for) - represented)
        if step.state != StepState.PENDING:
            done_elsewhere = done_elsewhere or mine or bool(theirs)
            continue
        if mine:
            options.append((0, step.pk, step, None))
        options.extend((1, step.pk, step, principal) for principal in theirs)
    if not options:
        if done_elsewhere:
            raise AlreadyDecided(_("Your step of this level is already approved; it waits for the others."))
        raise PermissionDenied(_("You are not an approver of the current step of this request."))
    _order, _pk, step, principal = min(options, key=lambda option: option[:2] + (option[3] or 0,))
    return step, principal


def _decide(actor, request, verdict: str, comment: str):
    step, principal = _slot(actor, request)
    decision = ApprovalDecision.objects.create(
        company=request.company, request=request, step=step, approver=actor, on_behalf_of_id=principal,
        verdict=verdict, comment=comment, at=timezone.now())
    return step, decision


def approval_approve(*, actor, request: ApprovalRequest, comment: str = "") -> ApprovalRequest:
    """Approve the current level of `request` as `actor` (or on behalf of whom they stand in for).

    When the step has its approvals it is approved; when every step of the level is, the next level
    starts (`approvals.request.advanced`) or, after the last, the request is approved.
    Raises PermissionDenied (not an approver now, own document, company), InvalidState (not pending),
    AlreadyDecided.
    """
    with transaction.atomic():
        request = lock_request(request)
        _guard_decider(actor, request)
        step, _decision = _decide(actor, request, Verdict.APPROVE, (comment or "").strip())
        approvals = step.decisions.filter(verdict=Verdict.APPROVE).count()
        if approvals >= step.min_approvals:
            now = timezone.now()
            step.state, step.completed_at = StepState.APPROVED, now
            step.save(update_fields=["state", "completed_at"])
            if not request.steps.filter(level=request.current_level).exclude(state=StepState.APPROVED).exists():
                _advance(request, now)
    return request


def _advance(request: ApprovalRequest, now) -> None:
    following = request.steps.filter(level__gt=request.current_level).order_by("level", "pk")
    next_step = following.first()
    if next_step is None:
        request.state, request.decided_at = RequestState.APPROVED, now
        request.save(update_fields=["state", "decided_at"])
        audit.record_transition(request, from_state=RequestState.PENDING, to_state=RequestState.APPROVED)
        _notify_document(request)
        _emit(request, "approved")
        return
    before = request.current_level
    request.current_level = next_step.level
    request.save(update_fields=["current_level"])
    request.steps.filter(level=next_step.level).update(state=StepState.PENDING, started_at=now)
    audit.record_transition(request, from_state=str(before), to_state=str(next_step.level), field="current_level")
    _emit(request, "advanced", approvers=current_approver_ids(request))


def approval_reject(*, actor, request: ApprovalRequest, comment: str) -> ApprovalRequest:
    """Reject `request` (any approver of the current level can): the request ends rejected.

    Raises ValidationFailed (no comment: say why), PermissionDenied, InvalidState, AlreadyDecided.
    """
    comment = (comment or "").strip()
    if not comment:
        raise ValidationFailed(fields={"comment": [_("Say why you reject it: the requester reads this.")]})
    with transaction.atomic():
        request = lock_request(request)
        _guard_decider(actor, request)
        step, _decision = _decide(actor, request, Verdict.REJECT, comment)
        now = timezone.now()
        step.state, step.completed_at = StepState.REJECTED, now
        step.save(update_fields=["state", "completed_at"])
        _close(request, RequestState.REJECTED, now)
        _emit(request, "rejected", comment=comment)
    return request


def approval_withdraw(*, actor, request: ApprovalRequest) -> ApprovalRequest:
    """Withdraw a pending request: only its requester or the document's owner can.

    Raises PermissionDenied, InvalidState (not pending).
    """
    with transaction.atomic():
        request = lock_request(request)
        if actor.pk not in own_party(request):
            raise PermissionDenied(_("Only the requester can withdraw this approval request."))
        if request.state != RequestState.PENDING:
            raise InvalidState(_("This approval request is %(state)s: only a pending one can be withdrawn.")
                               % {"state": request.get_state_display().lower()})
        _close(request, RequestState.WITHDRAWN, timezone.now())
        _emit(request, "withdrawn")
    return request


def approval_withdraw_for_cancelled(*, actor, document) -> ApprovalRequest | None:
    """The document was cancelled (by `actor`, whose service checked its own permission, in its
    transaction): its pending request, if any, ends withdrawn — nobody is left deciding a document that
    no longer needs it. Returns the request, or None when none was pending."""
    definition = document_type_of(document)
    if definition is None:
        return None
    request = _requests_of(definition, document).filter(state=RequestState.PENDING).first()
    if request is None:
        return None
    request = lock_request(request)
    if request.state != RequestState.PENDING:
        return None
    _close(request, RequestState.WITHDRAWN, timezone.now())
    _emit(request, "withdrawn", cancelled_by=actor.pk)
    return request


def _close(request: ApprovalRequest, state: str, now) -> None:
    request.steps.filter(state__in=[StepState.PENDING, StepState.WAITING]).update(state=StepState.CLOSED)
    request.state, request.decided_at = state, now
    request.save(update_fields=["state", "decided_at"])
    audit.record_transition(request, from_state=RequestState.PENDING, to_state=state)
    _notify_document(request)


def _notify_document(request: ApprovalRequest) -> None:
    """Let the document follow the decision (its type's `on_decided`), in this transaction."""
    definition = document_type(request.document_type)
    if definition is None or definition.on_decided is None:
        return
    document = definition.model._default_manager.filter(pk=request.object_id).first()
    if document is not None:
        definition.on_decided(document, request.state)


def _emit(request: ApprovalRequest, what: str, **extra) -> None:
    payload = {"request": request.pk, "document": request.document_ref, "summary": request.summary,
               "requested_by": request.requested_by_id, "state": request.state, "level": request.current_level,
               "amount": str(request.amount), "currency": request.currency.code, **extra}
    events.emit(f"approvals.request.{what}", company=request.company, obj=request, payload=payload)


# --- reads the services share ---------------------------------------------------------------------------

def request_document(request: ApprovalRequest):
    """The document a request is about (None when it was deleted or its type is no longer registered)."""
    definition = document_type(request.document_type)
    if definition is None:
        return None
    return definition.model._default_manager.filter(pk=request.object_id).first()


def awaiting(user, company) -> QuerySet:
    """Pending requests of `company` whose current level `user` can decide now: as one of its approvers,
    or standing in for one (a delegation running today) who has not decided yet — never their own
    documents, and not once they decided the level."""
    today = timezone.localdate()
    principals = delegators(user, company, today)
    people = {user.pk} | principals
    candidates = (ApprovalRequest.objects.filter(company=company, state=RequestState.PENDING)
                  .exclude(Q(requested_by=user) | Q(document_owner=user)))
    slots: dict[int, set[int]] = {}
    for request_pk, level, current, person in ApprovalRequestStep.objects.filter(
            request__in=candidates, state=StepState.PENDING, approvers__in=people).values_list(
            "request_id", "level", "request__current_level", "approvers"):
        if level == current:
            slots.setdefault(request_pk, set()).add(person)
    represented: dict[int, set[int]] = {}
    for request_pk, level, current, approver, behalf in ApprovalDecision.objects.filter(
            request_id__in=list(slots)).values_list("request_id", "step__level", "request__current_level",
                                                    "approver_id", "on_behalf_of_id"):
        if level == current:
            represented.setdefault(request_pk, set()).update(pk for pk in (approver, behalf) if pk)
    owners_of = {pk: {requester, owner} for pk, requester, owner in candidates.filter(pk__in=list(slots))
                 .values_list("pk", "requested_by_id", "document_owner_id")}
    keep = []
    for request_pk, persons in slots.items():
        done = represented.get(request_pk, set())
        if user.pk in done:
            continue
        open_slots = (persons - done) - owners_of.get(request_pk, set())
        if user.pk in open_slots or open_slots & principals:
            keep.append(request_pk)
    return ApprovalRequest.objects.filter(pk__in=keep)
