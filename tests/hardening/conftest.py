"""Hardening tests reuse the comments tests' policy fixture and the browser fixtures."""

from tests.browser.conftest import browser, live_site, tab
from tests.comments.conftest import discussion

__all__ = ["browser", "discussion", "live_site", "tab"]
