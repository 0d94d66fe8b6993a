"""Request context (who, which company, which channel) and Prometheus metrics per view."""

import logging
import re
import time
import uuid

from django.db import connections
from django.urls import resolve
from django.urls.exceptions import Resolver404

from . import context, metrics

access_log = logging.getLogger("tessera.request")
# A request id from a proxy is kept only if it is short and plain (it is stored with audit entries).
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,36}$")


def request_id_of(request) -> str:
    sent = request.headers.get("X-Request-ID", "")
    return sent if REQUEST_ID.match(sent) else uuid.uuid4().hex


class RequestContextMiddleware:
    """Set the acting context for the web UI: user, channel `ui`, the session's company."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .errors import PermissionDenied
        from .selectors import company_resolve

        request.request_id = request_id_of(request)
        company = None
        user = request.user
        if user.is_authenticated:
            try:
                company = company_resolve(user, request.session.get("company_code"))
            except PermissionDenied:
                request.session.pop("company_code", None)
                company = company_resolve(user, None)
        request.company = company
        started = time.perf_counter()
        with context.acting(user=user, channel="ui", company=company, request_id=request.request_id):
            response = self.get_response(request)
            # Inside the acting context, so the line carries the request id (and the API token's user).
            access_log.info(
                "%s %s %s", request.method, request.path, response.status_code,
                extra={"method": request.method, "path": request.path, "status": response.status_code,
                       "duration_ms": round((time.perf_counter() - started) * 1000, 1)},
            )
        response["X-Request-ID"] = request.request_id
        return response


class MetricsMiddleware:
    """Count requests, time them and count their database queries, labelled by view name."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = {"queries": 0}

        def count(execute, sql, params, many, context_):
            counter["queries"] += 1
            return execute(sql, params, many, context_)

        started = time.perf_counter()
        wrappers = [connection.execute_wrapper(count) for connection in connections.all()]
        for wrapper in wrappers:
            wrapper.__enter__()
        try:
            response = self.get_response(request)
        finally:
            for wrapper in reversed(wrappers):
                wrapper.__exit__(None, None, None)
        match = getattr(request, "resolver_match", None)  # set by Django once the URL resolved
        if match is None:
            try:
                match = resolve(request.path_info)
            except Resolver404:
                match = None
        # Labelled by URL name, never by path: paths with ids would make a label per record.
        view = (match.view_name or "unknown") if match is not None else "<unresolved>"
        metrics.observe_request(
            view=view, method=request.method, status=response.status_code,
            seconds=time.perf_counter() - started, queries=counter["queries"],
        )
        return response
