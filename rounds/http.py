"""Who is asking: the client address that rate limits, lockouts and stored comments rely on.

X-Forwarded-For is written by whoever sends the request, so it is believed only as far as our own
proxies wrote it. Reading right to left, every hop in TRUSTED_PROXIES was added by a proxy we run;
the first address that is not ours is the client, and anything to its left may be made up.
With TRUSTED_PROXIES empty (the default) the header is ignored and REMOTE_ADDR is the answer.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

__all__ = ["ForwardedProtoMiddleware", "client_ip", "from_trusted_proxy", "parse_ip", "trusted_networks"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_ip(value: str) -> IPAddress | None:
    """An address from a header or REMOTE_ADDR, tolerating a port and IPv6 brackets; None if junk."""
    value = value.strip().strip('"')
    if value.startswith("["):  # [2001:db8::1]:443
        value = value[1 : value.find("]")] if "]" in value else ""
    elif value.count(":") == 1:  # 203.0.113.7:51234
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    # A v4 client seen through a dual-stack socket is still the same v4 client.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(f"TRUSTED_PROXIES: {entry!r} is not an IP address or CIDR") from error
    return tuple(networks)


def trusted_networks() -> tuple[IPNetwork, ...]:
    """The proxies we run, from settings.TRUSTED_PROXIES (the env var, comma-separated)."""
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))


def _is_trusted(address: IPAddress, networks: tuple[IPNetwork, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def from_trusted_proxy(request: HttpRequest) -> bool:
    """Whether the peer that sent this request is one of our own proxies (TRUSTED_PROXIES)."""
    remote = parse_ip(request.META.get("REMOTE_ADDR", ""))
    return remote is not None and _is_trusted(remote, trusted_networks())


class ForwardedProtoMiddleware:
    """Drop X-Forwarded-Proto unless one of our proxies sent the request.

    With HTTPS=true, SecurityMiddleware (SECURE_PROXY_SSL_HEADER) takes that header as proof the
    reader came over TLS: from anyone else it is a claim, and believing it would mark a plain-HTTP
    request secure (no redirect, secure cookies sent over HTTP). Placed before SecurityMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if "HTTP_X_FORWARDED_PROTO" in request.META and not from_trusted_proxy(request):
            del request.META["HTTP_X_FORWARDED_PROTO"]
        return self.get_response(request)


def client_ip(request: HttpRequest) -> str:
    """The client's address as a string ("" when even REMOTE_ADDR is unusable, e.g. a Unix socket).

    A spoofed X-Forwarded-For from an untrusted peer never changes the answer, and one sent
    through our proxies can only add hops to the left of the address our proxy saw, which are
    never read.
    """
    remote = parse_ip(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return ""
    networks = trusted_networks()
    if not networks or not _is_trusted(remote, networks):
        return str(remote)
    client = remote
    # Several X-Forwarded-For headers arrive joined by commas, in order.
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = parse_ip(hop)
        if address is None:
            # Our proxy wrote what it received; junk here means the client wrote it. Stop at the
            # last address a trusted hop vouched for.
            break
        client = address
        if not _is_trusted(address, networks):
            break
    return str(client)
