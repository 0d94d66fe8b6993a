"""The event log's consumers: each event handled once, in id order, late commits not lost, one dispatch
per transaction after it commits."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from tessera.core import events
from tessera.core.models import DomainEvent, EventCursor, Notification
from tessera.core.services.dispatch import event_log_consume, event_log_consume_all

pytestmark = pytest.mark.django_db


def _event(company, name="test.thing", **fields):
    return DomainEvent.objects.create(company=company, name=name, **fields)


def test_every_event_is_handled_once_in_id_order(company):
    first, second, third = (_event(company) for _ in range(3))
    seen = []

    handled = event_log_consume("test", lambda event: seen.append(event.pk))
    again = event_log_consume("test", lambda event: seen.append(event.pk))

    assert (handled, again) == (3, 0)
    assert seen == [first.pk, second.pk, third.pk]
    assert EventCursor.objects.get(consumer="test").position == third.pk


def test_a_batch_stops_at_its_size_and_the_next_run_goes_on(company):
    created = [_event(company).pk for _ in range(5)]
    seen = []

    assert event_log_consume("test", lambda event: seen.append(event.pk), batch=2) == 2
    assert event_log_consume_all("test", lambda event: seen.append(event.pk), batch=2) == 3
    assert seen == created


def test_a_missing_id_holds_the_cursor_and_the_late_event_is_still_handled(company, settings):
    settings.EVENT_LOG_SETTLE_SECONDS = 600
    first, late, third = (_event(company) for _ in range(3))
    late_pk = late.pk
    late.delete()  # not committed yet: another transaction took this id and is still running
    seen = []

    event_log_consume("test", lambda event: seen.append(event.pk))
    cursor = EventCursor.objects.get(consumer="test")
    assert (cursor.position, cursor.handled) == (first.pk, [third.pk])

    _event(company, pk=late_pk)  # ... and now it commits
    event_log_consume("test", lambda event: seen.append(event.pk))

    assert seen == [first.pk, third.pk, late_pk]
    cursor.refresh_from_db()
    assert (cursor.position, cursor.handled) == (third.pk, [])


def test_a_missing_id_is_given_up_once_the_event_after_it_has_settled(company, settings):
    settings.EVENT_LOG_SETTLE_SECONDS = 60
    first, rolled_back, third = (_event(company) for _ in range(3))
    rolled_back.delete()
    DomainEvent.objects.filter(pk=third.pk).update(at=timezone.now() - datetime.timedelta(seconds=61))

    event_log_consume("test", lambda event: None)

    cursor = EventCursor.objects.get(consumer="test")
    assert (cursor.position, cursor.handled) == (third.pk, [])


def test_a_handler_that_fails_on_one_event_does_not_stop_the_others(company):
    bad, good = _event(company, name="test.bad"), _event(company, name="test.good")
    seen = []

    def handler(event):
        if event.name == "test.bad":
            raise RuntimeError("boom")
        seen.append(event.pk)

    assert event_log_consume("test", handler) == 2
    assert seen == [good.pk]
    assert EventCursor.objects.get(consumer="test").position == good.pk
    assert bad.pk < good.pk


def test_a_new_cursor_skips_history_older_than_a_day(company):
    old = _event(company)
    DomainEvent.objects.filter(pk=old.pk).update(at=timezone.now() - datetime.timedelta(days=2))
    recent = _event(company)
    seen = []

    event_log_consume("fresh", lambda event: seen.append(event.pk))

    assert seen == [recent.pk]


def test_a_transaction_that_writes_events_schedules_one_dispatch(company, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            events.emit("test.one", company=company)
            events.emit("test.two", company=company)

    assert len(callbacks) == 1


def test_a_rolled_back_savepoint_does_not_swallow_the_dispatch(company, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    events.emit("test.undone", company=company)
                    raise RuntimeError("rolled back")
            except RuntimeError:
                pass
            events.emit("test.kept", company=company)

    assert len(callbacks) == 1


def test_after_the_commit_the_dispatch_raises_the_notifications(company, make_user, django_capture_on_commit_callbacks):
    user = make_user("administrator", username="ada")

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        events.emit("core.job.succeeded", company=company, payload={"kind": "core.export_audit", "user": user.pk})

    assert list(Notification.objects.values_list("user__username", "kind")) == [("ada", "core.job.succeeded")]


def test_a_cursor_made_before_any_event_does_not_wait_for_ids_never_used(company):
    assert event_log_consume("early", lambda event: None) == 0
    first = _event(company, pk=1000)  # a PostgreSQL sequence goes on after rolled-back tests and imports
    second = _event(company, pk=1001)

    event_log_consume("early", lambda event: None)

    cursor = EventCursor.objects.get(consumer="early")
    assert (cursor.position, cursor.handled) == (second.pk, [])
    assert first.pk == 1000
