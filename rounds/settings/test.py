"""Settings for the test suite. DATABASE_URL still chooses SQLite or PostgreSQL."""

from urllib.parse import urlsplit, urlunsplit

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
# The page cache, the comment-list cache and the comment rate limits stay as production has them:
# a test that needs one off says so (tests/conftest.py: the `no_page_cache` and `no_rate_limits`
# markers).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# With REDIS_URL (CI's third run: README "Tests"), each test worker has a Redis database of its own:
# tests/conftest.py empties every cache between tests, and django-redis empties a whole database.
# Databases 1 and up, one per worker: below the ones the server tests' own stacks use (6 and 15).
if REDIS_URL:  # noqa: F405
    _database = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")) + 1  # noqa: F405
    for _cache in CACHES.values():  # noqa: F405
        _cache["LOCATION"] = urlunsplit(urlsplit(REDIS_URL)._replace(path=f"/{_database}"))  # noqa: F405
