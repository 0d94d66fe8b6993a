"""Structured logs: one JSON object per line, with the request id and user when there is one.

Fields passed with `extra=` are added to the object. Django's own request logs (`django.request`,
emitted after the middleware has finished) carry the request: its id is taken from there.
"""

import json
import logging

from . import context

# Attributes every LogRecord has: everything else on a record came from `extra=`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        acting = context.current()
        data = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        request_id = acting.request_id or getattr(request, "request_id", "")
        if request_id:
            data["request_id"] = request_id
        user = acting.user if getattr(acting.user, "is_authenticated", False) else getattr(request, "user", None)
        if getattr(user, "is_authenticated", False):
            data["user"] = user.get_username()
        if request is not None and hasattr(request, "path"):
            data.setdefault("path", request.path)
            data.setdefault("method", request.method)
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                data[key] = value
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)
