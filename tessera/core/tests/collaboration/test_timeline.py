"""The activity timeline merges history, comments, files and what modules add, newest first; record
panels and notification kinds are registries modules fill."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from tessera.core import context
from tessera.core.models import AuditEntry, Comment, Sequence
from tessera.core.models.audit import AuditAction
from tessera.core.notifications import KINDS, event_label, kinds_for, register_kind
from tessera.core.services.attachments import attachment_add
from tessera.core.services.comments import comment_add
from tessera.core.timeline import PROVIDERS, TimelineItem, register_provider, timeline_for
from tessera.core.views.panels import PANELS, register_panel, render_panels

pytestmark = pytest.mark.django_db
T0 = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)


def at(minutes):
    return T0 + datetime.timedelta(minutes=minutes)


@pytest.fixture
def extra_provider():
    """A module's provider (as approvals registers one), removed after the test."""
    added = []

    def add(provider):
        register_provider(provider)
        added.append(provider)

    yield add
    for provider in added:
        PROVIDERS.remove(provider)


def test_history_comments_files_and_module_items_come_newest_first(company, boss, extra_provider):
    with context.acting(user=boss, channel="ui"):
        record = Sequence.objects.create(company=company, code="po", name="Purchase order", prefix="PO-")
        record.prefix = "PO-{fy}-"
        record.save()
    AuditEntry.objects.filter(object_id=str(record.pk), action=AuditAction.CREATE).update(at=at(0))
    AuditEntry.objects.filter(object_id=str(record.pk), action=AuditAction.UPDATE).update(at=at(10))
    comment = comment_add(actor=boss, record=record, body="With the quote", files=[SimpleUploadedFile("q.pdf",
                                                                                                     b"%PDF-1.4\n")])
    Comment.objects.filter(pk=comment.pk).update(created_at=at(20))
    loose = attachment_add(actor=boss, record=record, file=SimpleUploadedFile("terms.pdf", b"%PDF-1.4\n"))
    type(loose).objects.filter(pk=loose.pk).update(uploaded_at=at(30))
    extra_provider(lambda record, user: [TimelineItem(at=at(15), kind="approval", actor=None, title="Approved")])

    items = timeline_for(record, boss)

    assert [(item.kind, item.title) for item in items] == [
        ("attachment", "File attached: terms.pdf"),
        ("comment", "Comment"),
        ("approval", "Approved"),
        ("history", "Changed"),
        ("history", "Created"),
    ]
    assert items[1].files == (("q.pdf", f"/attachments/file/{comment.attachments.get().pk}/"),)
    assert items[1].actor_name == "boss"
    assert items[3].body.startswith("Prefix: PO- → PO-{fy}-")


def test_a_provider_that_fails_is_left_out(record, boss, extra_provider):
    extra_provider(lambda record, user: 1 / 0)

    assert [item.title for item in timeline_for(record, boss)] == ["Created"]


def test_panels_render_in_order_and_a_failing_one_is_left_out(record):
    def first(request, record):
        return "<div>first</div>"

    def nothing(request, record):
        return None

    def broken(request, record):
        raise RuntimeError("bug")

    for panel in (first, nothing, broken):
        register_panel(panel)
    register_panel(first)  # twice: once
    try:
        assert render_panels(RequestFactory().get("/"), record) == ["<div>first</div>"]
    finally:
        for panel in (first, nothing, broken):
            PANELS.remove(panel)


def test_fallback_kinds_only_answer_events_nobody_else_claims():
    register_kind("test.specific", event="core.attachment.*", label="Files", recipients=lambda event: [],
                  render=lambda event, user: ("", "", ""))
    try:
        assert [kind.name for kind in kinds_for("core.attachment.added")] == ["test.specific"]
        assert [kind.name for kind in kinds_for("accounting.invoice.posted")] == ["core.record.activity"]
        assert [kind.name for kind in kinds_for("core.comment.added")] == ["core.comment.mentioned",
                                                                          "core.comment.added"]
    finally:
        KINDS.pop("test.specific")


def test_event_labels_are_registered_or_made_readable():
    assert event_label("core.attachment.added") == "File attached"
    assert event_label("inventory.stock_count.posted") == "Stock count posted"
