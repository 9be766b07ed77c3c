"""/healthz, /readyz and /metrics. Served by ops.middleware.OpsMiddleware before the page cache,
sessions and the URL resolver, so a probe costs no stamp read, no session and (for /healthz) no
database; never page-cached (no page cache group, and `Cache-Control: no-store`).

The public sees only "ok" or "unavailable". The checks' details (which may name hosts) and the
metrics are for the addresses in OPS_ADDRESSES, judged by core.http.client_ip: a forged
X-Forwarded-For from outside our proxies cannot get in.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, JsonResponse

from core.http import client_ip, parse_ip

from . import health, metrics

__all__ = ["healthz", "may_see_details", "metrics_view", "readyz"]


@lru_cache(maxsize=4)
def _networks(entries: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    try:
        return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)
    except ValueError as error:
        raise ImproperlyConfigured(f"OPS_ADDRESSES: {error}") from error


def may_see_details(request: HttpRequest) -> bool:
    """Whether the client (core.http.client_ip) is one of OPS_ADDRESSES (IPs or CIDRs)."""
    address = parse_ip(client_ip(request))
    if address is None:
        return False
    return any(
        address.version == network.version and address in network
        for network in _networks(tuple(settings.OPS_ADDRESSES))
    )


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: this process answers. No database, no cache: cheap enough for every second."""
    return _no_store(JsonResponse({"status": "ok"}))


def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: 200 when every check of ops.health passes, else 503 (take this server out)."""
    results = health.run_checks()
    ok = health.ready(results)
    body: dict = {"status": "ok" if ok else "unavailable"}
    if may_see_details(request):
        body["checks"] = {result.name: {"ok": result.ok, "detail": result.detail} for result in results}
    response = JsonResponse(body, status=200 if ok else 503)
    # A 503 here is an answer, not a server error: probed every second, it must not flood the log
    # (django.request logs every 5xx not marked so).
    response._has_been_logged = True
    return _no_store(response)


def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus text format, for OPS_ADDRESSES only (403 for anyone else)."""
    if not may_see_details(request):
        return _no_store(JsonResponse({"status": "forbidden"}, status=403))
    body, content_type = metrics.exposition()
    return _no_store(HttpResponse(body, content_type=content_type))
