"""Webhooks: subscriptions, signed deliveries with retries and exponential backoff, the log, replay.

Each domain event of a company is sent to the company's active subscriptions whose patterns match its
name (`webhook_event_fanout`, the webhooks consumer of the event log). A delivery is a POST of the
event as JSON, signed:

    X-Tessera-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the subscription's secret>

(`webhook_signature_verify` is the receiver's check, also shown in the README). A 2xx answer delivers
it; anything else is retried after WEBHOOK_BACKOFF_SECONDS x 2^(attempt-1) (capped at 6 hours) until
WEBHOOK_MAX_ATTEMPTS. With a broker the retry is a Celery task with a countdown; without one
`webhook_deliver_due` (every dispatch and every `tessera run-scheduled`) sends what is due.

Server-side request forgery: only http(s) URLs; the host is resolved at every attempt and the
request goes to the checked address (no second lookup). Link-local and cloud metadata addresses are
always refused; loopback and private networks unless WEBHOOK_ALLOW_PRIVATE_NETWORKS.
"""

import datetime
import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import re
import secrets
import socket
import ssl
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import NotFound, ValidationFailed
from ..models import DomainEvent, WebhookAttempt, WebhookDelivery, WebhookSubscription
from ..models.webhooks import DeliveryState
from ..permissions import require
from .base import assign, validate

logger = logging.getLogger(__name__)

PATTERN = re.compile(r"^(\*|[a-z0-9_]+(\.([a-z0-9_]+|\*))*(\.\*)?)$")
MAX_BACKOFF_SECONDS = 6 * 3600
EXCERPT = 500
USER_AGENT = "Tessera-Webhooks/1"
# Cloud instance metadata services: never reachable through a webhook, whatever the settings say.
METADATA_HOSTS = {"metadata.google.internal", "metadata", "instance-data"}
METADATA_ADDRESSES = {ipaddress.ip_address(a) for a in (
    "169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254")}


# --- Settings -----------------------------------------------------------------------------------

def allow_private_networks() -> bool:
    return bool(getattr(settings, "WEBHOOK_ALLOW_PRIVATE_NETWORKS", False))


def max_attempts() -> int:
    return int(getattr(settings, "WEBHOOK_MAX_ATTEMPTS", 8))


def backoff_seconds(attempt: int) -> int:
    """How long after failed attempt number `attempt` (1, 2, ...) the next one is due."""
    base = int(getattr(settings, "WEBHOOK_BACKOFF_SECONDS", 30))
    return min(base * 2 ** max(attempt - 1, 0), MAX_BACKOFF_SECONDS)


def timeout_seconds() -> float:
    return float(getattr(settings, "WEBHOOK_TIMEOUT_SECONDS", 5))


# --- Address checks -----------------------------------------------------------------------------

def address_refusal(address) -> str | None:
    """Why a webhook may not be sent to IP `address`, or None when it may."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip in METADATA_ADDRESSES or ip.is_link_local:
        return _("%(address)s is a link-local or cloud metadata address.") % {"address": ip}
    if ip.is_unspecified or ip.is_multicast:
        return _("%(address)s is not an address a webhook can be sent to.") % {"address": ip}
    if not ip.is_global and not allow_private_networks():
        return _("%(address)s is on a private network (set WEBHOOK_ALLOW_PRIVATE_NETWORKS to allow it).") % {
            "address": ip}
    return None


def _split(url: str):
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationFailed(fields={"url": [_("Use an http:// or https:// URL.")]})
    if parts.username or parts.password:
        raise ValidationFailed(fields={"url": [_("Put credentials in the signing secret, not in the URL.")]})
    return parts


def resolve(host: str, port: int) -> list[str]:
    """The addresses `host` resolves to (an IP literal is its own)."""
    return sorted({info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)})


def webhook_url_check(url: str, *, require_resolution: bool = False) -> str | None:
    """Refuse URLs a webhook may not call (ValidationFailed on `url`); return the address to connect to.

    An unresolvable host is accepted when saving a subscription (it is checked again at each attempt)
    and refused when sending (`require_resolution`).
    """
    parts = _split(url)
    host = parts.hostname.rstrip(".").lower()
    if host in METADATA_HOSTS:
        raise ValidationFailed(fields={"url": [_("Cloud metadata services cannot receive webhooks.")]})
    if host == "localhost" or host.endswith(".localhost"):
        host = "127.0.0.1"
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = resolve(host, port)
    except (socket.gaierror, UnicodeError) as error:
        if require_resolution:
            raise ValidationFailed(fields={"url": [_("The host %(host)s cannot be found.") % {"host": host}]}) \
                from error
        return None
    for address in addresses:
        refusal = address_refusal(address)
        if refusal:
            raise ValidationFailed(fields={"url": [refusal]})
    return addresses[0] if addresses else None


# --- Signing ------------------------------------------------------------------------------------

def webhook_signature(secret: str, body: bytes, timestamp: int) -> str:
    """The X-Tessera-Signature header value for `body` sent at `timestamp`."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def webhook_signature_verify(secret: str, header: str, body: bytes, *, tolerance: int = 300,
                             now: float | None = None) -> bool:
    """A receiver's check: the signature matches and is at most `tolerance` seconds old (replays refused)."""
    try:
        fields = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(fields["t"])
    except (ValueError, KeyError, AttributeError):
        return False
    if abs((now if now is not None else time.time()) - timestamp) > tolerance:
        return False
    expected = webhook_signature(secret, body, timestamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, fields.get("v1", ""))


def webhook_body(event: DomainEvent) -> bytes:
    """The JSON an event is sent as (the same bytes at every attempt and replay)."""
    content_type = event.content_type
    document = {
        "id": event.pk,
        "event": event.name,
        "at": event.at,
        "company": event.company.code if event.company_id else None,
        "record": {"model": f"{content_type.app_label}.{content_type.model}", "id": event.object_id}
        if content_type else None,
        "actor": event.actor.get_username() if event.actor_id else None,
        "payload": event.payload,
    }
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode()


def pattern_matches(pattern: str, name: str) -> bool:
    """`*` matches every event; `a.b.*` every event under a.b; otherwise the exact name."""
    if pattern == "*":
        return True
    if pattern.endswith(".*"):
        return name.startswith(pattern[:-1])
    regex = "^" + re.escape(pattern).replace(r"\*", r"[^.]+") + "$"
    return re.match(regex, name) is not None


def subscription_matches(subscription: WebhookSubscription, name: str) -> bool:
    return any(pattern_matches(pattern, name) for pattern in subscription.events or [])


# --- Subscriptions ------------------------------------------------------------------------------

FIELDS = {"name", "url", "events", "is_active"}


def _clean_events(events) -> list[str]:
    if isinstance(events, str):
        events = [part for part in re.split(r"[\s,]+", events) if part]
    if not isinstance(events, list | tuple) or not events:
        raise ValidationFailed(fields={"events": [_("Name at least one event or pattern, e.g. accounting.invoice.*")]})
    cleaned = []
    for pattern in events:
        pattern = str(pattern).strip().lower()
        if not PATTERN.match(pattern):
            raise ValidationFailed(fields={"events": [_("“%(pattern)s” is not an event name or pattern.")
                                                      % {"pattern": pattern}]})
        if pattern not in cleaned:
            cleaned.append(pattern)
    return cleaned


def _prepare(subscription: WebhookSubscription, data: dict) -> None:
    data = dict(data)
    if "events" in data:
        data["events"] = _clean_events(data["events"])
    assign(subscription, data, FIELDS)
    validate(subscription, exclude=["secret"])
    webhook_url_check(subscription.url)


def webhook_create(*, actor, company, data: dict) -> WebhookSubscription:
    """A new subscription with a generated secret. Raises PermissionDenied, ValidationFailed (URL refused,
    bad pattern)."""
    require(actor, "core.add_webhooksubscription", company)
    subscription = WebhookSubscription(company=company, secret=secrets.token_urlsafe(32))
    if "events" not in data:
        raise ValidationFailed(fields={"events": [_("Name at least one event or pattern, e.g. accounting.invoice.*")]})
    _prepare(subscription, data)
    with transaction.atomic():
        subscription.save()
    return subscription


def webhook_update(*, actor, subscription: WebhookSubscription, data: dict) -> WebhookSubscription:
    require(actor, "core.change_webhooksubscription", subscription.company)
    with transaction.atomic():
        locked = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
        _prepare(locked, data)
        locked.save()
    return locked


def webhook_rotate_secret(*, actor, subscription: WebhookSubscription) -> WebhookSubscription:
    """A new signing secret; requests signed from now on use it."""
    require(actor, "core.change_webhooksubscription", subscription.company)
    with transaction.atomic():
        locked = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
        locked.secret = secrets.token_urlsafe(32)
        locked.save(update_fields=["secret"])
    return locked


def webhook_delete(*, actor, subscription: WebhookSubscription) -> None:
    """Remove a subscription with its delivery log."""
    require(actor, "core.delete_webhooksubscription", subscription.company)
    with transaction.atomic():
        WebhookSubscription.objects.filter(pk=subscription.pk).delete()


# --- Fan-out and delivery -----------------------------------------------------------------------

def webhook_event_fanout(event: DomainEvent) -> int:
    """Queue `event` for every active subscription of its company that matches it (once each)."""
    if not event.company_id:
        return 0
    subscriptions = [subscription for subscription in WebhookSubscription.objects.filter(
        company_id=event.company_id, is_active=True, created_at__lte=event.at) if subscription_matches(
        subscription, event.name)]
    if not subscriptions:
        return 0
    now = timezone.now()
    WebhookDelivery.objects.bulk_create([
        WebhookDelivery(company_id=event.company_id, subscription=subscription, event=event, next_attempt_at=now)
        for subscription in subscriptions
    ], ignore_conflicts=True)
    return len(subscriptions)


def _post(url: str, address: str | None, body: bytes, headers: dict) -> tuple[int, bytes]:
    """POST to the checked `address` (not a second lookup of the host), with the URL's Host and SNI."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    timeout = timeout_seconds()
    if parts.scheme == "https":
        connection = _PinnedHTTPSConnection(parts.hostname, port, timeout=timeout, context=ssl.create_default_context())
    else:
        connection = _PinnedHTTPConnection(parts.hostname, port, timeout=timeout)
    connection.address = address
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read(EXCERPT)
    finally:
        connection.close()


class _PinnedHTTPConnection(http.client.HTTPConnection):
    address = None

    def connect(self):
        self.sock = socket.create_connection((self.address or self.host, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    address = None

    def connect(self):
        sock = socket.create_connection((self.address or self.host, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _claim(delivery_id: int, now) -> WebhookDelivery | None:
    """pending and due -> one more attempt, leased for a while so no other worker sends it meanwhile."""
    with transaction.atomic():
        delivery = (WebhookDelivery.objects.select_for_update(of=("self",))
                    .select_related("subscription", "event", "event__company", "event__content_type", "event__actor")
                    .filter(pk=delivery_id, state=DeliveryState.PENDING).first())
        if delivery is None or (delivery.next_attempt_at and delivery.next_attempt_at > now):
            return None
        delivery.attempts += 1
        delivery.next_attempt_at = now + datetime.timedelta(seconds=timeout_seconds() * 2 + 30)
        delivery.save(update_fields=["attempts", "next_attempt_at"])
    return delivery


def _send(delivery: WebhookDelivery) -> dict:
    subscription = delivery.subscription
    if not subscription.is_active:
        return {"error": _("The webhook is not active.")}
    body = webhook_body(delivery.event)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Tessera-Event": delivery.event.name,
        "X-Tessera-Event-Id": str(delivery.event.pk),
        "X-Tessera-Delivery": str(delivery.pk),
        "X-Tessera-Signature": webhook_signature(subscription.secret, body, int(time.time())),
    }
    started = time.monotonic()
    try:
        address = webhook_url_check(subscription.url, require_resolution=True)
        status, content = _post(subscription.url, address, body, headers)
    except ValidationFailed as error:
        return {"error": "; ".join(str(m) for m in error.fields.get("url", [])) or str(error.message),
                "duration_ms": int((time.monotonic() - started) * 1000)}
    except (OSError, http.client.HTTPException) as error:
        return {"error": f"{type(error).__name__}: {error}"[:EXCERPT],
                "duration_ms": int((time.monotonic() - started) * 1000)}
    return {"response_code": status, "response_excerpt": content.decode("utf-8", "replace")[:EXCERPT],
            "duration_ms": int((time.monotonic() - started) * 1000)}


def webhook_deliver(*, delivery_id: int, now=None) -> WebhookDelivery | None:
    """Make the next attempt of a pending, due delivery and log it; None when it was not due (or done).

    2xx: delivered. Otherwise failed after the last attempt, else due again after the backoff.
    """
    now = now or timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return None
    outcome = _send(delivery)
    code = outcome.get("response_code")
    success = code is not None and 200 <= code < 300
    finished = timezone.now()
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery, number=delivery.attempts, response_code=code,
            response_excerpt=outcome.get("response_excerpt", ""), duration_ms=outcome.get("duration_ms", 0),
            error=outcome.get("error", "")[:EXCERPT], is_success=success)
        delivery.response_code = code
        delivery.response_excerpt = outcome.get("response_excerpt", "")
        delivery.duration_ms = outcome.get("duration_ms")
        delivery.error = outcome.get("error", "")[:EXCERPT]
        if success:
            delivery.state, delivery.delivered_at, delivery.next_attempt_at = DeliveryState.SUCCEEDED, finished, None
        elif delivery.attempts >= max_attempts() or not delivery.subscription.is_active:
            delivery.state, delivery.next_attempt_at = DeliveryState.FAILED, None
        else:
            delivery.next_attempt_at = now + datetime.timedelta(seconds=backoff_seconds(delivery.attempts))
        delivery.save(update_fields=["response_code", "response_excerpt", "duration_ms", "error", "state",
                                     "delivered_at", "next_attempt_at"])
    return delivery


def webhook_deliver_due(*, now=None, limit: int = 100) -> int:
    """Attempt every pending delivery that is due (new ones and retries); return how many were attempted."""
    now = now or timezone.now()
    due = list(WebhookDelivery.objects.filter(state=DeliveryState.PENDING, next_attempt_at__lte=now)
               .order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
    return sum(1 for pk in due if webhook_deliver(delivery_id=pk, now=now) is not None)


def webhook_deliveries_start() -> None:
    """After a dispatch: send what is due now (no broker), or hand new deliveries to the workers."""
    from ..tasks import deliver_webhook

    if deliver_webhook.app.conf.task_always_eager:
        webhook_deliver_due()
        return
    for pk in WebhookDelivery.objects.filter(state=DeliveryState.PENDING, attempts=0,
                                             next_attempt_at__lte=timezone.now()).values_list("pk", flat=True)[:500]:
        deliver_webhook.delay(pk)


def webhook_delivery_replay(*, actor, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivered (or failed) event again, as a new delivery of the same subscription."""
    subscription = delivery.subscription
    require(actor, "core.add_webhookdelivery", subscription.company)
    if not subscription.is_active:
        raise ValidationFailed(_("The webhook is not active: activate it before replaying."))
    with transaction.atomic():
        replay = WebhookDelivery.objects.create(
            company=subscription.company, subscription=subscription, event=delivery.event, replay_of=delivery,
            next_attempt_at=timezone.now(), requested_by=actor if getattr(actor, "is_authenticated", False) else None)
        transaction.on_commit(lambda: _start_one(replay.pk))
    return replay


def _start_one(delivery_id: int) -> None:
    from ..tasks import deliver_webhook

    try:
        if deliver_webhook.app.conf.task_always_eager:
            webhook_deliver(delivery_id=delivery_id)
        else:
            deliver_webhook.delay(delivery_id)
    except Exception:
        logger.exception("Could not start webhook delivery %s", delivery_id)


def webhook_delivery_get(*, user, company, pk) -> WebhookDelivery:
    require(user, "core.view_webhookdelivery", company)
    found = WebhookDelivery.objects.filter(company=company, pk=pk).select_related("subscription", "event").first()
    if found is None:
        raise NotFound(_("Delivery not found."))
    return found
