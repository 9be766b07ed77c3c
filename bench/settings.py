"""Production settings plus a bare "ok" view, the ceiling the pages are compared with."""

from rounds.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
