"""Editing and deleting comments: the author edits their own (shown "edited", new mentions told), the
author or an administrator deletes one (a "comment deleted" tombstone stays in the timeline); services
and the Activity pane's inline edit and delete (htmx)."""

import pytest
from django.test import Client
from django.urls import reverse

from tessera.core import context
from tessera.core.errors import InvalidState, NotFound, PermissionDenied, ValidationFailed
from tessera.core.models import Comment, DomainEvent, Notification, Sequence
from tessera.core.services.comments import comment_add, comment_delete, comment_update
from tessera.core.timeline import timeline_for

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def said(record, manager):
    with context.acting(user=manager, channel="ui"):
        return comment_add(actor=manager, record=record, body="Prefix looks wrong")


@pytest.fixture
def client_for():
    def make(user):
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


@pytest.fixture
def mei_web(client_for, manager):
    return client_for(manager)


def comment_item(record, user):
    return next(item for item in timeline_for(record, user) if item.kind == "comment")


# --- Services ---------------------------------------------------------------------------------------


def test_the_author_edits_their_comment_and_it_shows_edited(said, record, manager):
    edited = comment_update(actor=manager, comment=said, body="  Prefix is right after all  ")

    said.refresh_from_db()
    assert (said.body, said.edited_at is not None, edited.edited_at == said.edited_at) == (
        "Prefix is right after all", True, True)
    item = comment_item(record, manager)
    assert (item.body, item.edited, item.can_edit, item.can_delete, item.comment) == (
        "Prefix is right after all", True, True, True, said.pk)
    assert DomainEvent.objects.filter(name="core.comment.edited").count() == 1


def test_an_edit_tells_only_the_newly_mentioned(said, manager, boss, dispatch, make_user):
    make_user("accounting_manager", username="ann")
    comment_update(actor=manager, comment=said, body="@boss please look")
    dispatch()
    comment_update(actor=manager, comment=said, body="@boss please look, and @ann")
    dispatch()

    told = sorted(Notification.objects.values_list("user__username", "kind"))
    assert told == [("ann", "core.comment.mentioned"), ("boss", "core.comment.mentioned")]
    assert sorted(said.mentions.values_list("username", flat=True)) == ["ann", "boss"]


def test_the_same_text_is_no_edit(said, manager):
    comment_update(actor=manager, comment=said, body="Prefix looks wrong")

    said.refresh_from_db()
    assert said.edited_at is None
    assert not DomainEvent.objects.filter(name="core.comment.edited").exists()


@pytest.mark.parametrize("who", ["boss", "outsider"])
def test_nobody_else_edits_a_comment(said, request, who):
    with pytest.raises(PermissionDenied):
        comment_update(actor=request.getfixturevalue(who), comment=said, body="Mine now")

    said.refresh_from_db()
    assert (said.body, said.edited_at) == ("Prefix looks wrong", None)


def test_an_empty_edit_is_refused(said, manager):
    with pytest.raises(ValidationFailed) as error:
        comment_update(actor=manager, comment=said, body="   ")

    assert list(error.value.fields) == ["body"]
    said.refresh_from_db()
    assert said.body == "Prefix looks wrong"


def test_the_author_deletes_and_a_tombstone_stays(said, record, manager, boss, dispatch):
    comment_delete(actor=manager, comment=said)
    dispatch()

    said.refresh_from_db()
    assert (said.body, said.is_deleted, said.deleted_by) == ("", True, manager)
    assert Comment.objects.filter(pk=said.pk).exists()
    item = comment_item(record, boss)
    assert (item.deleted, item.title, item.body, item.can_edit, item.can_delete) == (
        True, "Comment deleted", "Comment deleted by Mei Lin", False, False)
    assert not Notification.objects.exists()  # a deletion tells nobody
    with pytest.raises(InvalidState):
        comment_delete(actor=manager, comment=said)
    with pytest.raises(InvalidState):
        comment_update(actor=manager, comment=said, body="Back")


def test_an_administrator_deletes_anyones_comment(said, boss, record):
    assert comment_item(record, boss).can_delete and not comment_item(record, boss).can_edit

    comment_delete(actor=boss, comment=said)

    said.refresh_from_db()
    assert (said.is_deleted, said.deleted_by) == (True, boss)


def test_another_user_may_not_delete(said, make_user):
    reader = make_user("accounting_manager", username="reader")

    with pytest.raises(PermissionDenied):
        comment_delete(actor=reader, comment=said)

    said.refresh_from_db()
    assert (said.body, said.deleted_at) == ("Prefix looks wrong", None)


def test_a_comment_of_a_record_that_is_gone_no_longer_changes(said, manager, record):
    Sequence.objects.filter(pk=record.pk).delete()

    with pytest.raises(NotFound):
        comment_update(actor=manager, comment=said, body="Too late")
    with pytest.raises(NotFound):
        comment_delete(actor=manager, comment=said)


# --- The Activity pane ---------------------------------------------------------------------------------


def urls(record_type, record, comment):
    base = reverse("core:activity_pane", args=[record_type, record.pk])
    return f"{base}comments/{comment.pk}/edit/", f"{base}comments/{comment.pk}/delete/"


def test_the_pane_offers_edit_and_delete_to_the_author_only(said, record, record_type, mei_web, client_for,
                                                            make_user):
    edit, delete = urls(record_type, record, said)
    reader = client_for(make_user("accounting_manager", username="reader"))

    mine = mei_web.get(reverse("core:activity_pane", args=[record_type, record.pk]), **HTMX).content.decode()
    theirs = reader.get(reverse("core:activity_pane", args=[record_type, record.pk]), **HTMX).content.decode()

    assert f'hx-get="{edit}"' in mine and f'hx-post="{delete}"' in mine
    assert edit not in theirs and delete not in theirs


def test_inline_edit_then_save(said, record, record_type, mei_web):
    edit, _delete = urls(record_type, record, said)

    form = mei_web.get(edit, **HTMX)
    saved = mei_web.post(edit, {"body": "Prefix is fine"}, **HTMX)

    assert form.status_code == 200
    assert 'data-testid="comment-edit-form"' in form.content.decode()
    assert ">Prefix looks wrong</textarea>" in form.content.decode()
    html = saved.content.decode()
    assert saved.status_code == 200
    assert "Prefix is fine" in html and 'data-testid="comment-edited"' in html
    assert 'data-testid="comment-edit-form"' not in html


def test_an_empty_inline_edit_keeps_the_form_with_the_error(said, record, record_type, mei_web):
    edit, _delete = urls(record_type, record, said)

    response = mei_web.post(edit, {"body": ""}, **HTMX)

    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="comment-edit-form"' in html and "Write a comment or attach a file." in html
    said.refresh_from_db()
    assert said.body == "Prefix looks wrong"


def test_someone_else_gets_no_edit_form(said, record, record_type, client_for, boss):
    edit, _delete = urls(record_type, record, said)

    response = client_for(boss).get(edit, **HTMX)
    posted = client_for(boss).post(edit, {"body": "Hijacked"}, **HTMX)

    assert (response.status_code, posted.status_code) == (403, 403)
    assert 'data-testid="comment-edit-form"' not in response.content.decode()
    said.refresh_from_db()
    assert said.body == "Prefix looks wrong"


def test_inline_delete_leaves_the_tombstone(said, record, record_type, client_for, boss):
    _edit, delete = urls(record_type, record, said)

    response = client_for(boss).post(delete, **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="comment-deleted"' in html and "Comment deleted by boss" in html
    assert "Prefix looks wrong" not in html


def test_a_comment_of_another_record_is_not_found(said, record_type, mei_web, company):
    other = Sequence.objects.create(company=company, code="other", name="Other", prefix="O-")
    edit, delete = urls(record_type, other, said)

    assert mei_web.get(edit, **HTMX).status_code == 404
    assert mei_web.post(delete, **HTMX).status_code == 404
    assert Comment.objects.get(pk=said.pk).deleted_at is None
