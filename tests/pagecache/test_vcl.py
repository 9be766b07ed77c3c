"""deploy/varnish/rounds.vcl in a real varnishd in front of a small stand-in backend whose answers
each test chooses: the rules no page of the app exercises on demand (what is kept and for how
long, cache keys, cookies, forwarded headers). In CI a missing varnishd fails these tests; on a
laptop they skip.
"""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.pagecache.stack import Stack
from tests.servers import free_port, require, varnish, varnish_available

# The stand-in backend: each path answers with these headers (and a body naming the fetch).
ANSWERS = {
    "/kept/": {"Cache-Control": "public, max-age=0, s-maxage=3600"},
    "/sets-a-cookie/": {"Cache-Control": "public, max-age=0, s-maxage=3600", "Set-Cookie": "csrftoken=abc"},
    "/private/": {"Cache-Control": "private, max-age=3600"},
    "/no-store/": {"Cache-Control": "no-store"},
    "/no-lifetime/": {},
    "/stale/": {"Cache-Control": "public, max-age=0, s-maxage=3600", "X-Page-Cache": "stale"},
    "/varies-on-cookie/": {"Cache-Control": "public, max-age=0, s-maxage=3600", "Vary": "Cookie"},
}


@pytest.fixture(scope="module")
def stand_in():
    require(varnish_available(), "Varnish (varnishd; make test installs it)")
    fetches: dict[str, int] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            fetches[self.path] = fetches.get(self.path, 0) + 1
            body = f"{self.path} fetch {fetches[self.path]}".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Seen-Cookie", self.headers.get("Cookie", ""))
            self.send_header("X-Seen-Proto", self.headers.get("X-Forwarded-Proto", ""))
            for name, value in ANSWERS.get(self.path.split("?")[0], {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    backend_port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", backend_port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with varnish(backend_port) as port:
            yield Stack({}, port)
    finally:
        server.shutdown()
        server.server_close()


def test_an_answer_with_a_shared_lifetime_is_kept(stand_in):
    stand_in.get("/kept/")
    again = stand_in.get("/kept/")
    assert again.cache == "hit"
    assert again.body == "/kept/ fetch 1"


@pytest.mark.parametrize("path", ["/sets-a-cookie/", "/private/", "/no-store/", "/no-lifetime/"])
def test_an_answer_the_app_does_not_let_a_shared_cache_keep_is_never_kept(stand_in, path):
    first, second = stand_in.get(path), stand_in.get(path)
    assert second.cache != "hit"
    assert (first.body, second.body) == (f"{path} fetch 1", f"{path} fetch 2")


def test_a_stale_answer_from_the_app_is_kept_for_a_second_only(stand_in):
    stand_in.get("/stale/")
    time.sleep(1.5)
    assert stand_in.get("/stale/").body == "/stale/ fetch 2"


def test_tracking_parameters_and_junk_page_numbers_share_the_page_s_copy(stand_in):
    first = stand_in.get("/kept/?from=test-one")
    for query in ("utm_source=local-news&fbclid=a1", "page=abc", "page=1", "page=02", "page=2&page="):
        response = stand_in.get(f"/kept/?{query}")
        assert response.cache == "hit", query
        assert response.body == first.body, query


def test_each_canonical_page_number_has_its_own_copy(stand_in):
    stand_in.get("/kept/?from=test-two")
    second_page = stand_in.get("/kept/?page=2&utm_source=x")
    assert second_page.body == "/kept/?page=2&utm_source=x fetch 1"
    assert stand_in.get("/kept/?page=2").cache == "hit"


@pytest.mark.parametrize("query", ["page=%32", "pag%65=2", "page=2&page", "page=2;x=1", "a+b=1&page=2"])
def test_a_query_string_varnish_would_have_to_interpret_is_never_served_another_url_s_copy(stand_in, query):
    stand_in.get("/kept/?from=test-three")
    response = stand_in.get(f"/kept/?{query}")
    assert response.body == f"/kept/?{query} fetch 1"


def test_a_percent_encoded_path_goes_to_the_app(stand_in):
    stand_in.get("/k%65pt/")
    assert stand_in.get("/k%65pt/").cache == "pass"


def test_a_reader_s_cookies_reach_the_app_when_it_is_asked(stand_in):
    response = stand_in.get("/no-lifetime/", Cookie="rounds_known_email=proof")
    assert response.headers["X-Seen-Cookie"] == "rounds_known_email=proof"


def test_readers_with_different_cookies_share_one_copy(stand_in):
    first = stand_in.get("/varies-on-cookie/", Cookie="csrftoken=one")
    second = stand_in.get("/varies-on-cookie/", Cookie="csrftoken=two")
    third = stand_in.get("/varies-on-cookie/")
    assert second.cache == third.cache == "hit"
    assert first.body == second.body == third.body
    assert "Cookie" in third.headers["Vary"]  # the app's Vary still reaches the reader


@pytest.mark.parametrize("query", ["p=11", "page_id=4", "utm_source=x&p=11"])
def test_an_imported_wordpress_link_goes_to_the_app_which_redirects_it(stand_in, query):
    stand_in.get("/kept/?from=test-four")
    assert stand_in.get(f"/kept/?{query}").body == f"/kept/?{query} fetch 1"


# Nothing the client may forge makes a cache key: the keys are bounded (issue 25, rule 5).


@pytest.mark.parametrize("query", ["p=11", "p=011", "page_id=4&x=1", "a%20b=1", "x=<y>"])
def test_wordpress_ids_and_odd_query_strings_get_no_copy_of_their_own(stand_in, query):
    stand_in.get(f"/kept/?{query}")
    assert stand_in.get(f"/kept/?{query}").cache == "pass"


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "127.0.0.1.evil.example"])
def test_a_host_outside_the_site_s_names_is_passed_to_the_app_never_kept(stand_in, host):
    stand_in.get("/kept/", Host=host)
    again = stand_in.get("/kept/", Host=host)
    assert again.cache == "pass"


def test_the_client_s_x_forwarded_proto_never_reaches_the_app(stand_in):
    response = stand_in.get("/no-lifetime/", X_Forwarded_Proto="https")
    assert response.headers["X-Seen-Proto"] == "http"


def test_a_forged_x_forwarded_proto_shares_the_plain_http_copy(stand_in):
    first = stand_in.get("/kept/?from=test-five")
    forged = stand_in.get("/kept/?from=test-five", X_Forwarded_Proto="https")
    assert forged.cache == "hit"
    assert forged.body == first.body


def test_a_registered_order_has_its_own_copy_and_any_other_shares_the_default_s(stand_in):
    first = stand_in.get("/kept/?from=test-four")
    helpful = stand_in.get("/kept/?order=helpful")
    assert helpful.body == "/kept/?order=helpful fetch 1"
    assert stand_in.get("/kept/?order=helpful&utm_source=x").cache == "hit"
    for query in ("order=newest", "order=", "order=helpful&order=junk"):
        response = stand_in.get(f"/kept/?{query}")
        assert response.body == first.body, query
