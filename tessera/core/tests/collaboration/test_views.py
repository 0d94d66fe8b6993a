"""The screens: the bell (count polled without reload), its drop-down, the notifications page and
settings, the Activity tab's pane (comments, follow, mention suggestions) and Settings › Webhooks."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tessera.core.models import (
    Comment,
    DomainEvent,
    Follower,
    Notification,
    NotificationPreference,
    WebhookDelivery,
    WebhookSubscription,
)
from tessera.core.services.webhooks import webhook_deliver_due, webhook_event_fanout

from .receiver import Receiver

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def client_for():
    from django.test import Client

    def make(user):
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


@pytest.fixture
def mei_web(client_for, manager):
    return client_for(manager)


@pytest.fixture
def boss_web(client_for, boss):
    return client_for(boss)


@pytest.fixture
def unread(company, manager):
    return [Notification.objects.create(user=manager, company=company, kind="core.job.succeeded", title=f"Job {n}",
                                        url="/settings/jobs/") for n in range(2)]


# --- The bell ------------------------------------------------------------------------------------

def test_every_page_has_the_bell_with_the_unread_count_and_polls_it(mei_web, unread):
    html = mei_web.get(reverse("home")).content.decode()

    assert 'data-testid="notification-bell"' in html
    assert 'data-count="2"' in html
    assert f'hx-get="{reverse("core:notification_count")}"' in html
    assert "every 30s" in html


def test_the_count_answers_the_poll_with_the_badge_alone(mei_web, unread, company, manager):
    Notification.objects.filter(pk=unread[0].pk).update(read_at="2026-01-01T00:00Z")

    response = mei_web.get(reverse("core:notification_count"), **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-count="1"' in html and "<html" not in html


def test_the_poll_is_cheap_and_does_not_keep_the_session_alive(mei_web, unread):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        mei_web.get(reverse("core:notification_count"))

    sql = [query["sql"] for query in queries.captured_queries]
    assert len(sql) == 5  # the session, the user, the profile and company worked in, the count
    assert sum("core_notification" in statement for statement in sql) == 1
    assert not any(statement.startswith("UPDATE") for statement in sql)  # the idle timeout still counts


def test_the_poll_answers_401_when_signed_out(client):
    assert client.get(reverse("core:notification_count")).status_code == 401


def test_the_drop_down_lists_the_latest_unread_first(mei_web, unread):
    html = mei_web.get(reverse("core:notification_menu"), **HTMX).content.decode()

    assert html.index("Job 1") < html.index("Job 0")
    assert reverse("core:notification_open", args=[unread[0].pk]) in html
    assert 'hx-swap-oob="true"' in html


def test_opening_a_notification_marks_it_read_and_follows_its_link(mei_web, unread):
    response = mei_web.get(reverse("core:notification_open", args=[unread[0].pk]))

    assert (response.status_code, response["Location"]) == (302, "/settings/jobs/")
    unread[0].refresh_from_db()
    assert unread[0].read_at is not None


def test_a_link_to_another_site_is_not_followed(mei_web, company, manager):
    odd = Notification.objects.create(user=manager, company=company, kind="k", title="Odd", url="https://evil.example/")

    response = mei_web.get(reverse("core:notification_open", args=[odd.pk]))

    assert response["Location"] == reverse("core:notification_list")


def test_someone_elses_notification_is_not_found(boss_web, unread):
    assert boss_web.get(reverse("core:notification_open", args=[unread[0].pk])).status_code == 404
    assert boss_web.post(reverse("core:notification_read", args=[unread[0].pk])).status_code == 404
    unread[0].refresh_from_db()
    assert unread[0].read_at is None


def test_the_page_marks_one_read_in_place_and_all_at_once(mei_web, unread, manager, company):
    page = mei_web.get(reverse("core:notification_list")).content.decode()
    assert "Job 0" in page and 'data-testid="notifications-read-all"' in page

    one = mei_web.post(reverse("core:notification_read", args=[unread[0].pk]), **HTMX)
    assert one["HX-Trigger"] == "notifications-changed"
    assert "Mark read" not in one.content.decode()

    mei_web.post(reverse("core:notification_read_all"))
    assert Notification.objects.filter(user=manager, read_at__isnull=True).count() == 0
    assert "Nothing unread." in mei_web.get(reverse("core:notification_list"), {"show": "unread"}).content.decode()


def test_the_settings_screen_saves_each_kind(mei_web, manager):
    page = mei_web.get(reverse("core:notification_preferences")).content.decode()
    assert 'name="email:core.job.failed" aria-label="By e-mail: Background job failed" checked' in page

    mei_web.post(reverse("core:notification_preferences"), {"in_app:core.job.failed": "on",
                                                              "email:core.comment.added": "on"})

    rows = {p.kind: (p.in_app, p.email) for p in NotificationPreference.objects.filter(user=manager)}
    assert rows["core.job.failed"] == (True, False)
    assert rows["core.comment.added"] == (False, True)
    assert rows["core.job.succeeded"] == (False, False)


def test_the_pages_render_in_chinese(mei_web, unread):
    for name in ("core:notification_list", "core:notification_preferences", "core:notification_menu"):
        response = mei_web.get(reverse(name), HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 200
    assert 'lang="zh-hans"' in mei_web.get(reverse("core:notification_list"),
                                           HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()


# --- The Activity pane -----------------------------------------------------------------------------

def pane_url(record_type, record, name="core:activity_pane"):
    return reverse(name, args=[record_type, record.pk])


def test_the_pane_shows_the_comment_box_and_the_follow_button(mei_web, record, record_type):
    html = mei_web.get(pane_url(record_type, record), **HTMX).content.decode()

    assert 'data-testid="comment-form"' in html
    assert f'data-mention-url="{pane_url(record_type, record, "core:activity_mentions")}"' in html
    assert 'data-testid="activity-follow"' in html
    assert 'name="files"' not in html  # files need the change permission


def test_posting_a_comment_refreshes_the_pane_with_it(boss_web, record, record_type, manager):
    response = boss_web.post(pane_url(record_type, record),
                             {"body": "Check this, @mei", "files": SimpleUploadedFile("q.pdf", b"%PDF-1.4\n")},
                             **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<span class="mention">@mei</span>' in html
    assert "q.pdf" in html
    assert 'data-testid="activity-unfollow"' in html  # commenting follows
    comment = Comment.objects.get()
    assert list(comment.mentions.all()) == [manager]


def test_an_empty_comment_shows_the_error_and_writes_nothing(mei_web, record, record_type):
    response = mei_web.post(pane_url(record_type, record), {"body": "  "}, **HTMX)

    assert response.status_code == 400
    assert 'data-testid="activity-error"' in response.content.decode()
    assert Comment.objects.count() == 0


def test_follow_and_unfollow(mei_web, record, record_type, manager):
    followed = mei_web.post(pane_url(record_type, record, "core:activity_follow"), {"action": "follow"}, **HTMX)
    assert 'data-testid="activity-unfollow"' in followed.content.decode()
    assert "Mei Lin" in followed.content.decode()

    mei_web.post(pane_url(record_type, record, "core:activity_follow"), {"action": "unfollow"}, **HTMX)
    assert Follower.objects.get(user=manager).is_active is False


def test_mention_suggestions_are_json(boss_web, record, record_type, manager, outsider):
    answer = boss_web.get(pane_url(record_type, record, "core:activity_mentions"), {"q": "m"}).json()

    assert answer == {"results": [{"username": "mei", "name": "Mei Lin"}]}


def test_who_may_not_see_the_record_gets_403_and_another_company_404(client_for, outsider, record, record_type,
                                                                      make_user, other_company):
    assert client_for(outsider).get(pane_url(record_type, record)).status_code == 403
    stranger = make_user("administrator", username="stranger", companies=[other_company])
    assert client_for(stranger).get(pane_url(record_type, record)).status_code == 404
    assert client_for(outsider).post(pane_url(record_type, record), {"body": "hi"}).status_code == 403
    assert Comment.objects.count() == 0


# --- Settings › Webhooks ---------------------------------------------------------------------------

@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    server = Receiver().start()
    yield server
    server.stop()


def test_an_administrator_creates_edits_and_deletes_a_webhook(boss_web, receiver):
    created = boss_web.post(reverse("core:webhooksubscription_create"), {
        "name": "CRM", "url": receiver.url, "events": "accounting.invoice.*\napprovals.request.approved",
        "is_active": "on"})
    webhook = WebhookSubscription.objects.get()
    assert created["Location"] == reverse("core:webhooksubscription_detail", args=[webhook.pk])
    assert webhook.events == ["accounting.invoice.*", "approvals.request.approved"]

    detail = boss_web.get(created["Location"]).content.decode()
    assert webhook.secret in detail and "X-Tessera-Signature" in detail

    boss_web.post(reverse("core:webhooksubscription_update", args=[webhook.pk]),
                  {"name": "CRM 2", "url": receiver.url, "events": "*"})
    webhook.refresh_from_db()
    assert (webhook.name, webhook.events, webhook.is_active) == ("CRM 2", ["*"], False)

    old = webhook.secret
    boss_web.post(reverse("core:webhooksubscription_secret", args=[webhook.pk]))
    webhook.refresh_from_db()
    assert webhook.secret != old

    boss_web.post(reverse("core:webhooksubscription_delete", args=[webhook.pk]))
    assert WebhookSubscription.objects.count() == 0


def test_a_refused_url_is_shown_on_the_form(boss_web, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False

    response = boss_web.post(reverse("core:webhooksubscription_create"), {
        "name": "Local", "url": "http://127.0.0.1:9000/", "events": "*"})

    assert response.status_code == 200
    assert "private network" in response.content.decode()
    assert WebhookSubscription.objects.count() == 0


def test_the_delivery_log_shows_the_attempts_and_replays(boss_web, company, receiver,
                                                         django_capture_on_commit_callbacks):
    receiver.fail_first = 1
    webhook = WebhookSubscription.objects.create(company=company, name="CRM", url=receiver.url, events=["*"],
                                                 secret="s")
    webhook_event_fanout(DomainEvent.objects.create(company=company, name="accounting.invoice.posted"))
    webhook_deliver_due()
    delivery = WebhookDelivery.objects.get()

    listing = boss_web.get(reverse("core:webhookdelivery_list")).content.decode()
    assert "accounting.invoice.posted" in listing
    detail = boss_web.get(reverse("core:webhookdelivery_detail", args=[delivery.pk])).content.decode()
    assert "temporarily broken" in detail and 'data-testid="webhook-attempts"' in detail
    assert reverse("core:webhookdelivery_replay", args=[delivery.pk]) not in detail  # still pending: no replay

    WebhookDelivery.objects.filter(pk=delivery.pk).update(state="failed", next_attempt_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        replayed = boss_web.post(reverse("core:webhookdelivery_replay", args=[delivery.pk]))
    replay = WebhookDelivery.objects.exclude(pk=delivery.pk).get()
    assert replayed["Location"] == reverse("core:webhookdelivery_detail", args=[replay.pk])
    assert (replay.replay_of, replay.state) == (delivery, "succeeded")
    assert webhook.deliveries.count() == 2


def test_webhook_screens_need_an_administrator(mei_web, company):
    webhook = WebhookSubscription.objects.create(company=company, name="CRM", url="https://crm.example.com/",
                                                 events=["*"], secret="s")

    for url in (reverse("core:webhooksubscription_list"), reverse("core:webhooksubscription_detail",
                                                                   args=[webhook.pk]),
                reverse("core:webhooksubscription_create"), reverse("core:webhookdelivery_list")):
        assert mei_web.get(url).status_code == 403
    assert mei_web.post(reverse("core:webhooksubscription_delete", args=[webhook.pk])).status_code == 403
    assert WebhookSubscription.objects.count() == 1


def test_webhook_screens_render_in_chinese(boss_web, company):
    webhook = WebhookSubscription.objects.create(company=company, name="CRM", url="https://crm.example.com/",
                                                 events=["*"], secret="s")
    for url in (reverse("core:webhooksubscription_list"), reverse("core:webhooksubscription_detail",
                                                                   args=[webhook.pk]),
                reverse("core:webhooksubscription_create"), reverse("core:webhookdelivery_list")):
        response = boss_web.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 200
        assert 'lang="zh-hans"' in response.content.decode()
