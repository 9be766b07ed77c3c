"""The security tests reuse the browser fixtures (Chromium, live server) of tests/browser/."""

from tests.browser.conftest import browser, live_site, tab

__all__ = ["browser", "live_site", "tab"]
