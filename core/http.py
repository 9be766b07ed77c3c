"""Who is asking: the client address that rate limits, lockouts and stored comments rely on.

X-Forwarded-For is written by whoever sends the request, so it is believed only as far as our own
proxies wrote it. Reading right to left, every hop in TRUSTED_PROXIES was added by a proxy we run;
the first address that is not ours is the client, and anything to its left may be made up.
With TRUSTED_PROXIES empty (the default) the header is ignored and REMOTE_ADDR is the answer.

A proxy on the same machine may talk to us over a Unix socket: then REMOTE_ADDR is empty (gunicorn)
or a socket path, and the entry `unix:` in TRUSTED_PROXIES says that such a peer is ours.

`reader_key` says who one reader is for a limit (comment rate limits, one report per reader): an
IPv4 address, an IPv6 /64 (a household or a phone is given a whole /64 and may use any address in
it), or one shared "unknown" bucket when no address can be found, so that a missing address never
means a missing limit.
"""

import ipaddress
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

__all__ = [
    "UNIX_SOCKET",
    "UNKNOWN_READER",
    "ForwardedProtoMiddleware",
    "client_ip",
    "from_trusted_proxy",
    "parse_ip",
    "reader_key",
    "reader_key_for",
    "sent_from_another_site",
    "trusted_networks",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# The TRUSTED_PROXIES entry that trusts a peer on a Unix socket (a proxy on this machine).
UNIX_SOCKET = "unix:"
# The one bucket every reader without a usable address shares.
UNKNOWN_READER = "unknown"
# How much of an IPv6 address is one reader.
IPV6_READER_PREFIX = 64


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
        if entry.strip() == UNIX_SOCKET:
            continue  # not a network: trusts_unix_socket() reads it
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(f"TRUSTED_PROXIES: {entry!r} is not an IP address or CIDR") from error
    return tuple(networks)


def trusted_networks() -> tuple[IPNetwork, ...]:
    """The proxies we run, from settings.TRUSTED_PROXIES (the env var, comma-separated)."""
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))


def _trusts_unix_socket() -> bool:
    return any(entry.strip() == UNIX_SOCKET for entry in getattr(settings, "TRUSTED_PROXIES", ()))


def _is_trusted(address: IPAddress, networks: tuple[IPNetwork, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def from_trusted_proxy(request: HttpRequest) -> bool:
    """Whether the peer that sent this request is one of our own proxies (TRUSTED_PROXIES; a peer
    on a Unix socket when it holds `unix:`)."""
    remote = parse_ip(request.META.get("REMOTE_ADDR") or "")
    if remote is None:
        return _trusts_unix_socket()
    return _is_trusted(remote, trusted_networks())


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
    """The client's address as a string ("" when no usable address is known).

    A spoofed X-Forwarded-For from an untrusted peer never changes the answer, and one sent
    through our proxies can only add hops to the left of the address our proxy saw, which are
    never read. A peer without an IP address (a Unix socket) is trusted only when TRUSTED_PROXIES
    holds `unix:`; otherwise the answer is "" and `reader_key` puts the reader in the shared
    unknown bucket.
    """
    remote = parse_ip(request.META.get("REMOTE_ADDR") or "")
    networks = trusted_networks()
    if remote is None:
        if not _trusts_unix_socket():
            return ""
    elif not networks or not _is_trusted(remote, networks):
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
    return str(client) if client is not None else ""


def reader_key_for(address: str | None) -> str:
    """Who one reader is for a limit, from a client address: the IPv4 address, the IPv6 /64 as
    "2001:db8:1:2::/64", or UNKNOWN_READER for no usable address."""
    parsed = parse_ip(address or "")
    if parsed is None:
        return UNKNOWN_READER
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((parsed, IPV6_READER_PREFIX), strict=False))
    return str(parsed)


def reader_key(request: HttpRequest) -> str:
    """Who is asking, for a limit: rate limits and reports both count per this key (never skip a
    reader because their address is missing: they share the unknown bucket)."""
    return reader_key_for(client_ip(request))


def sent_from_another_site(request: HttpRequest) -> bool:
    """Whether the browser says another site's page sent this request (Fetch metadata's
    Sec-Fetch-Site, else Origin). Our own origin is the host asked for or, behind a proxy that
    rewrites Host, BASE_URL's. A client that sends neither header is not judged here."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site and fetch_site not in ("same-origin", "none"):
        return True
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    return urlsplit(origin).netloc not in {request.get_host(), urlsplit(settings.BASE_URL).netloc}
