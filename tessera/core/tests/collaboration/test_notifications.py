"""Notification fan-out: recipients, preferences, e-mail through Django's mail settings, once per event."""

import pytest
from django.core import mail

from tessera.core.errors import NotFound, ValidationFailed
from tessera.core.models import Job, Notification, NotificationPreference
from tessera.core.models.notifications import EmailState
from tessera.core.notifications import register_kind
from tessera.core.services.notifications import (
    notification_mark_all_read,
    notification_mark_read,
    notification_preference_set,
    notification_preferences,
    notification_preferences_save,
    notification_unread_count,
    notify_event,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(company, manager):
    return Job.objects.create(company=company, user=manager, kind="core.export_audit", state="succeeded")


def _job_event(emit, job, outcome="succeeded", actor=None):
    return emit(f"core.job.{outcome}", job, actor=actor, kind=job.kind, user=job.user_id)


def test_a_finished_job_notifies_its_user_in_tessera_only(emit, dispatch, job, manager):
    _job_event(emit, job, actor=manager)  # the user started it: still told (the kind notifies the actor)

    dispatch()

    notification = Notification.objects.get()
    assert (notification.user, notification.kind, notification.title) == (
        manager, "core.job.succeeded", "“Export the audit trail” finished")
    assert notification.url == f"/settings/jobs/{job.pk}/"
    assert (notification.is_in_app, notification.email_state, notification.read_at) == (True, EmailState.NONE, None)
    assert mail.outbox == []


def test_a_failed_job_is_also_e_mailed_by_default(emit, dispatch, job, manager):
    _job_event(emit, job, "failed")

    dispatch()

    notification = Notification.objects.get()
    assert notification.email_state == EmailState.SENT
    assert notification.emailed_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["mei@example.com"]
    assert message.subject == "[ACME] “Export the audit trail” failed"
    assert f"https://erp.example.com/settings/jobs/{job.pk}/" in message.body
    assert "https://erp.example.com/notifications/settings/" in message.body


def test_e_mail_only_is_sent_but_stays_out_of_the_bell(emit, dispatch, job, manager, company):
    notification_preference_set(actor=manager, kind="core.job.succeeded", in_app=False, email=True)
    _job_event(emit, job)

    dispatch()

    notification = Notification.objects.get()
    assert (notification.is_in_app, notification.email_state) == (False, EmailState.SENT)
    assert len(mail.outbox) == 1
    assert notification_unread_count(manager, company) == 0


def test_a_kind_switched_off_notifies_nothing(emit, dispatch, job, manager):
    notification_preference_set(actor=manager, kind="core.job.failed", in_app=False, email=False)
    _job_event(emit, job, "failed")

    dispatch()

    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_without_an_e_mail_address_only_the_bell_rings(emit, dispatch, job, manager):
    manager.email = ""
    manager.save()
    _job_event(emit, job, "failed")

    dispatch()

    assert Notification.objects.get().email_state == EmailState.NONE
    assert mail.outbox == []


def test_the_notification_and_its_e_mail_are_in_the_recipients_language(emit, dispatch, job, manager):
    manager.profile.language = "zh-hans"
    manager.profile.save()
    _job_event(emit, job, "failed")

    dispatch()

    notification = Notification.objects.get()
    assert notification.title != "“Export the audit trail” failed"
    assert mail.outbox[0].subject == "[ACME] " + notification.title


def test_an_event_seen_twice_notifies_once(emit, job, manager):
    event = _job_event(emit, job, "failed")

    notify_event(event)
    notify_event(event)

    assert Notification.objects.filter(user=manager).count() == 1


def test_a_failing_kind_is_skipped_and_the_others_still_notify(emit, dispatch, company, manager, boss):
    register_kind("test.broken", event="test.shared", label="Broken", recipients=lambda event: [boss],
                  render=lambda event, user: 1 / 0)
    register_kind("test.working", event="test.shared", label="Working", recipients=lambda event: [manager],
                  render=lambda event, user: ("Hello", "", ""))
    try:
        emit("test.shared", company)
        dispatch()
    finally:
        from tessera.core.notifications import KINDS

        KINDS.pop("test.broken")
        KINDS.pop("test.working")

    assert list(Notification.objects.values_list("user__username", "title")) == [("mei", "Hello")]


def test_the_actor_is_not_told_of_their_own_action(emit, dispatch, company, manager, boss):
    register_kind("test.self", label="Self", recipients=lambda event: [manager, boss],
                  render=lambda event, user: ("Done", "", ""))
    try:
        emit("test.self", company, actor=boss)
        dispatch()
    finally:
        from tessera.core.notifications import KINDS

        KINDS.pop("test.self")

    assert list(Notification.objects.values_list("user__username", flat=True)) == ["mei"]


def test_an_e_mail_that_cannot_be_sent_is_marked_failed(emit, dispatch, job, settings):
    settings.EMAIL_BACKEND = "tessera.core.tests.collaboration.test_notifications.BrokenBackend"
    _job_event(emit, job, "failed")

    dispatch()

    assert Notification.objects.get().email_state == EmailState.FAILED


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("SMTP server unreachable")


# --- Preferences and reading ---------------------------------------------------------------------

def test_preferences_list_every_kind_with_its_defaults_and_the_users_choice(manager):
    notification_preference_set(actor=manager, kind="core.job.succeeded", in_app=False, email=True)

    rows = {row["kind"]: row for row in notification_preferences(manager)}

    assert {"core.job.succeeded", "core.job.failed", "core.comment.mentioned", "core.comment.added",
            "core.record.activity"} <= set(rows)
    assert (rows["core.job.succeeded"]["in_app"], rows["core.job.succeeded"]["email"]) == (False, True)
    assert (rows["core.job.failed"]["in_app"], rows["core.job.failed"]["email"]) == (True, True)
    assert (rows["core.comment.added"]["in_app"], rows["core.comment.added"]["email"]) == (True, False)


def test_an_unknown_kind_is_refused_and_nothing_is_saved(manager):
    with pytest.raises(ValidationFailed) as refused:
        notification_preferences_save(actor=manager, choices={"core.job.failed": (False, False),
                                                              "nope.nothing": (True, True)})

    assert set(refused.value.fields) == {"kind"}
    assert NotificationPreference.objects.count() == 0


def test_mark_one_and_all_read(company, manager, boss):
    mine = [Notification.objects.create(user=manager, company=company, kind="k", title=f"N{n}") for n in range(3)]
    theirs = Notification.objects.create(user=boss, company=company, kind="k", title="Theirs")

    notification_mark_read(actor=manager, notification=mine[0])
    assert notification_unread_count(manager, company) == 2
    assert notification_mark_all_read(actor=manager, company=company) == 2
    assert notification_unread_count(manager, company) == 0
    assert notification_unread_count(boss, company) == 1
    with pytest.raises(NotFound):
        notification_mark_read(actor=manager, notification=theirs)
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_bell_counts_this_company_and_company_less_notifications(company, other_company, manager):
    Notification.objects.create(user=manager, company=company, kind="k", title="Here")
    Notification.objects.create(user=manager, company=None, kind="k", title="Everywhere")
    Notification.objects.create(user=manager, company=other_company, kind="k", title="Elsewhere")

    assert notification_unread_count(manager, company) == 2
