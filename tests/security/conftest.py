"""The security tests use the browser fixtures of tests/conftest.py (one Chromium per worker)."""
