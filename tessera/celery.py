"""Celery application. With no broker configured, tasks run eagerly in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tessera.settings")

app = Celery("tessera")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Workers log through Django's LOGGING (JSON lines) rather than Celery's own handlers.
app.conf.worker_hijack_root_logger = False
app.autodiscover_tasks()
