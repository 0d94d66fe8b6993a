"""Background jobs in eager mode: success with a result, failure with the error, progress, run once."""

import csv
from pathlib import Path

import pytest
from django.db import transaction
from django.db.models import Q

from tessera.core.errors import PermissionDenied, ValidationFailed
from tessera.core.models import AuditEntry, DomainEvent, Job
from tessera.core.services.jobs import job_enqueue, job_run
from tessera.core.tasks import job_task

SEEN_PROGRESS = []


@job_task("tests.fails", permission="core.view_job")
def _fails(job, progress):
    raise RuntimeError("disk full")


@job_task("tests.reports_progress", permission="core.view_job")
def _reports_progress(job, progress):
    progress(40, "Half way")
    SEEN_PROGRESS.append(Job.objects.values_list("progress", "message").get(pk=job.pk))
    return {"done": True}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _enqueue(capture, **kwargs):
    with capture(execute=True):
        job = job_enqueue(**kwargs)
    job.refresh_from_db()
    return job


def test_export_audit_job_writes_the_trail_to_a_csv_file(admin_user, company, django_capture_on_commit_callbacks):
    job = _enqueue(django_capture_on_commit_callbacks, actor=admin_user, kind="core.export_audit",
                   params={"format": "csv"}, company=company)

    assert (job.state, job.progress, job.error) == ("succeeded", 100, "")
    with open(job.result["path"], encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:4] == ["At", "User", "Channel", "Action"]
    expected = AuditEntry.objects.filter(Q(company=company) | Q(company=None)).count()
    assert len(rows) - 1 == job.result["rows"] == expected
    assert any(row[4] == "core.Company" and row[3] == "create" for row in rows[1:])


def test_export_audit_job_writes_xlsx(admin_user, company, django_capture_on_commit_callbacks):
    job = _enqueue(django_capture_on_commit_callbacks, actor=admin_user, kind="core.export_audit",
                   params={"format": "xlsx"}, company=company)

    assert job.state == "succeeded"
    assert Path(job.result["path"]).read_bytes()[:2] == b"PK"  # a zip: the XLSX container


def test_a_failing_job_is_marked_failed_with_the_error(admin_user, company, django_capture_on_commit_callbacks):
    job = _enqueue(django_capture_on_commit_callbacks, actor=admin_user, kind="tests.fails", company=company)

    assert job.state == "failed"
    assert job.error == "RuntimeError: disk full"
    assert job.finished_at is not None
    assert DomainEvent.objects.filter(name="core.job.failed", object_id=str(job.pk)).exists()


def test_a_domain_error_in_a_job_is_stored_as_its_message(admin_user, company, django_capture_on_commit_callbacks):
    job = _enqueue(django_capture_on_commit_callbacks, actor=admin_user, kind="core.export_audit",
                   params={"format": "pdf"}, company=company)

    assert job.state == "failed"
    assert job.error == "Some fields are not valid."


def test_progress_is_visible_while_the_job_runs(admin_user, company, django_capture_on_commit_callbacks):
    SEEN_PROGRESS.clear()

    job = _enqueue(django_capture_on_commit_callbacks, actor=admin_user, kind="tests.reports_progress",
                   company=company)

    assert SEEN_PROGRESS == [(40, "Half way")]
    assert (job.state, job.progress, job.result) == ("succeeded", 100, {"done": True})


def test_a_finished_job_is_not_run_again(admin_user, company, django_capture_on_commit_callbacks):
    job = _enqueue(django_capture_on_commit_callbacks, actor=admin_user, kind="tests.reports_progress",
                   company=company)
    SEEN_PROGRESS.clear()

    assert job_run(job_id=job.pk) is None
    assert SEEN_PROGRESS == []


def test_the_job_is_sent_only_when_the_transaction_commits(admin_user, company, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = job_enqueue(actor=admin_user, kind="tests.reports_progress", company=company)

    assert len(callbacks) == 1
    assert Job.objects.get(pk=job.pk).state == "queued"


def test_a_rolled_back_enqueue_leaves_no_job(admin_user, company, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            job_enqueue(actor=admin_user, kind="tests.reports_progress", company=company)
            raise RuntimeError("abort")

    assert callbacks == []
    assert not Job.objects.exists()


def test_unknown_kind_is_refused(admin_user, company):
    with pytest.raises(ValidationFailed) as raised:
        job_enqueue(actor=admin_user, kind="core.nothing", company=company)

    assert raised.value.fields == {"kind": ["Unknown job kind: core.nothing."]}
    assert not Job.objects.exists()


def test_enqueue_needs_the_kinds_permission(make_user, company):
    salesperson = make_user("salesperson")

    with pytest.raises(PermissionDenied) as raised:
        job_enqueue(actor=salesperson, kind="core.export_audit", company=company)

    assert "core.view_auditentry" in str(raised.value)
    assert not Job.objects.exists()
