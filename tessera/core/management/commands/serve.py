"""`tessera serve`: serve Tessera with gunicorn (collecting static files first when they changed).

`--dev` uses Django's development server instead (auto-reload, not for production).
"""

import hashlib
import os
import shutil
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


def default_workers() -> int:
    return int(os.environ.get("WEB_CONCURRENCY") or min(2 * (os.cpu_count() or 1) + 1, 8))


def static_fingerprint() -> str:
    """A digest of every static source file's path, size and time: it changes when one does."""
    digest = hashlib.sha256()
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


class Command(BaseCommand):
    help = _("Serve Tessera with gunicorn on 127.0.0.1:8000 (or Django's development server with --dev).")
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=default_workers(), help=_("gunicorn worker processes"))
        parser.add_argument("--dev", action="store_true", help=_("use Django's development server (auto-reload)"))

    def handle(self, *args, **options):
        host, port = options["host"], options["port"]
        self.check(display_num_errors=False)
        url = f"http://{'127.0.0.1' if host in {'0.0.0.0', '::'} else host}:{port}/"
        if options["dev"]:
            self.stdout.write(_("Tessera (development server) at %(url)s") % {"url": url})
            call_command("runserver", f"{host}:{port}")
            return
        self.collect_static()
        self.stdout.write(
            self.style.SUCCESS(_("Tessera at %(url)s (gunicorn, %(workers)s workers)")
                               % {"url": url, "workers": options["workers"]})
        )
        if getattr(settings, "SECURE_SSL_REDIRECT", False):
            self.stdout.write(_("Note: SECURE_SSL_REDIRECT is on; plain HTTP requests are redirected to HTTPS. "
                                "Set SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 to use it without TLS."))
        self.stdout.flush()
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = self.metrics_dir()
        arguments = [
            sys.executable, "-m", "gunicorn", "tessera.wsgi:application",
            "--config", "python:tessera.core.gunicorn_conf",
            "--bind", f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
            "--workers", str(options["workers"]),
        ]
        os.execv(sys.executable, arguments)  # gunicorn takes over this process (and its signals)

    def collect_static(self) -> None:
        root = Path(settings.STATIC_ROOT)
        marker = root / ".tessera-static-fingerprint"
        fingerprint = static_fingerprint()
        if marker.exists() and marker.read_text() == fingerprint:
            return
        self.stdout.write(_("Collecting static files into %(root)s ...") % {"root": root})
        call_command("collectstatic", interactive=False, verbosity=0)
        marker.write_text(fingerprint)

    def metrics_dir(self) -> str:
        # Fresh per start: prometheus_client's multi-process files from an earlier run would be summed.
        path = Path(os.environ.get("PROMETHEUS_MULTIPROC_DIR") or Path(settings.DATA_DIR) / "prometheus")
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True, exist_ok=True)
        return str(path)
