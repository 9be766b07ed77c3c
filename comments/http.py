"""The one place comments learn who is asking."""

from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The reader's address: rounds.http's (which trusts proxy headers only from TRUSTED_PROXIES)
    when the project has it, else REMOTE_ADDR."""
    try:
        from rounds.http import client_ip as trusted_client_ip
    except ImportError:
        return request.META.get("REMOTE_ADDR") or None
    return trusted_client_ip(request)
