"""Settings of the bare app: nothing but what Django needs to answer one view."""

SECRET_KEY = "bench-bare-not-secret"  # noqa: S105 - a benchmark's throwaway app
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.bare.urls"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict = {}
USE_TZ = True
LOGGING_CONFIG = None
