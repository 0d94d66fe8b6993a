"""Comments with @mentions and files, followers, and who is told of what."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from tessera.core import audit, context
from tessera.core.errors import PermissionDenied, ValidationFailed
from tessera.core.models import Attachment, Comment, DomainEvent, Follower, Notification, Sequence
from tessera.core.services.attachments import attachment_add
from tessera.core.services.comments import (
    comment_add,
    follower_add,
    follower_remove,
    followers_of,
    is_following,
    mention_candidates,
    mentions_parse,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def pdf(name="quote.pdf"):
    return SimpleUploadedFile(name, PDF)


def told(kind=None):
    rows = Notification.objects.order_by("user__username")
    if kind:
        rows = rows.filter(kind=kind)
    return [(n.user.username, n.kind) for n in rows]


@pytest.fixture
def created_by_boss(company, boss):
    """A record created through a service by `boss`: its audit trail names them as creator."""
    with context.acting(user=boss, channel="ui"):
        record = Sequence.objects.create(company=company, code="purchase_order", name="Purchase order", prefix="PO-")
    assert audit.is_registered(Sequence)
    return record


@pytest.mark.parametrize(("body", "names"), [
    ("Please check, @mei.", ["mei"]),
    ("@mei and @boss: see @mei again", ["mei", "boss"]),
    ("mail mei@example.com is not a mention", []),
    ("(@sam)", ["sam"]),
    ("no one", []),
])
def test_mentions_are_the_usernames_after_an_at_sign(body, names):
    assert mentions_parse(body) == names


def test_a_comment_is_kept_with_its_author_and_mentions(record, boss, manager, outsider):
    comment = comment_add(actor=boss, record=record, body="@Mei please look; @sam too; @nobody")

    assert comment.author == boss
    assert comment.company == record.company
    assert list(comment.mentions.all()) == [manager]  # sam may not see numbering, nobody does not exist
    event = DomainEvent.objects.get(name="core.comment.added")
    assert event.payload["mentions"] == [manager.pk]
    assert (event.object_id, event.payload["author"]) == (str(record.pk), boss.pk)


def test_the_mentioned_user_is_told_by_e_mail_and_in_tessera(record, boss, manager, dispatch):
    comment_add(actor=boss, record=record, body="@mei please check the prefix")

    dispatch()

    notification = Notification.objects.get()
    assert (notification.user, notification.kind) == (manager, "core.comment.mentioned")
    assert notification.title == "boss mentioned you on Sequence ACME:sales_order"
    assert notification.body == "@mei please check the prefix"
    assert notification.url == f"/settings/numbering/{record.pk}/"
    assert [message.to for message in mail.outbox] == [["mei@example.com"]]


def test_followers_are_told_of_a_comment_but_not_its_author(record, boss, manager, make_user, dispatch):
    auditor = make_user("auditor", username="audrey")
    follower_add(actor=auditor, record=record)
    comment_add(actor=manager, record=record, body="Prefix changes next year")  # mei now follows too
    dispatch()

    comment_add(actor=boss, record=record, body="Agreed")
    dispatch()

    assert told() == [("audrey", "core.comment.added"), ("audrey", "core.comment.added"),
                      ("mei", "core.comment.added")]
    assert mail.outbox == []  # comments on followed records: in Tessera only, by default


def test_a_mentioned_follower_is_told_once_as_mentioned(record, boss, manager, dispatch):
    follower_add(actor=manager, record=record)

    comment_add(actor=boss, record=record, body="@mei over to you")
    dispatch()

    assert told() == [("mei", "core.comment.mentioned")]


def test_the_creator_follows_without_a_row_and_may_stop(created_by_boss, boss, manager):
    assert followers_of(created_by_boss) == [boss]
    assert is_following(boss, created_by_boss)

    follower_remove(actor=boss, record=created_by_boss)

    assert followers_of(created_by_boss) == []
    assert not is_following(boss, created_by_boss)
    assert Follower.objects.get(user=boss).is_active is False


def test_commenting_makes_the_author_follow_again(record, manager):
    follower_remove(actor=manager, record=record)

    comment_add(actor=manager, record=record, body="Back on it")

    assert followers_of(record) == [manager]


def test_state_changes_and_files_reach_the_followers(created_by_boss, manager, emit, dispatch):
    emit("core.sequence.reset", created_by_boss, actor=manager)  # e.g. a transition a service announces

    dispatch()

    notification = Notification.objects.get()
    assert (notification.user.username, notification.kind) == ("boss", "core.record.activity")
    assert notification.title == "Sequence ACME:purchase_order: Sequence reset"
    assert notification.body == "By Mei Lin"


def test_a_file_sent_with_a_comment_is_told_once(record, boss, manager, dispatch):
    follower_add(actor=manager, record=record)

    comment_add(actor=boss, record=record, body="The signed copy", files=[pdf()])
    dispatch()

    assert told() == [("mei", "core.comment.added")]
    assert Notification.objects.get().body == "The signed copy\nFiles: quote.pdf"


def test_a_file_attached_on_its_own_is_activity_for_followers(record, boss, manager, dispatch):
    follower_add(actor=manager, record=record)

    attachment_add(actor=boss, record=record, file=pdf())
    dispatch()

    assert told() == [("mei", "core.record.activity")]
    assert Notification.objects.get().title == "Sequence ACME:sales_order: File attached"


def test_files_of_a_comment_become_attachments_of_the_record(record, boss):
    comment = comment_add(actor=boss, record=record, body="", files=[pdf("a.pdf"), pdf("b.pdf")])

    assert [a.filename for a in comment.attachments.order_by("pk")] == ["a.pdf", "b.pdf"]
    assert {a.object_id for a in Attachment.objects.all()} == {str(record.pk)}


def test_files_need_the_change_permission_and_nothing_is_written_without_it(record, manager):
    with pytest.raises(PermissionDenied):
        comment_add(actor=manager, record=record, body="See file", files=[pdf()])

    assert (Comment.objects.count(), Attachment.objects.count()) == (0, 0)


def test_a_refused_file_writes_nothing(record, boss):
    with pytest.raises(ValidationFailed) as refused:
        comment_add(actor=boss, record=record, body="Two files", files=[pdf(), SimpleUploadedFile("x.exe", b"MZ")])

    assert "file" in refused.value.fields
    assert (Comment.objects.count(), Attachment.objects.count(), DomainEvent.objects.count()) == (0, 0, 0)


def test_an_empty_or_too_long_comment_is_refused(record, manager):
    with pytest.raises(ValidationFailed) as empty:
        comment_add(actor=manager, record=record, body="   ")
    with pytest.raises(ValidationFailed) as long:
        comment_add(actor=manager, record=record, body="x" * 10001)

    assert set(empty.value.fields) == set(long.value.fields) == {"body"}
    assert Comment.objects.count() == 0


def test_who_may_not_see_the_record_may_not_comment_or_follow(record, outsider):
    with pytest.raises(PermissionDenied):
        comment_add(actor=outsider, record=record, body="Hello")
    with pytest.raises(PermissionDenied):
        follower_add(actor=outsider, record=record)

    assert (Comment.objects.count(), Follower.objects.count()) == (0, 0)


def test_making_someone_else_follow_needs_the_change_permission(record, boss, manager, outsider):
    with pytest.raises(PermissionDenied):
        follower_add(actor=manager, record=record, user=boss)
    with pytest.raises(ValidationFailed):
        follower_add(actor=boss, record=record, user=outsider)  # sam could not see it

    follower_add(actor=boss, record=record, user=manager)

    assert followers_of(record) == [manager]


def test_mention_candidates_are_the_people_who_can_see_the_record(record, boss, manager, outsider):
    assert [user.username for user in mention_candidates(user=boss, record=record)] == ["boss", "mei"]
    assert [user.username for user in mention_candidates(user=boss, record=record, term="Me")] == ["mei"]
    assert [user.username for user in mention_candidates(user=boss, record=record, term="li")] == ["mei"]
