"""Webhooks: signed deliveries to a local HTTP receiver, retries with exponential backoff, the log,
replay, matching patterns, and refusal of addresses a webhook must not reach."""

import datetime
import json
import socket
from unittest import mock

import pytest
from django.utils import timezone

from tessera.core.errors import PermissionDenied, ValidationFailed
from tessera.core.models import DomainEvent, WebhookDelivery, WebhookSubscription
from tessera.core.models.webhooks import DeliveryState
from tessera.core.services.webhooks import (
    backoff_seconds,
    pattern_matches,
    webhook_create,
    webhook_deliver_due,
    webhook_delivery_replay,
    webhook_event_fanout,
    webhook_rotate_secret,
    webhook_signature,
    webhook_signature_verify,
    webhook_update,
    webhook_url_check,
)

from .receiver import Receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True  # the receiver listens on 127.0.0.1
    settings.WEBHOOK_BACKOFF_SECONDS = 30
    settings.WEBHOOK_MAX_ATTEMPTS = 4
    settings.WEBHOOK_TIMEOUT_SECONDS = 5
    server = Receiver().start()
    yield server
    server.stop()


@pytest.fixture
def webhook(company, boss, receiver):
    return webhook_create(actor=boss, company=company, data={
        "name": "CRM", "url": receiver.url, "events": ["accounting.invoice.*", "core.comment.added"]})


def _event(company, name="accounting.invoice.posted", **payload):
    return DomainEvent.objects.create(company=company, name=name, payload=payload)


def _due_after(seconds):
    return timezone.now() + datetime.timedelta(seconds=seconds)


# --- Signature ----------------------------------------------------------------------------------

def test_the_signature_is_an_hmac_of_timestamp_and_body():
    header = webhook_signature("s3cret", b'{"a":1}', 1767225600)

    assert header == "t=1767225600,v1=" + __import__("hmac").new(
        b"s3cret", b'1767225600.{"a":1}', "sha256").hexdigest()
    assert webhook_signature_verify("s3cret", header, b'{"a":1}', now=1767225600 + 299)


@pytest.mark.parametrize(("secret", "body", "now"), [
    ("wrong", b'{"a":1}', 1767225600),          # another secret
    ("s3cret", b'{"a":2}', 1767225600),         # the body was changed
    ("s3cret", b'{"a":1}', 1767225600 + 301),   # too old: a replayed request
])
def test_a_forged_changed_or_stale_request_does_not_verify(secret, body, now):
    header = webhook_signature("s3cret", b'{"a":1}', 1767225600)

    assert not webhook_signature_verify(secret, header, body, now=now)


def test_a_malformed_signature_header_does_not_verify():
    assert not webhook_signature_verify("s3cret", "v1=abc", b"{}")
    assert not webhook_signature_verify("s3cret", "", b"{}")


# --- Delivery against a local receiver -------------------------------------------------------------

def test_a_matching_event_is_delivered_signed_to_the_receiver(company, webhook, receiver):
    event = _event(company, number="INV-2026-0001")

    assert webhook_event_fanout(event) == 1
    assert webhook_deliver_due() == 1

    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.response_code) == (DeliveryState.SUCCEEDED, 1, 200)
    assert delivery.response_excerpt == '{"ok": true}'
    assert delivery.delivered_at is not None and delivery.duration_ms is not None
    request = receiver.requests[0]
    assert request.path == "/hooks/tessera?source=test"
    assert request.headers["X-Tessera-Event"] == "accounting.invoice.posted"
    assert request.headers["X-Tessera-Delivery"] == str(delivery.pk)
    assert webhook_signature_verify(webhook.secret, request.headers["X-Tessera-Signature"], request.body)
    body = json.loads(request.body)
    assert (body["id"], body["event"], body["company"], body["payload"]) == (
        event.pk, "accounting.invoice.posted", "ACME", {"number": "INV-2026-0001"})


def test_a_failing_receiver_is_retried_with_exponential_backoff(company, webhook, receiver):
    receiver.fail_first = 2
    webhook_event_fanout(_event(company))

    start = timezone.now()
    assert webhook_deliver_due(now=start) == 1
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.response_code) == (DeliveryState.PENDING, 1, 500)
    assert delivery.next_attempt_at == start + datetime.timedelta(seconds=30)
    assert delivery.response_excerpt == "temporarily broken"

    assert webhook_deliver_due(now=start + datetime.timedelta(seconds=29)) == 0  # not due yet
    second = start + datetime.timedelta(seconds=30)
    assert webhook_deliver_due(now=second) == 1
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.next_attempt_at) == (2, second + datetime.timedelta(seconds=60))

    assert webhook_deliver_due(now=second + datetime.timedelta(seconds=60)) == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.response_code) == (DeliveryState.SUCCEEDED, 3, 200)
    assert len(receiver.requests) == 3
    assert [(a.number, a.response_code, a.is_success) for a in delivery.attempt_log.all()] == [
        (1, 500, False), (2, 500, False), (3, 200, True)]
    # every attempt is signed afresh over the same body
    assert len({r.body for r in receiver.requests}) == 1
    assert all(webhook_signature_verify(webhook.secret, r.headers["X-Tessera-Signature"], r.body)
               for r in receiver.requests)


def test_after_the_last_attempt_the_delivery_fails(company, webhook, receiver):
    receiver.fail_first = 10
    webhook_event_fanout(_event(company))

    moment = timezone.now()
    for _attempt in range(4):
        assert webhook_deliver_due(now=moment) == 1
        moment = WebhookDelivery.objects.get().next_attempt_at or moment

    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.next_attempt_at) == (DeliveryState.FAILED, 4, None)
    assert webhook_deliver_due(now=moment + datetime.timedelta(days=1)) == 0


def test_backoff_doubles_and_is_capped(settings):
    settings.WEBHOOK_BACKOFF_SECONDS = 30

    assert [backoff_seconds(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff_seconds(20) == 6 * 3600


def test_a_receiver_that_is_down_is_an_attempt_with_the_error(company, webhook, receiver):
    receiver.stop()
    webhook_event_fanout(_event(company))

    webhook_deliver_due()

    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.response_code) == (DeliveryState.PENDING, 1, None)
    assert "ConnectionRefusedError" in delivery.error


def test_replay_sends_the_event_again_as_a_new_delivery(company, webhook, receiver, boss,
                                                         django_capture_on_commit_callbacks):
    webhook_event_fanout(_event(company))
    webhook_deliver_due()
    original = WebhookDelivery.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        replay = webhook_delivery_replay(actor=boss, delivery=original)

    replay.refresh_from_db()
    assert (replay.replay_of, replay.state, replay.requested_by) == (original, DeliveryState.SUCCEEDED, boss)
    assert len(receiver.requests) == 2
    assert receiver.requests[0].body == receiver.requests[1].body
    assert receiver.requests[1].headers["X-Tessera-Delivery"] == str(replay.pk)


def test_replay_needs_the_permission(company, webhook, manager):
    webhook_event_fanout(_event(company))
    delivery = WebhookDelivery.objects.get()

    with pytest.raises(PermissionDenied):
        webhook_delivery_replay(actor=manager, delivery=delivery)
    assert WebhookDelivery.objects.count() == 1


def test_in_a_worker_a_failed_attempt_is_retried_by_a_celery_countdown(company, webhook, receiver):
    from tessera.celery import app
    from tessera.core.tasks import deliver_webhook

    receiver.fail_first = 1
    webhook_event_fanout(_event(company))
    delivery = WebhookDelivery.objects.get()
    app.conf.task_always_eager = False  # as with a broker (restored by the conftest)
    with mock.patch.object(deliver_webhook, "apply_async") as scheduled:
        deliver_webhook.run(delivery.pk)

    (args, kwargs), = [(call.args, call.kwargs) for call in scheduled.call_args_list]
    assert kwargs["args"] == (delivery.pk,)
    assert 28 <= kwargs["countdown"] <= 30


def test_the_dispatch_delivers_new_events_after_the_commit(company, webhook, receiver, emit, record, dispatch):
    emit("core.comment.added", record, excerpt="Hello")
    emit("core.attachment.added", record)  # not subscribed

    dispatch()

    assert [json.loads(r.body)["event"] for r in receiver.requests] == ["core.comment.added"]


# --- Which events go where ---------------------------------------------------------------------------

@pytest.mark.parametrize(("pattern", "name", "matches"), [
    ("*", "anything.at.all", True),
    ("accounting.invoice.*", "accounting.invoice.posted", True),
    ("accounting.invoice.*", "accounting.invoice_line.posted", False),
    ("accounting.*", "accounting.payment.posted", True),
    ("accounting.*.posted", "accounting.payment.posted", True),
    ("accounting.*.posted", "accounting.payment.cancelled", False),
    ("approvals.request.approved", "approvals.request.approved", True),
    ("approvals.request.approved", "approvals.request.rejected", False),
])
def test_patterns(pattern, name, matches):
    assert pattern_matches(pattern, name) is matches


def test_only_the_companys_active_matching_subscriptions_get_an_event(company, other_company, boss, receiver):
    mine = webhook_create(actor=boss, company=company, data={"name": "A", "url": receiver.url, "events": ["*"]})
    webhook_create(actor=boss, company=company, data={"name": "B", "url": receiver.url, "events": ["sales.*"]})
    webhook_create(actor=boss, company=company, data={"name": "C", "url": receiver.url, "events": ["*"],
                                                      "is_active": False})
    WebhookSubscription.objects.create(company=other_company, name="D", url=receiver.url, events=["*"], secret="x")
    event = _event(company)

    webhook_event_fanout(event)
    webhook_event_fanout(event)  # seen twice: still once

    assert list(WebhookDelivery.objects.values_list("subscription", flat=True)) == [mine.pk]


def test_events_before_the_subscription_are_not_sent(company, webhook):
    event = _event(company)
    DomainEvent.objects.filter(pk=event.pk).update(at=webhook.created_at - datetime.timedelta(seconds=1))
    event.refresh_from_db()

    assert webhook_event_fanout(event) == 0


# --- Subscriptions and addresses -------------------------------------------------------------------

def test_a_subscription_gets_a_secret_and_a_new_one_on_demand(webhook, boss):
    old = webhook.secret

    rotated = webhook_rotate_secret(actor=boss, subscription=webhook)

    assert len(old) >= 40 and rotated.secret != old


def test_patterns_are_checked_and_cleaned(company, boss, receiver):
    created = webhook_create(actor=boss, company=company, data={
        "name": "A", "url": receiver.url, "events": "Accounting.Invoice.*, accounting.invoice.*\napprovals.*"})
    assert created.events == ["accounting.invoice.*", "approvals.*"]

    with pytest.raises(ValidationFailed) as refused:
        webhook_update(actor=boss, subscription=created, data={"events": ["accounting..posted"]})
    assert set(refused.value.fields) == {"events"}
    with pytest.raises(ValidationFailed):
        webhook_update(actor=boss, subscription=created, data={"events": []})
    created.refresh_from_db()
    assert created.events == ["accounting.invoice.*", "approvals.*"]


def test_only_an_administrator_manages_webhooks(company, manager):
    with pytest.raises(PermissionDenied):
        webhook_create(actor=manager, company=company, data={"name": "A", "url": "https://example.com/h",
                                                             "events": ["*"]})
    assert WebhookSubscription.objects.count() == 0


@pytest.mark.parametrize("url", [
    "http://169.254.169.254/latest/meta-data/",        # cloud metadata (link-local)
    "http://100.100.100.200/latest/meta-data/",        # Alibaba Cloud metadata
    "http://[fd00:ec2::254]/",                         # AWS metadata over IPv6
    "http://[::ffff:169.254.169.254]/",                # the same, IPv4-mapped
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://[fe80::1]/",
    "http://0.0.0.0:8000/",
])
def test_link_local_and_metadata_addresses_are_always_refused(url, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True

    with pytest.raises(ValidationFailed) as refused:
        webhook_url_check(url)
    assert set(refused.value.fields) == {"url"}


@pytest.mark.parametrize("url", ["http://127.0.0.1:9000/", "http://localhost/", "http://10.1.2.3/",
                                 "http://192.168.1.10/", "http://[::1]/", "http://100.64.0.1/"])
def test_private_networks_are_refused_unless_allowed(url, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False
    with pytest.raises(ValidationFailed):
        webhook_url_check(url)

    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    webhook_url_check(url)


@pytest.mark.parametrize("url", ["ftp://example.com/", "file:///etc/passwd", "https://user:pw@example.com/", "nope"])
def test_only_plain_http_urls_are_accepted(url):
    with pytest.raises(ValidationFailed):
        webhook_url_check(url)


def test_a_refused_url_creates_nothing(company, boss, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False

    with pytest.raises(ValidationFailed) as refused:
        webhook_create(actor=boss, company=company, data={"name": "A", "url": "http://127.0.0.1:8000/",
                                                          "events": ["*"]})

    assert set(refused.value.fields) == {"url"}
    assert WebhookSubscription.objects.count() == 0


def test_a_host_that_later_resolves_to_a_private_address_is_refused_when_sending(company, webhook, receiver, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False  # the receiver's 127.0.0.1 is no longer allowed
    webhook_event_fanout(_event(company))

    webhook_deliver_due()

    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.response_code) == (DeliveryState.PENDING, None)
    assert "private network" in delivery.error
    assert receiver.requests == []


def test_the_request_goes_to_the_checked_address_not_a_second_lookup(company, boss, receiver):
    port = receiver.port
    webhook = WebhookSubscription.objects.create(company=company, name="DNS", events=["*"], secret="x",
                                                 url=f"http://hooks.example.test:{port}/in")
    webhook_event_fanout(_event(company))
    answers = iter([[(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))],
                    [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("169.254.169.254", port))]])

    real = socket.getaddrinfo

    def lookup(host, *args, **kwargs):  # the name answers a safe address first, the metadata one after
        return next(answers) if host == "hooks.example.test" else real(host, *args, **kwargs)

    with mock.patch("socket.getaddrinfo", side_effect=lookup):
        webhook_deliver_due()

    assert WebhookDelivery.objects.get(subscription=webhook).state == DeliveryState.SUCCEEDED
    assert receiver.requests[0].headers["Host"] == f"hooks.example.test:{port}"
