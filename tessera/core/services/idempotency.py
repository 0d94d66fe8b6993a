"""Idempotency keys for API writes: the same key and body sent twice gives the same answer, once.

A successful answer is stored in an IdempotencyRecord written in the same transaction as the work,
so either both the work and its record commit or neither does. Two requests racing with one key:
the unique (user, key) constraint lets only one record commit; the loser's work is rolled back and
it answers with the winner's stored response. Failed requests store nothing (they wrote nothing),
so the client may retry them with the same key.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..errors import Conflict, ValidationFailed
from ..models import IdempotencyRecord

MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class Outcome:
    status: int
    body: object
    replayed: bool = False


class _NotStored(Exception):
    """Raised inside the transaction to roll back work whose answer was not a success."""

    def __init__(self, status: int, body):
        super().__init__(status)
        self.status = status
        self.body = body


def _plain(value):
    """JSON-safe copy (Decimal, dates as strings) exactly as it will be replayed."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def request_hash(*, method: str, path: str, body, scope: str = "") -> str:
    """Fingerprint of what was asked: method, path, scope (the company) and the canonical body."""
    canonical = json.dumps(
        {"method": method.upper(), "path": path, "scope": scope, "body": body},
        cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _replay(record: IdempotencyRecord, digest: str) -> Outcome:
    if record.body_hash != digest:
        raise Conflict(
            _("This Idempotency-Key was already used for a different request."), code="idempotency_key_reused"
        )
    return Outcome(record.status_code, record.response_body, replayed=True)


def idempotency_run(
    *, user, key: str, method: str, path: str, body, work: Callable[[], tuple[int, object]], scope: str = ""
) -> Outcome:
    """Run `work()` (returning status and body) at most once per user and key.

    Raises ValidationFailed for an unusable key and Conflict (`idempotency_key_reused`) when the
    key was used for a different method, path or body. Errors raised by `work` propagate and
    roll back everything it wrote.
    """
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValidationFailed(
            fields={"Idempotency-Key": [_("Send a key of 1 to %(max)d characters.") % {"max": MAX_KEY_LENGTH}]}
        )
    digest = request_hash(method=method, path=path, body=body, scope=scope)
    existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
    if existing is not None:
        return _replay(existing, digest)
    try:
        with transaction.atomic():
            status, answer = work()
            if not 200 <= status < 300:
                raise _NotStored(status, answer)
            answer = _plain(answer)
            IdempotencyRecord.objects.create(
                user=user, key=key, method=method.upper(), path=path[:500], body_hash=digest,
                status_code=status, response_body=answer,
            )
    except _NotStored as failed:
        return Outcome(failed.status, failed.body)
    except IntegrityError:
        # Another request with this key committed first; its answer is the answer.
        winner = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if winner is None:
            raise
        return _replay(winner, digest)
    return Outcome(status, answer)
