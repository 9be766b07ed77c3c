"""Settings shared by every environment.

Secure by default: DEBUG is off and every secret comes from the environment.
`dev.py` relaxes this for a laptop; `production.py` adds the HTTPS switches.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from ops.logs import stdout_logging

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Empty unless provided: Django refuses to start a request with an empty key.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

# The public address, used wherever an absolute URL leaves the site (feeds, emails, canonical links).
BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = BASE_URL

INSTALLED_APPS = [
    # The project package composes the apps (seed_demo, search); the page cache is an app of its own.
    "rounds",
    "pagecache",
    # Health, metrics, the doctor and the scheduler (README "Operations"): a base app too.
    "ops",
    "blog",
    "comments",
    "importer",
    "glossary",
    "changes",
    "plainlanguage",
    "subscriptions",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.redirects",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
    # Comments: xtd before django_comments, so its templates and form win.
    "django.contrib.sites",
    "django_comments_xtd",
    "django_comments",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # X-Forwarded-Proto believed only from TRUSTED_PROXIES (core/http.py), before anything reads it.
    "core.http.ForwardedProtoMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # /healthz, /readyz, /metrics answered here, before the page cache; every other request timed.
    "ops.middleware.OpsMiddleware",
    # ETag/Last-Modified and 304s, for cached and uncached responses alike.
    "django.middleware.http.ConditionalGetMiddleware",
    # Imported blogs' /?p=123 links, before the page cache answers them with the home page.
    "importer.middleware.QueryLinkRedirectMiddleware",
    # Before sessions and auth: a cache hit for an anonymous reader skips them (pagecache/).
    "pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language comes from the path alone (/es/...), so a cached page is already keyed by it and
    # no response varies by Accept-Language (core/locale.py).
    "core.locale.PathLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.security.SiteCSPMiddleware",
    # Wagtail's redirects, followed only to pages the reader may see (importer/middleware.py).
    "importer.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rounds.urls"
WSGI_APPLICATION = "rounds.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "rounds.context_processors.site",
            ],
        },
    },
]

# Database: SQLite file by default, PostgreSQL (or anything dj-database-url knows) via DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside one writer; IMMEDIATE takes the write lock at BEGIN, so a
    # second writer waits for the busy timeout instead of failing mid-transaction. Connections are
    # kept like PostgreSQL's (CONN_MAX_AGE): opening one and running its PRAGMAs cost a page-cache
    # hit more than everything else it does; between requests a kept connection holds no lock.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis shared by every app server when REDIS_URL is set, else this process's memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "rounds"),
            "OPTIONS": {"IGNORE_EXCEPTIONS": True},
        }
    }
    # The page cache's stamps and shared page bodies: the same Redis, but its errors are raised, so
    # the page cache knows Redis is down (serves uncached, keeps purges for later, logs the outage
    # once a minute: pagecache/). Short timeouts: a hung Redis must not hold readers.
    CACHES["pagecache"] = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "rounds") + "-pagecache",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
    }
    # Not one log line per request while Redis is down: the page cache logs the outage instead.
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages (README "Languages"): English at today's addresses, every other language under its
# prefix (/es/). A further language is a line here and in WAGTAIL_CONTENT_LANGUAGES, its
# locale/<code>/LC_MESSAGES/django.po, and a Locale row (Settings > Locales).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names and pre-compressed copies; whitenoise serves them with far-future headers.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Every email is counted (sent, failed) for the metrics on its way to the real backend.
EMAIL_BACKEND = "ops.mail.CountingBackend"
OPS_EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Rounds <rounds@example-hospital.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Secure defaults that cost nothing over plain HTTP; production.py adds the HTTPS-only ones.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Security
# Content-Security-Policy (django-csp 4): our own origin only, no inline script or style, no
# plugins, never framed. No nonce: public pages are cached whole, and one nonce replayed to every
# reader would be worthless. Enforced on public pages; report-only under the admin, whose inline
# code it would break (core/security.py).
SITE_CSP_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
CONTENT_SECURITY_POLICY = {"DIRECTIVES": SITE_CSP_DIRECTIVES}
REPORT_ONLY_CSP_PREFIXES = ["/admin/"]
# The admin's violations are posted here and logged (core.security.csp_report), at most this
# many a minute from one address; report-uri for every browser, report-to for the Reporting API.
CSP_REPORT_PATH = "/csp-report/"
CSP_REPORT_GROUP = "csp-endpoint"  # the Reporting API's name for it (Reporting-Endpoints header)
CSP_REPORTS_PER_MINUTE = int(os.environ.get("CSP_REPORTS_PER_MINUTE", "30"))
CONTENT_SECURITY_POLICY_REPORT_ONLY = {
    "DIRECTIVES": {**SITE_CSP_DIRECTIVES, "report-uri": [CSP_REPORT_PATH], "report-to": CSP_REPORT_GROUP}
}
# The admin would otherwise send each editor's email hash to gravatar.com and ask
# releases.wagtail.org for news on every dashboard load: third-party calls a hospital need not make.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# The proxies we run (IPs or CIDRs): only they may tell us the client's address in
# X-Forwarded-For (core/http.py). Empty: REMOTE_ADDR is the client.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
# Admin login brute force (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username
# from one address, that pair is refused (429) until the cool-off passes. Attempts live in the
# database, so every app server sees the same count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.http.client_ip"
# `make backup` writes Django's JSON through this, which tolerates the audit log's references to
# deleted pages (rounds/backup.py); `make restore` reads it back with plain loaddata.
SERIALIZATION_MODULES = {"backup": "rounds.backup"}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Rounds"
# Wagtail's database backend, each object indexed in its own language's text-search configuration
# on PostgreSQL (core/search.py), and queries parsed in the reader's.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "core.search"}}
SEARCH_CONFIGS = {"en": "english", "es": "spanish"}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"bmp": "webp", "jpeg": "webp", "png": "webp", "webp": "webp"}
WAGTAILEMBEDS_RESPONSIVE_HTML = True

SITE_DESCRIPTION = _("Candid notes from hospital leadership on the patient's experience.")

# Comments
# django-comments-xtd on django-contrib-comments (README "Comments"). Comments are stored at once
# and held for moderation, so the email confirmation step is off; confirming an address only turns
# on reply notifications (comments/notify.py). COMMENT_MAX_LENGTH stays at its default (3,000):
# changing it alters django_comments' migrations.
SITE_ID = 1  # django.contrib.sites, which django_comments needs; Wagtail's own Site is separate
COMMENTS_APP = "django_comments_xtd"
COMMENTS_XTD_CONFIRM_EMAIL = False
COMMENTS_XTD_MAX_THREAD_LEVEL = int(os.environ.get("COMMENTS_MAX_THREAD_LEVEL", "3"))
COMMENTS_XTD_FORM_CLASS = "comments.forms.CommentForm"
COMMENTS_XTD_LIST_ORDER = ("thread_id", "order")
COMMENTS_XTD_THREADED_EMAILS = False  # we send after commit ourselves
# The security hash's timestamp must outlive a cached page: a form served from the page cache is
# at most this old (the page cache's lifetime must stay below it).
COMMENTS_TIMEOUT = int(os.environ.get("COMMENTS_TIMEOUT", str(24 * 60 * 60)))
# Reply notifications: how long an emailed confirmation link stays valid.
COMMENTS_CONFIRM_MAX_AGE = 7 * 24 * 60 * 60

# Rate limits
# Comments per client address and per email, as (at most this many, in this many seconds), counted
# from stored rows so every app server agrees (comments/ratelimit.py). COMMENT_RATE_LIMIT=0 turns
# them off, for load tests.
COMMENT_RATE_LIMITS = [(1, 15), (10, 60 * 60)] if env_bool("COMMENT_RATE_LIMIT", True) else []
# The subscribe form (subscriptions/views.py), per reader and per address: 5 an hour, 10 a day.
SUBSCRIBE_RATE_LIMITS = [(5, 60 * 60), (10, 24 * 60 * 60)] if env_bool("COMMENT_RATE_LIMIT", True) else []
# Mail workers (subscriptions/sending.py): how long a batch's claim holds, SMTP connections each.
SUBSCRIPTIONS_CLAIM_SECONDS = int(os.environ.get("SUBSCRIPTIONS_CLAIM_SECONDS", "300"))
SUBSCRIPTIONS_SMTP_CONNECTIONS = int(os.environ.get("SUBSCRIPTIONS_SMTP_CONNECTIONS", "10"))
# "This helped" marks per reader (a burst from one address is refused); the same switch turns them off.
HELPFUL_RATE_LIMITS = [(10, 60), (100, 60 * 60)] if env_bool("COMMENT_RATE_LIMIT", True) else []
# Tasks (django-tasks): mail and other slow work leave the request. Production queues them in the
# database, run by `manage.py db_worker` beside gunicorn (README "Production"); dev and test run
# them at once, in the process that enqueued them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A mail server that hangs must not hold a reader's response for long (mail is sent after commit).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))

# Page cache (pagecache/)
# Whole pages for anonymous readers, purged exactly on change; the lifetime only bounds memory use
# and must stay below COMMENTS_TIMEOUT (a cached comment form must still post).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", str(60 * 60)))
# Where the purge stamps live, shared by every process: the `pagecache` Redis alias when REDIS_URL
# is set, else the database (pagecache.models.PageCacheStamp). Never one process's memory:
# `check --deploy` fails if this names a per-process cache (pagecache/checks.py).
PAGE_CACHE_STAMPS = os.environ.get("PAGE_CACHE_STAMPS", "pagecache" if REDIS_URL else "database")
# Page bodies kept gzipped in each process's memory (an LRU bounded in bytes), in front of Redis.
PAGE_CACHE_LOCAL_BYTES = int(os.environ.get("PAGE_CACHE_LOCAL_BYTES", str(64 * 1024 * 1024)))
# After a purge, other processes serve the previous version while one renders the new one, for at
# most this long (then they wait for it): never a render per worker, and readers never queue behind
# a long discussion's render.
PAGE_CACHE_STALE_SECONDS = float(os.environ.get("PAGE_CACHE_STALE_SECONDS", "5"))
# A post's rendered comment list, cached under the post's page-cache version (comments/listing.py).
COMMENT_LIST_CACHE_SECONDS = int(os.environ.get("COMMENT_LIST_CACHE_SECONDS", str(60 * 60)))
# Top-level threads per page of a post's comments (a thread is never split across pages).
COMMENTS_PER_PAGE = int(os.environ.get("COMMENTS_PER_PAGE", "50"))

# HTTP cache in front (README "Varnish"): with FRONTEND_CACHE_URL set (Varnish's address), every
# page-cache purge is sent there too, through Wagtail's frontend cache (pagecache/frontend.py). Other
# backends (Cloudflare, CloudFront) go in WAGTAILFRONTENDCACHE beside it. Unset: nothing is sent.
FRONTEND_CACHE_URL = os.environ.get("FRONTEND_CACHE_URL", "").rstrip("/")
WAGTAILFRONTENDCACHE = {}
if FRONTEND_CACHE_URL:
    WAGTAILFRONTENDCACHE["varnish"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": FRONTEND_CACHE_URL,
    }

# Logs go to stdout (systemd's journal, make serve's terminal); LOG_FORMAT=json writes one JSON
# object per line for log shippers. Errors logged by the purges sent to Varnish or a CDN are counted
# for the metrics (ops.counters.PurgeFailureHandler).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain")
LOGGING = stdout_logging(
    LOG_FORMAT,
    root_level=os.environ.get("LOG_LEVEL", "WARNING"),
    handlers={"purge_failures": {"class": "ops.counters.PurgeFailureHandler", "level": "ERROR"}},
    loggers={
        "pagecache.frontend": {"handlers": ["purge_failures"], "level": "INFO"},
        "wagtail.frontendcache": {"handlers": ["purge_failures"], "level": "INFO"},
    },
)

# Operations (ops/, README "Operations")
# Who may read /readyz's details and /metrics (IPs or CIDRs, judged by core.http.client_ip).
OPS_ADDRESSES = env_list("OPS_ADDRESSES", "127.0.0.1,::1")
# /readyz fails when the worker has finished no task for this long (the scheduler queues a
# heartbeat every minute), or when the oldest due task has waited this long.
OPS_WORKER_SECONDS = int(os.environ.get("OPS_WORKER_SECONDS", "300"))
OPS_QUEUE_SECONDS = int(os.environ.get("OPS_QUEUE_SECONDS", "300"))
# The doctor calls less free disk than this (or under 5 %) a problem, for MEDIA_ROOT and backups.
OPS_MIN_FREE_BYTES = int(os.environ.get("OPS_MIN_FREE_MB", "1024")) * 2**20
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", BASE_DIR / "backups"))
# Error reports to Sentry, scrubbed of personal data (ops/sentry.py); off unless SENTRY_DSN is set.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from ops import sentry

    sentry.init(
        SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )

# Glossary
# "first": each term is annotated at its first occurrence on a page (post body, then comments);
# "every": at every occurrence. A setting rather than a site setting: it costs no query per page.
GLOSSARY_ANNOTATE = os.environ.get("GLOSSARY_ANNOTATE", "first")

# Plain language (plainlanguage/analysis.py): capitals that are not jargon, never listed as
# undefined acronyms. The reading-level target and the long-sentence length are site settings.
PLAIN_LANGUAGE_COMMON_CAPITALS = [
    "OK", "TV", "US", "USA", "UK", "EU", "AM", "PM", "ID", "FAQ", "PDF", "URL", "PS", "DIY", "CEO",
]  # fmt: skip
