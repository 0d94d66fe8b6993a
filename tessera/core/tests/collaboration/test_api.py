"""The API: one's own notifications (others' are 404), preferences, webhooks (administrators only) with
their delivery log and replay, and the outgoing event stream for pollers."""

import pytest
from django.core.cache import cache

from tessera.core.models import DomainEvent, Notification, WebhookDelivery, WebhookSubscription

from .receiver import Receiver

pytestmark = pytest.mark.django_db
NOTIFICATIONS = "/api/v1/core/notifications/"
PREFERENCES = "/api/v1/core/notification-preferences/"
WEBHOOKS = "/api/v1/core/webhooks/"
DELIVERIES = "/api/v1/core/webhooks/deliveries/"
EVENTS = "/api/v1/core/events/"


@pytest.fixture(autouse=True)
def _no_throttle_leftovers():
    cache.clear()


@pytest.fixture
def mine(company, manager, boss):
    rows = [Notification.objects.create(user=manager, company=company, kind="core.job.succeeded", title=f"N{n}")
            for n in range(3)]
    Notification.objects.create(user=manager, company=company, kind="core.job.succeeded", title="Mail only",
                                is_in_app=False)
    return rows


@pytest.fixture
def theirs(company, boss):
    return Notification.objects.create(user=boss, company=company, kind="core.job.failed", title="Boss's")


@pytest.fixture
def mei_api(api_client_for, manager):
    return api_client_for(manager)


@pytest.fixture
def boss_api(api_client_for, boss):
    return api_client_for(boss)


# --- Notifications -------------------------------------------------------------------------------

def test_a_user_lists_only_their_own_in_app_notifications(mei_api, mine, theirs):
    body = mei_api.get(NOTIFICATIONS).json()

    assert body["count"] == 3
    assert [row["title"] for row in body["results"]] == ["N2", "N1", "N0"]
    assert set(body["results"][0]) == {"id", "kind", "title", "body", "url", "company", "event", "is_read",
                                       "read_at", "created_at"}


def test_read_one_then_count_then_read_all(mei_api, mine):
    answer = mei_api.post(f"{NOTIFICATIONS}{mine[0].pk}/read/")
    assert answer.status_code == 200
    assert answer.json()["is_read"] is True

    assert mei_api.get(f"{NOTIFICATIONS}unread-count/").json() == {"unread": 2}
    assert mei_api.get(NOTIFICATIONS, {"unread": "true"}).json()["count"] == 2
    assert mei_api.post(f"{NOTIFICATIONS}read-all/").json() == {"marked": 2}
    assert mei_api.get(f"{NOTIFICATIONS}unread-count/").json() == {"unread": 0}


def test_another_users_notification_is_not_found_and_stays_unread(mei_api, theirs):
    for response in (mei_api.get(f"{NOTIFICATIONS}{theirs.pk}/"), mei_api.post(f"{NOTIFICATIONS}{theirs.pk}/read/")):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_notifications_need_a_signed_in_user(client, mine):
    response = client.get(NOTIFICATIONS)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_notifications_cannot_be_created_or_deleted_through_the_api(mei_api, mine):
    assert mei_api.post(NOTIFICATIONS, {}, format="json").status_code == 405
    assert mei_api.delete(f"{NOTIFICATIONS}{mine[0].pk}/").status_code == 405


# --- Preferences -----------------------------------------------------------------------------------

def test_preferences_list_and_change_one_kind(mei_api):
    rows = {row["kind"]: row for row in mei_api.get(PREFERENCES).json()}
    assert rows["core.job.failed"] == {"kind": "core.job.failed", "label": "Background job failed",
                                       "description": "A long task you started has failed.", "default_email": True,
                                       "in_app": True, "email": True}

    answer = mei_api.patch(f"{PREFERENCES}core.job.failed/", {"email": False}, format="json")

    assert answer.status_code == 200
    assert (answer.json()["in_app"], answer.json()["email"]) == (True, False)
    assert mei_api.get(f"{PREFERENCES}core.job.failed/").json()["email"] is False


def test_an_unknown_kind_is_404_and_a_bad_value_400(mei_api):
    assert mei_api.patch(f"{PREFERENCES}nope.nothing/", {"email": True}, format="json").status_code == 404
    bad = mei_api.patch(f"{PREFERENCES}core.job.failed/", {"email": "maybe"}, format="json")
    assert bad.status_code == 400
    assert set(bad.json()["error"]["fields"]) == {"email"}
    assert mei_api.get(f"{PREFERENCES}core.job.failed/").json()["email"] is True


# --- Webhooks --------------------------------------------------------------------------------------

@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    server = Receiver().start()
    yield server
    server.stop()


def test_an_administrator_creates_a_webhook_and_gets_its_secret(boss_api, receiver):
    answer = boss_api.post(WEBHOOKS, {"name": "CRM", "url": receiver.url, "events": ["accounting.invoice.*"]},
                           format="json")

    assert answer.status_code == 201
    body = answer.json()
    assert (body["name"], body["events"], body["is_active"]) == ("CRM", ["accounting.invoice.*"], True)
    assert len(body["secret"]) >= 40
    assert WebhookSubscription.objects.get().secret == body["secret"]


def test_a_webhook_to_the_metadata_service_is_refused(boss_api, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True

    answer = boss_api.post(WEBHOOKS, {"name": "Evil", "url": "http://169.254.169.254/latest/", "events": ["*"]},
                           format="json")

    assert answer.status_code == 400
    assert set(answer.json()["error"]["fields"]) == {"url"}
    assert WebhookSubscription.objects.count() == 0


def test_a_bad_pattern_or_no_events_is_refused(boss_api, receiver):
    for events in (["accounting..posted"], []):
        answer = boss_api.post(WEBHOOKS, {"name": "A", "url": receiver.url, "events": events}, format="json")
        assert answer.status_code == 400
        assert set(answer.json()["error"]["fields"]) == {"events"}
    assert WebhookSubscription.objects.count() == 0


def test_webhooks_need_an_administrator(mei_api, company):
    WebhookSubscription.objects.create(company=company, name="CRM", url="https://crm.example.com/", events=["*"],
                                       secret="x")

    for response in (mei_api.get(WEBHOOKS), mei_api.post(WEBHOOKS, {"name": "A", "url": "https://a.example.com/",
                                                                       "events": ["*"]}, format="json"),
                     mei_api.get(DELIVERIES)):
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "permission_denied"
    assert WebhookSubscription.objects.count() == 1


def test_another_companys_webhook_is_not_found(boss_api, other_company):
    theirs = WebhookSubscription.objects.create(company=other_company, name="X", url="https://x.example.com/",
                                                events=["*"], secret="x")

    assert boss_api.get(f"{WEBHOOKS}{theirs.pk}/").status_code == 404


def test_edit_rotate_and_delete(boss_api, receiver):
    created = boss_api.post(WEBHOOKS, {"name": "CRM", "url": receiver.url, "events": ["*"]}, format="json").json()
    url = f"{WEBHOOKS}{created['id']}/"

    edited = boss_api.patch(url, {"is_active": False, "events": ["sales.order.*"]}, format="json").json()
    rotated = boss_api.post(f"{url}rotate-secret/").json()

    assert (edited["is_active"], edited["events"]) == (False, ["sales.order.*"])
    assert rotated["secret"] != created["secret"]
    assert boss_api.delete(url).status_code == 204
    assert WebhookSubscription.objects.count() == 0


def test_the_delivery_log_and_replay(boss_api, company, receiver, django_capture_on_commit_callbacks):
    from tessera.core.services.webhooks import webhook_deliver_due, webhook_event_fanout

    created = boss_api.post(WEBHOOKS, {"name": "CRM", "url": receiver.url, "events": ["*"]}, format="json").json()
    event = DomainEvent.objects.create(company=company, name="accounting.invoice.posted")
    webhook_event_fanout(event)
    webhook_deliver_due()
    delivery = WebhookDelivery.objects.get()

    log = boss_api.get(f"{WEBHOOKS}{created['id']}/deliveries/").json()
    assert log["count"] == 1
    row = log["results"][0]
    assert (row["event"], row["event_name"], row["state"], row["response_code"], row["attempts"]) == (
        event.pk, "accounting.invoice.posted", "succeeded", 200, 1)
    assert [attempt["response_code"] for attempt in row["attempt_log"]] == [200]

    with django_capture_on_commit_callbacks(execute=True):
        replay = boss_api.post(f"{DELIVERIES}{delivery.pk}/replay/")
    assert replay.status_code == 201
    assert replay.json()["replay_of"] == delivery.pk
    assert WebhookDelivery.objects.get(pk=replay.json()["id"]).state == "succeeded"
    assert len(receiver.requests) == 2
    assert boss_api.get(DELIVERIES, {"state": "succeeded"}).json()["count"] == 2


# --- The event stream ------------------------------------------------------------------------------

def test_the_event_stream_pages_by_id_after_the_last_one_seen(boss_api, company, other_company):
    ours = [DomainEvent.objects.create(company=company, name=f"test.{n}") for n in range(5)]
    DomainEvent.objects.create(company=other_company, name="test.theirs")
    DomainEvent.objects.create(company=None, name="core.user.created")

    page = boss_api.get(EVENTS, {"after": ours[0].pk, "page_size": 2}).json()

    assert [row["id"] for row in page["results"]] == [ours[1].pk, ours[2].pk]
    assert page["count"] == 4
    assert f"after={ours[2].pk}" in page["next"] and "page_size=2" in page["next"]
    following = boss_api.get(page["next"]).json()
    assert [row["id"] for row in following["results"]] == [ours[3].pk, ours[4].pk]
    assert following["next"] is None
    assert boss_api.get(EVENTS, {"after": ours[4].pk}).json() == {"count": 0, "next": None, "previous": None,
                                                                  "results": []}


def test_the_event_stream_is_the_companys_only(boss_api, company, other_company):
    DomainEvent.objects.create(company=other_company, name="test.theirs")
    DomainEvent.objects.create(company=None, name="core.user.created")
    mine = DomainEvent.objects.create(company=company, name="test.mine")

    assert [row["id"] for row in boss_api.get(EVENTS, {"after": 0}).json()["results"]] == [mine.pk]


def test_the_event_stream_refuses_a_bad_cursor_and_needs_the_permission(boss_api, mei_api):
    bad = boss_api.get(EVENTS, {"after": "yesterday"})
    assert bad.status_code == 400
    assert set(bad.json()["error"]["fields"]) == {"after"}
    assert mei_api.get(EVENTS, {"after": 0}).status_code == 403
