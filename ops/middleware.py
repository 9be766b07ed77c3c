"""Answers the operations endpoints, and times every other request by view.

Placed right after SecurityMiddleware (so HTTPS headers apply and SECURE_REDIRECT_EXEMPT spares a
load balancer's plain-HTTP probe) and before the page cache: /healthz then costs no stamp read and
no database, and page-cache hits are timed too (their view is "page cache": the resolver never ran).
"""

import functools
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import counters, views

__all__ = ["ENDPOINTS", "OpsMiddleware", "view_label"]

# Any other method is counted as "other": a client may send any word, a label must stay bounded.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
ENDPOINTS: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/healthz": views.healthz,
    "/readyz": views.readyz,
    "/metrics": views.metrics_view,
}


def view_label(request: HttpRequest, response: HttpResponse) -> str:
    """The view a request went to, by URL name (bounded: never the path)."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or match._func_path
    if response.get("X-Page-Cache") in ("hit", "stale"):
        return "page cache"
    return "unmatched"


class OpsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        endpoint = ENDPOINTS.get(request.path_info)
        if endpoint is not None:
            return endpoint(request)
        started = time.perf_counter()
        response = self.get_response(request)
        view = view_label(request, response)
        method = request.method if request.method in METHODS else "other"
        requests, seconds = _children(view, method, response.status_code)
        requests.inc()
        seconds.observe(time.perf_counter() - started)
        return response


@functools.cache
def _children(view: str, method: str, status: int) -> tuple:
    """The counter and histogram children of one label set, looked up once (every label is
    bounded: URL names, METHODS, status codes), so a page-cache hit pays for no label lookup."""
    return counters.REQUESTS.labels(view, method, str(status)), counters.REQUEST_SECONDS.labels(view)
