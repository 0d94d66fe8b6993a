"""Who is acting, through which channel and in which company: set per request or per command.

Services and the audit trail read it; the web middleware, the API authentication and management
commands set it.
"""

import contextlib
import contextvars
import uuid
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class ActingContext:
    user: object = None
    channel: str = "system"
    api_token: object = None
    company: object = None
    request_id: str = field(default_factory=lambda: "")


_current: contextvars.ContextVar[ActingContext] = contextvars.ContextVar("tessera_acting", default=ActingContext())  # noqa: B039 (frozen)


def current() -> ActingContext:
    return _current.get()


def update(**changes) -> None:
    """Change parts of the current context (the API authentication sets channel and token)."""
    _current.set(replace(_current.get(), **changes))


@contextlib.contextmanager
def acting(**values):
    """Run a block as someone: `with acting(user=u, channel="cli"): ...`."""
    values.setdefault("request_id", uuid.uuid4().hex)
    token = _current.set(ActingContext(**values))
    try:
        yield current()
    finally:
        _current.reset(token)
