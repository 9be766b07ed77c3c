"""Laptop settings: `make run`. Never used in production."""

import os

from .base import *  # noqa: F403

SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret-6b1f0c2e")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
