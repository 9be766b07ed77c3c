"""core.http.client_ip: proxy headers believed only as far as our own proxies wrote them."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from core.http import UNKNOWN_READER, client_ip, from_trusted_proxy, parse_ip, reader_key, reader_key_for

PROXY = "10.0.0.5"


def request_from(remote_addr: str, forwarded_for: str | None = None):
    meta = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **meta)


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "2001:db8:ffff::/48"]


def test_without_trusted_proxies_the_answer_is_remote_addr(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request_from("198.51.100.7")) == "198.51.100.7"


@pytest.mark.parametrize("spoofed", ["1.2.3.4", "127.0.0.1", "10.0.0.5, 1.2.3.4", "junk", "::1", ""])
def test_spoofed_header_from_an_untrusted_peer_never_changes_the_answer(behind_proxy, spoofed):
    assert client_ip(request_from("198.51.100.7", spoofed)) == "198.51.100.7"


def test_header_is_ignored_entirely_when_no_proxy_is_trusted(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request_from(PROXY, "203.0.113.9")) == PROXY


def test_trusted_proxy_hop_gives_the_client_it_saw(behind_proxy):
    assert client_ip(request_from(PROXY, "203.0.113.9")) == "203.0.113.9"


def test_client_cannot_move_itself_by_prepending_addresses(behind_proxy):
    """The reader sends 'X-Forwarded-For: 1.1.1.1'; our proxy appends the real address."""
    assert client_ip(request_from(PROXY, "1.1.1.1, 203.0.113.9")) == "203.0.113.9"


def test_right_most_untrusted_address_wins_through_a_chain_of_our_proxies(behind_proxy):
    assert client_ip(request_from(PROXY, "6.6.6.6, 203.0.113.9, 10.0.0.7, 10.0.0.8")) == "203.0.113.9"


def test_spoofed_trusted_looking_address_left_of_the_client_is_not_read(behind_proxy):
    assert client_ip(request_from(PROXY, "10.0.0.9, 203.0.113.9")) == "203.0.113.9"


def test_repeated_headers_joined_by_commas_are_read_in_order(behind_proxy):
    request = request_from(PROXY, "1.1.1.1,203.0.113.9")
    assert client_ip(request) == "203.0.113.9"


def test_junk_where_our_proxy_writes_falls_back_to_the_proxy(behind_proxy):
    assert client_ip(request_from(PROXY, "203.0.113.9, not-an-ip")) == PROXY


def test_empty_header_from_a_trusted_proxy_gives_the_proxy(behind_proxy):
    assert client_ip(request_from(PROXY, "")) == PROXY


def test_chain_made_only_of_our_proxies_gives_the_left_most(behind_proxy):
    assert client_ip(request_from(PROXY, "10.0.0.7, 10.0.0.8")) == "10.0.0.7"


def test_ipv6_proxy_and_client(behind_proxy):
    assert client_ip(request_from("2001:db8:ffff::1", "2001:db8:1::42")) == "2001:db8:1::42"


def test_ports_and_brackets_are_tolerated(behind_proxy):
    assert client_ip(request_from(PROXY, "[2001:db8:1::42]:443")) == "2001:db8:1::42"
    assert client_ip(request_from(PROXY, "203.0.113.9:51234")) == "203.0.113.9"


def test_ipv4_mapped_ipv6_is_the_same_ipv4_client(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request_from("::ffff:198.51.100.7")) == "198.51.100.7"


def test_unusable_remote_addr_is_empty(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request_from("")) == ""


def test_invalid_trusted_proxy_setting_is_a_configuration_error(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/33"]
    with pytest.raises(ImproperlyConfigured):
        client_ip(request_from(PROXY, "203.0.113.9"))


@pytest.mark.parametrize("junk", ["", "abc", "1.2.3", "999.1.1.1", "[::1", "1.2.3.4\x00"])
def test_parse_ip_refuses_junk(junk):
    assert parse_ip(junk) is None


# Behind a proxy on a Unix socket, REMOTE_ADDR is empty (gunicorn) or a socket path.


@pytest.mark.parametrize("remote_addr", ["", "/run/gunicorn.sock", "unix:/run/gunicorn.sock"])
def test_a_unix_socket_peer_is_trusted_when_trusted_proxies_says_unix(settings, remote_addr):
    settings.TRUSTED_PROXIES = ["unix:"]
    assert client_ip(request_from(remote_addr, "203.0.113.9")) == "203.0.113.9"


def test_through_a_unix_socket_proxy_the_reader_cannot_move_itself(settings):
    settings.TRUSTED_PROXIES = ["unix:"]
    assert client_ip(request_from("", "1.1.1.1, 203.0.113.9")) == "203.0.113.9"


def test_unix_entry_sits_beside_networks(settings):
    settings.TRUSTED_PROXIES = ["unix:", "10.0.0.0/24"]
    assert client_ip(request_from("", "203.0.113.9, 10.0.0.7")) == "203.0.113.9"
    assert client_ip(request_from(PROXY, "203.0.113.8")) == "203.0.113.8"


def test_a_unix_socket_peer_is_not_believed_without_the_unix_entry(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert client_ip(request_from("", "203.0.113.9")) == ""


def test_a_unix_socket_peer_with_no_forwarded_for_is_unknown(settings):
    settings.TRUSTED_PROXIES = ["unix:"]
    assert client_ip(request_from("")) == ""
    assert reader_key(request_from("")) == UNKNOWN_READER


# reader_key: who one reader is for a limit


def test_reader_key_of_an_ipv4_reader_is_the_address(settings):
    settings.TRUSTED_PROXIES = []
    assert reader_key(request_from("198.51.100.7")) == "198.51.100.7"


def test_reader_key_of_an_ipv6_reader_is_the_64(settings):
    settings.TRUSTED_PROXIES = []
    one = reader_key(request_from("2001:db8:1:2::5"))
    other = reader_key(request_from("2001:db8:1:2:ffff:1:2:3"))
    assert one == other == "2001:db8:1:2::/64"
    assert reader_key(request_from("2001:db8:1:3::5")) != one


@pytest.mark.parametrize("remote_addr", ["", "junk", "/run/gunicorn.sock"])
def test_reader_key_without_a_usable_address_is_the_shared_unknown_bucket(settings, remote_addr):
    settings.TRUSTED_PROXIES = []
    assert reader_key(request_from(remote_addr)) == UNKNOWN_READER


def test_reader_key_of_an_ipv4_mapped_address_is_the_ipv4_reader(settings):
    settings.TRUSTED_PROXIES = []
    assert reader_key_for("::ffff:198.51.100.7") == "198.51.100.7"


def test_a_unix_socket_peer_counts_as_our_proxy_for_forwarded_proto_only_with_the_unix_entry(settings):
    settings.TRUSTED_PROXIES = ["unix:"]
    assert from_trusted_proxy(request_from(""))
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert not from_trusted_proxy(request_from(""))
