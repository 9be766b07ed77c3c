"""Hardening tests reuse the comments tests' policy fixture; the browser fixtures come from
tests/conftest.py (one Chromium per worker)."""

from tests.comments.conftest import discussion

__all__ = ["discussion"]
