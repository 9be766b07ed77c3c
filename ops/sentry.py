"""Optional error reports to Sentry (SENTRY_DSN), with no personal data in them.

Readers here are often patients: no comment text, email, name or address may leave for a third
party. Two layers: sentry-sdk is told not to collect any (`data_collection`: no user, cookies,
query strings, request bodies, nor local variables of frames, where a comment's text would sit),
and `scrub` (before_send) then removes the user, the request's cookies, body and address headers,
every value under a personal key anywhere in the event, and any email or IP address left in a
string (an exception message).
"""

import re
from typing import Any

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration

__all__ = ["PERSONAL_KEYS", "init", "scrub"]

REMOVED = "[removed]"
# Keys whose values are personal wherever they appear (form fields, extra, contexts, breadcrumbs).
PERSONAL_KEYS = frozenset(
    {
        "comment", "text", "body", "html", "name", "email", "user_name", "user_email", "user_url",
        "username", "ip", "ip_address", "remote_addr", "reader", "cookie", "cookies", "authorization",
        "x-forwarded-for", "http_x_forwarded_for", "x-real-ip", "http_x_real_ip", "password",
        "db.params", "params", "data", "query_string", "env", "vars",
    }
)  # fmt: skip
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
IPV6 = re.compile(
    r"\b(?:[0-9a-fA-F]{1,4}:){2,7}[0-9a-fA-F]{0,4}\b|\b[0-9a-fA-F]{1,4}::(?:[0-9a-fA-F]{1,4}:?)*"
)


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: REMOVED if isinstance(key, str) and key.lower() in PERSONAL_KEYS else _clean(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_clean(item) for item in value]
    if isinstance(value, str):
        return IPV6.sub(REMOVED, IPV4.sub(REMOVED, EMAIL.sub(REMOVED, value)))
    return value


# Parts of an event that describe the software, never a person: left as they are.
SOFTWARE = frozenset({"sdk", "modules", "platform", "release", "environment"})


def scrub(event: dict, hint: dict | None = None) -> dict:
    """before_send / before_send_transaction: the event without personal data."""
    event.pop("user", None)
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("data", "cookies", "env", "query_string"):
            request.pop(key, None)
    return {key: value if key in SOFTWARE else _clean(value) for key, value in event.items()}


def scrub_breadcrumb(crumb: dict, hint: dict | None = None) -> dict:
    return _clean(crumb)


def init(
    dsn: str, *, environment: str = "production", traces_sample_rate: float = 0.0, **options: Any
) -> None:
    """Start sentry-sdk with Django's integration and the scrubbing above (rounds/settings)."""
    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration()],
        environment=environment,
        # Nothing about the person collected in the first place (sentry-sdk's data_collection).
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "url_query_params": {"mode": "off"},
            "http_bodies": [],
            "stack_frame_variables": False,
            "gen_ai": {"inputs": False, "outputs": False},
            "graphql": {"document": False, "variables": False},
        },
        traces_sample_rate=traces_sample_rate,
        before_send=scrub,
        before_send_transaction=scrub,
        before_breadcrumb=scrub_breadcrumb,
        **options,
    )
