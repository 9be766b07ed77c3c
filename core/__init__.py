"""The base every app stands on: who a client is and which proxies we believe (`http`), security
headers and CSP (`security`), text for XML and one-per-line lists (`text`), pagination, and path
converters. It imports no app and not the project package (tests/test_layering.py)."""
