"""The Simplified Chinese catalog: complete for the current code, fully translated, compiled, and used."""

import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

import tessera

PACKAGE_DIR = Path(tessera.__file__).resolve().parent
CATALOG_DIR = PACKAGE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES"
PO_PATH = CATALOG_DIR / "django.po"
MO_PATH = CATALOG_DIR / "django.mo"
# What makemessages must not read: tests, the catalogs themselves, static files, runtime data.
NOT_SCANNED = ("tests", "locale", "static", "data", "__pycache__", "*.pyc", "conftest.py")


def live_entries(catalog) -> list:
    return [entry for entry in catalog if not entry.obsolete and entry.msgid]


def translation_of(entry):
    return tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)) if entry.msgid_plural \
        else entry.msgstr


def keys(catalog) -> set[tuple[str | None, str]]:
    return {(entry.msgctxt, entry.msgid) for entry in live_entries(catalog)}


@pytest.fixture(scope="module")
def po():
    return polib.pofile(str(PO_PATH))


def test_every_entry_is_translated(po):
    untranslated = [entry.msgid for entry in live_entries(po) if not entry.translated()]
    assert untranslated == []


def test_no_entry_is_fuzzy(po):
    assert [entry.msgid for entry in live_entries(po) if "fuzzy" in entry.flags] == []


def test_the_compiled_catalog_matches_the_po_file(po):
    mo = polib.mofile(str(MO_PATH))
    compiled = {(entry.msgctxt, entry.msgid): translation_of(entry) for entry in live_entries(mo)}
    source = {(entry.msgctxt, entry.msgid): translation_of(entry) for entry in live_entries(po)}
    assert compiled == source


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (xgettext) to extract messages")
def test_the_catalog_has_every_message_of_the_code(po, tmp_path, monkeypatch, settings):
    # makemessages writes into LOCALE_PATHS: point it at a copy of the package so the real catalog is untouched.
    copy = tmp_path / "tessera"
    shutil.copytree(PACKAGE_DIR, copy, ignore=shutil.ignore_patterns(*NOT_SCANNED))
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["zh_Hans"], verbosity=0)

    extracted = polib.pofile(str(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    missing = sorted(msgid for _context, msgid in keys(extracted) - keys(po))
    assert missing == [], (
        "Messages missing from tessera/locale/zh_Hans/LC_MESSAGES/django.po: run makemessages, translate "
        "them and compilemessages:\n" + "\n".join(missing)
    )


@pytest.mark.django_db
def test_the_shell_is_in_chinese_for_a_chinese_reader(admin_user):
    client = Client()
    client.force_login(admin_user, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    with translation.override(settings.LANGUAGE_CODE):  # the request activates Chinese; put English back after
        page = client.get(reverse("home")).content.decode()

    assert '<html lang="zh-hans">' in page
    for chinese in ("首页", "系统设置", "公司", "权限矩阵", "审计日志", "后台任务", "修改密码", "退出登录", "主菜单"):
        assert chinese in page, chinese
    for english in ("Companies", "Permission matrix", "Audit trail", "Background jobs", "Change password",
                    "Sign out", "Main menu", ">Home<", "Welcome"):
        assert english not in page, english
