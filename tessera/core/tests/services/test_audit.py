"""The audit trail and domain events: written in the change's transaction, with who, how and what."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from tessera.core import audit, context, events
from tessera.core.models import AuditEntry, Company, DomainEvent, Sequence
from tessera.core.tests.factories import CompanyFactory, UserFactory

User = get_user_model()


def _entries(instance):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(instance)), object_id=str(instance.pk)
    ).order_by("pk")


@pytest.mark.django_db
def test_a_create_records_the_new_values_the_user_and_the_channel(admin_user):
    with context.acting(user=admin_user, channel="api", request_id="r-1"):
        company = CompanyFactory(code="NEW", name="New Co")

    entry = _entries(company).get()
    assert (entry.action, entry.channel, entry.actor, entry.request_id) == ("create", "api", admin_user, "r-1")
    assert entry.changes["name"] == [None, "New Co"]
    assert entry.company == company


@pytest.mark.django_db
def test_an_update_records_only_the_changed_fields_old_and_new(company):
    company.name = "Renamed"
    company.save()

    entry = _entries(company).last()
    assert (entry.action, entry.changes) == ("update", {"name": ["Acme Trading", "Renamed"]})


@pytest.mark.django_db
def test_a_save_without_changes_writes_no_entry(company):
    before = _entries(company).count()

    company.save()

    assert _entries(company).count() == before


@pytest.mark.django_db
def test_a_delete_records_the_old_values(company):
    sequence = Sequence.objects.create(company=company, code="so", name="Orders", prefix="SO-")
    pk = sequence.pk

    sequence.delete()

    entry = AuditEntry.objects.filter(content_type__model="sequence", object_id=str(pk), action="delete").get()
    assert entry.changes["prefix"] == ["SO-", None]
    assert (entry.object_repr, entry.company) == ("ACME:so", company)


@pytest.mark.django_db
def test_a_rolled_back_change_leaves_no_entry():
    before = AuditEntry.objects.count()

    with pytest.raises(RuntimeError), transaction.atomic():
        CompanyFactory(code="TEMP")
        raise RuntimeError("abort")

    assert AuditEntry.objects.count() == before
    assert not Company.objects.filter(code="TEMP").exists()


@pytest.mark.django_db
def test_a_change_of_a_users_roles_is_recorded():
    user = UserFactory(username="lily")
    group = audit.Group.objects.get(role__code="auditor")

    user.groups.add(group)

    entry = _entries(user).last()
    assert (entry.action, entry.changes) == ("update", {"groups": {"added": [group.name]}})


@pytest.mark.django_db
def test_passwords_never_reach_the_trail():
    user = UserFactory(username="lily")
    user.set_password("Another-password-9")
    user.save()

    assert all("password" not in entry.changes for entry in _entries(user))


@pytest.mark.django_db
def test_a_transition_records_the_state_change(company):
    audit.record_transition(company, from_state="draft", to_state="confirmed")

    assert _entries(company).last().changes == {"state": ["draft", "confirmed"]}


@pytest.mark.django_db
def test_an_event_is_written_with_its_record_and_actor(admin_user, company):
    with context.acting(user=admin_user), transaction.atomic():
        events.emit("core.test.happened", company=company, obj=company, payload={"n": 1})

    event = DomainEvent.objects.get(name="core.test.happened")
    assert (event.company, event.object_id, event.payload, event.actor) == (company, str(company.pk), {"n": 1},
                                                                            admin_user)


@pytest.mark.django_db
def test_an_event_is_rolled_back_with_its_transaction(company):
    with pytest.raises(RuntimeError), transaction.atomic():
        events.emit("core.test.happened", company=company)
        raise RuntimeError("abort")

    assert not DomainEvent.objects.filter(name="core.test.happened").exists()


@pytest.mark.django_db(transaction=True)
def test_an_event_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        events.emit("core.test.happened")

    assert not DomainEvent.objects.exists()
