"""The `tessera` commands: demo, createadmin, serve."""

import io
import os

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

from tessera.core import demo
from tessera.core.models import (
    AuditEntry,
    Company,
    CompanyModule,
    DomainEvent,
    ExchangeRate,
    Role,
    Sequence,
    UserProfile,
)
from tessera.core.permissions import check
from tessera.core.tests.factories import CompanyFactory
from tessera.core.validators import is_valid_uscc

User = get_user_model()
COUNTED = (Company, CompanyModule, User, UserProfile, ExchangeRate, Sequence, AuditEntry, DomainEvent)


def _run(*args, **options) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.mark.django_db
def test_demo_builds_the_two_companies():
    _run("demo")

    cn, us = Company.objects.get(code="CN01"), Company.objects.get(code="US01")
    assert (cn.name, cn.base_currency.code, cn.country, cn.fiscal_year_start_month) == (
        "上海示例贸易有限公司", "CNY", "CN", 1)
    assert is_valid_uscc(cn.tax_id)
    assert (us.name, us.base_currency.code, us.country, us.fiscal_year_start_month) == (
        "Tessera Demo Inc.", "USD", "US", 1)
    assert CompanyModule.objects.filter(company=cn, is_active=True).count() == CompanyModule.objects.filter(
        company=us, is_active=True).count() >= 5


@pytest.mark.django_db
def test_demo_users_sign_in_with_the_printed_password_and_have_their_role():
    output = _run("demo")

    assert demo.DEMO_PASSWORD in output
    for username, role_code in demo.USERS.items():
        user = authenticate(username=username, password=demo.DEMO_PASSWORD)
        assert user is not None, username
        assert username in output
        assert list(user.groups.values_list("role__code", flat=True)) == [role_code]
        assert set(user.profile.companies.values_list("code", flat=True)) == {"CN01", "US01"}
        assert user.profile.default_company.code == "CN01"
        assert not user.is_superuser


@pytest.mark.django_db
def test_demo_sales_user_cannot_create_companies_but_the_admin_can():
    _run("demo")
    sales = User.objects.get(username="sales")

    assert not check(sales, "core.add_company")
    assert check(User.objects.get(username="admin"), "core.add_company", Company.objects.get(code="US01"))


@pytest.mark.django_db
def test_demo_has_rates_and_voucher_numbering():
    _run("demo")

    pairs = set(ExchangeRate.objects.values_list("currency__code", "quote_currency__code"))
    assert pairs == {("USD", "CNY"), ("EUR", "CNY"), ("EUR", "USD")}
    voucher = Sequence.objects.get(company__code="CN01", code="journal_entry")
    assert (voucher.prefix, voucher.padding, voucher.reset) == ("记-{year}{month}-", 4, "monthly")


@pytest.mark.django_db
def test_demo_changes_are_audited_as_command_line():
    _run("demo")

    entry = AuditEntry.objects.filter(content_type__model="company", action="create").first()
    assert (entry.channel, entry.actor_repr) == ("cli", "admin")


@pytest.mark.django_db
def test_running_the_demo_twice_changes_nothing():
    _run("demo")
    before = _counts()

    _run("demo")

    assert _counts() == before


@pytest.mark.django_db
def test_demo_runs_registered_builders_in_order(monkeypatch):
    calls = []
    monkeypatch.setattr(demo, "_BUILDERS", list(demo._BUILDERS))
    demo.register(lambda ctx: calls.append(("late", sorted(ctx.companies))), order=50)
    demo.register(lambda ctx: calls.append(("early", sorted(ctx.companies))), order=10)

    _run("demo")

    assert calls == [("early", ["CN01", "US01"]), ("late", ["CN01", "US01"])]


@pytest.mark.django_db
def test_createadmin_creates_an_administrator_of_every_company_with_a_generated_password():
    CompanyFactory(code="A1")
    CompanyFactory(code="B2")

    output = _run("createadmin", "--username", "boss")

    password = output.split("Login: boss / ")[1].split()[0]
    user = authenticate(username="boss", password=password)
    assert user is not None and not user.is_superuser
    assert list(user.groups.values_list("role__code", flat=True)) == ["administrator"]
    assert set(user.profile.companies.values_list("code", flat=True)) == {"A1", "B2"}


@pytest.mark.django_db
def test_createadmin_resets_the_password_of_an_existing_user():
    _run("createadmin", "--username", "boss", "--password", "First-password-1")

    output = _run("createadmin", "--username", "boss", "--password", "Second-password-2")

    assert "Reset administrator boss." in output
    assert authenticate(username="boss", password="Second-password-2") is not None
    assert User.objects.filter(username="boss").count() == 1


@pytest.mark.django_db
def test_createadmin_refuses_a_weak_password_and_creates_nothing():
    with pytest.raises(CommandError, match="too short"):
        _run("createadmin", "--username", "boss", "--password", "short")

    assert not User.objects.filter(username="boss").exists()


@pytest.mark.django_db
def test_createadmin_is_recorded_as_command_line():
    _run("createadmin", "--username", "boss", "--password", "First-password-1")

    entry = AuditEntry.objects.get(content_type__model="user", action="create", object_repr="boss")
    assert entry.channel == "cli"
    assert Role.objects.get(code="administrator").group.user_set.filter(username="boss").exists()


def test_serve_execs_gunicorn_with_the_options(monkeypatch, settings, tmp_path):
    from tessera.core.management.commands import serve

    calls = {}
    monkeypatch.setattr(serve.Command, "collect_static", lambda self: calls.setdefault("collected", True))
    monkeypatch.setattr(serve.os, "execv", lambda path, argv: calls.setdefault("argv", argv))
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "prom"))

    output = _run("serve", "--port", "8123", "--workers", "3")

    argv = calls["argv"]
    assert argv[1:4] == ["-m", "gunicorn", "tessera.wsgi:application"]
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:8123"
    assert argv[argv.index("--workers") + 1] == "3"
    assert calls["collected"] is True
    assert "http://127.0.0.1:8123/" in output
    assert os.environ["PROMETHEUS_MULTIPROC_DIR"] == str(tmp_path / "prom")


def test_serve_collects_static_files_only_when_they_changed(monkeypatch, settings, tmp_path):
    from tessera.core.management.commands import serve

    settings.STATIC_ROOT = tmp_path / "static"
    collected = []
    monkeypatch.setattr(serve, "call_command", lambda *args, **kwargs: (
        collected.append(args), settings.STATIC_ROOT.mkdir(exist_ok=True)))
    fingerprints = iter(["one", "one", "two"])
    monkeypatch.setattr(serve, "static_fingerprint", lambda: next(fingerprints))
    command = serve.Command(stdout=io.StringIO())

    command.collect_static()
    command.collect_static()
    command.collect_static()

    assert collected == [("collectstatic",), ("collectstatic",)]
