"""Production: everything from the environment, HTTPS switches behind HTTPS=true."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, TRUSTED_PROXIES, env_bool

if not SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY in the environment.")

if env_bool("HTTPS"):
    # TLS ends at the proxy in front of gunicorn, which must set this header; it is believed only
    # from TRUSTED_PROXIES (core.http.ForwardedProtoMiddleware), so without them every request
    # would look like plain HTTP and be redirected for ever.
    if not TRUSTED_PROXIES:
        raise ImproperlyConfigured("HTTPS=true needs TRUSTED_PROXIES: the proxies that end TLS for us.")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    # A load balancer's or Prometheus's probe may come over plain HTTP, straight to gunicorn.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
