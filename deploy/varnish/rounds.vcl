# Varnish 7 in front of Rounds (README "Varnish").
#
# What it keeps is what the app says a shared cache may keep: anonymous GETs whose response carries
# `Cache-Control: public, max-age=0, s-maxage=N` (or another explicit lifetime, like the static
# files' far-future one), no Set-Cookie and nothing private. Browsers still revalidate (max-age=0);
# Varnish keeps the page for s-maxage and drops it when the app says so: the app servers send a
# PURGE for each changed path and a BAN for each changed group (rounds/frontend.py), and only they
# may (the `purgers` ACL).
vcl 4.1;

import std;

# The app servers: the one place a deployment edits (a director for several is a few lines more).
backend default {
    .host = "127.0.0.1"; .port = "8000";
    .connect_timeout = 5s;
    .first_byte_timeout = 60s;
    .between_bytes_timeout = 10s;
}

# Who may PURGE and BAN: the app servers (localhost by default); add each app server's address. If
# a TLS terminator on this machine forwards readers to Varnish, give it the PROXY protocol
# (varnishd -a ...,PROXY) so that client.ip is the reader's address, not localhost's.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.http.host ~ "[[:upper:]]") {
        set req.http.host = req.http.host.lower();
    }
    # Nothing the client may forge decides a cache key (README "Varnish"). X-Forwarded-Proto is
    # ours: "https" only for what arrived on the listener named "tls" (the TLS terminator's, e.g.
    # varnishd -a tls=127.0.0.1:8443,PROXY), "http" for everything else, whatever the client sent.
    if (local.socket == "tls") {
        set req.http.X-Forwarded-Proto = "https";
    } else {
        set req.http.X-Forwarded-Proto = "http";
    }
    # Never trust these from outside: they are ours.
    unset req.http.X-Rounds-Page;
    unset req.http.X-Rounds-Order;
    unset req.http.X-Rounds-Plain;
    unset req.http.X-Rounds-Cookie;

    if (req.method == "PURGE" || req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (req.method == "PURGE") {
            # Every object of this path, whatever its ?page= or encoding, like the app's path stamps.
            # A ban on obj.* only, so the ban lurker clears the objects in the background.
            if (std.ban("obj.http.X-Rounds-Path == " + regsub(req.url, "\?.*$", ""))) {
                return (synth(200, "Purged"));
            }
            return (synth(400, std.ban_error()));
        }
        # BAN: a whole group of the app's purge table (X-Cache-Group on every cached page).
        if (req.http.X-Cache-Group !~ "^[a-z][a-z0-9-]*$") {
            return (synth(400, "Bad X-Cache-Group"));
        }
        if (std.ban("obj.http.X-Cache-Group == " + req.http.X-Cache-Group)) {
            return (synth(200, "Banned"));
        }
        return (synth(400, std.ban_error()));
    }

    # POSTs (comments, the admin), and every other method that is not a read, go to the app.
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The site's host names (ALLOWED_HOSTS; edit with the backend line), any port: only they are
    # kept. Any other Host goes to the app, which refuses it (400), and is never given a copy.
    if (req.http.host !~ "^(127\.0\.0\.1|localhost)(:[0-9]{1,5})?$") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    # The admin, and previews (which Wagtail serves under /admin/).
    if (req.url ~ "^/admin(/|\?|$)") {
        return (pass);
    }
    # Logged-in editors and moderators (Django's session cookie) and anyone with a message waiting.
    if (req.http.Cookie ~ "(^|;)\s*(sessionid|messages)=") {
        return (pass);
    }
    # A percent-encoded path names the same page as its decoded form, but a purge names the decoded
    # one: such requests go to the app, whose own cache decodes them.
    if (req.url ~ "^[^?]*%") {
        return (pass);
    }
    # An imported WordPress link (/?p=123, /?page_id=4): the app redirects it (importer/
    # middleware.py), and every id would be a key of its own.
    if (req.url ~ "[?&](p|page_id)=") {
        return (pass);
    }
    # A query string with percent-encoding or other characters we do not interpret: to the app,
    # never a copy of its own (one per odd query string would make the keys unbounded).
    if (req.url ~ "\?" && req.url !~ "^[^?]*\?[A-Za-z0-9_.-]+=[A-Za-z0-9_.-]*(&[A-Za-z0-9_.-]+=[A-Za-z0-9_.-]*)*$") {
        return (pass);
    }
    if (!req.http.Accept-Encoding) {
        set req.http.X-Rounds-Plain = "1";
    }
    # Anonymous: nothing in a cookie changes a page the app lets us keep (a page that used one, such
    # as a CSRF token, sets a cookie and is never stored), so one copy serves every reader: the
    # lookup ignores cookies. The app still gets them when it is asked (vcl_backend_fetch).
    if (req.http.Cookie) {
        set req.http.X-Rounds-Cookie = req.http.Cookie;
        unset req.http.Cookie;
    }
    return (hash);
}

sub vcl_hash {
    # Every part of the key is bounded: the path, a canonical page number, one of the site's host
    # names (its port aside), the protocol the VCL set itself, and gzip or plain. Odd query strings
    # and WordPress ids never get here (vcl_recv passes them).
    hash_data(regsub(req.url, "\?.*$", ""));
    if (req.url ~ "[?&]page=") {
        # ?page= is the only parameter that changes a cached page, and only a canonical page number
        # above 1 counts (the last one given, as Django reads it): the one rule of
        # pagecache.keys.page_number. Tracking tags and junk share the page's one copy.
        set req.http.X-Rounds-Page = regsub(req.url, "^.*[?&]page=([^&]*).*$", "\1");
        if (req.http.X-Rounds-Page ~ "^[1-9][0-9]{0,5}$" && req.http.X-Rounds-Page != "1") {
            hash_data("?page=" + req.http.X-Rounds-Page);
        }
        unset req.http.X-Rounds-Page;
    }
    # ?order= names another order of a list (pagecache.keys.register_order: a discussion's
    # "helpful"): a registered name has its own copy, anything else shares the default's.
    if (req.url ~ "[?&]order=") {
        set req.http.X-Rounds-Order = regsub(req.url, "^.*[?&]order=([^&]*).*$", "\1");
        if (req.http.X-Rounds-Order == "helpful") {
            hash_data("?order=helpful");
        }
        unset req.http.X-Rounds-Order;
    }
    hash_data(regsub(req.http.host, ":[0-9]+$", ""));
    # A page fetched over HTTPS is not the answer to plain HTTP (which the app redirects).
    hash_data(req.http.X-Forwarded-Proto);
    # Varnish has reduced Accept-Encoding to "gzip" or nothing. Readers without gzip get a plain
    # copy of their own: unzipping a long page on every request would cost more than the app's cache.
    if (!req.http.Accept-Encoding) {
        hash_data("plain");
    }
    return (lookup);
}

sub vcl_backend_fetch {
    # Varnish asks the app for gzip whatever the reader sent; the plain copy is asked for plain.
    if (bereq.http.X-Rounds-Plain) {
        unset bereq.http.Accept-Encoding;
    }
    unset bereq.http.X-Rounds-Plain;
    if (bereq.http.X-Rounds-Cookie) {
        set bereq.http.Cookie = bereq.http.X-Rounds-Cookie;
        unset bereq.http.X-Rounds-Cookie;
    }
    return (fetch);
}

sub vcl_backend_response {
    # What a PURGE matches (bans test stored objects, never requests).
    set beresp.http.X-Rounds-Path = regsub(bereq.url, "\?.*$", "");
    if (bereq.uncacheable) {
        return (deliver);
    }
    # Keep only what the app explicitly allows a shared cache to keep; never a cookie or a private
    # page, never a response without a lifetime (Varnish's default TTL would cache it otherwise).
    if (beresp.http.Set-Cookie
        || beresp.http.Cache-Control ~ "(?i)(private|no-store|no-cache)"
        || beresp.http.Cache-Control !~ "(?i)(s-maxage|max-age)=[0-9]*[1-9]"
        || beresp.http.Vary == "*"
        || beresp.ttl <= 0s) {
        # Hit-for-miss: the next request goes to the app without waiting behind this one, and a
        # cacheable answer replaces this marker at once.
        set beresp.ttl = 60s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # Compressed once, here, for the readers whose browser accepts gzip (nearly all); the plain
    # copy (see vcl_hash) is stored plain. Either way the answer says Vary: Accept-Encoding.
    if (!bereq.http.Accept-Encoding) {
        if (beresp.http.Content-Encoding == "gzip") {
            set beresp.do_gunzip = true;
        }
    } elsif (!beresp.http.Content-Encoding
        && beresp.http.Content-Type ~ "^(text/|application/(rss\+xml|atom\+xml|xml|json|javascript))") {
        set beresp.do_gzip = true;
    }
    if (!beresp.http.Vary) {
        set beresp.http.Vary = "Accept-Encoding";
    } elsif (beresp.http.Vary !~ "(?i)Accept-Encoding") {
        set beresp.http.Vary = beresp.http.Vary + ", Accept-Encoding";
    }
    # The lookup ignores cookies, so the app's Vary: Cookie must not split the copies by the cookies
    # a fetch carried; the reader (and any cache further on) still gets the app's Vary.
    if (beresp.http.Vary ~ "(?i)(^|,)\s*Cookie\s*(,|$)") {
        set beresp.http.X-Rounds-Vary = beresp.http.Vary;
        set beresp.http.Vary = regsuball(beresp.http.Vary, "(?i)(^|,)\s*Cookie\s*(?=,|$)", "");
        set beresp.http.Vary = regsub(beresp.http.Vary, "^\s*,\s*", "");
    }
    # When a page's lifetime runs out (a purge is different: banned objects are never served),
    # readers get the old copy for a few seconds while one fetch brings the new one.
    set beresp.grace = 10s;
    # For a few seconds after a purge the app may answer with the page's previous version while one
    # of its processes renders the new one (X-Page-Cache: stale): keep that for a second only, so
    # that the new version replaces it as soon as it exists.
    if (beresp.http.X-Page-Cache == "stale") {
        set beresp.ttl = 1s;
        set beresp.grace = 0s;
    }
    return (deliver);
}

sub vcl_deliver {
    if (obj.uncacheable) {
        set resp.http.X-Varnish-Cache = "pass";
    } elsif (obj.hits > 0) {
        set resp.http.X-Varnish-Cache = "hit";
    } else {
        set resp.http.X-Varnish-Cache = "miss";
    }
    if (resp.http.X-Rounds-Vary) {
        set resp.http.Vary = resp.http.X-Rounds-Vary;
        unset resp.http.X-Rounds-Vary;
    }
    # Internal headers: for purges, or about the app's own cache (stale by the time Varnish serves).
    unset resp.http.X-Cache-Group;
    unset resp.http.X-Rounds-Path;
    unset resp.http.X-Page-Cache;
    return (deliver);
}
