"""Settings for the test suite. DATABASE_URL still chooses SQLite or PostgreSQL."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
# Off by default so tests see fresh renders; tests/test_pagecache.py turns them on.
PAGE_CACHE_SECONDS = 0
COMMENT_LIST_CACHE_SECONDS = 0
# Comment rate limits off by default, so tests can post several comments from one address in a
# row; tests/hardening/test_ratelimit.py turns them on.
COMMENT_RATE_LIMITS = []
