"""Structured logs: one JSON object per line, with the request id and user when there is one."""

import json
import logging

from . import context


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        acting = context.current()
        data = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if acting.request_id:
            data["request_id"] = acting.request_id
        user = acting.user
        if getattr(user, "is_authenticated", False):
            data["user"] = user.get_username()
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)
