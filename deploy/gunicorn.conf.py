"""gunicorn's settings for Rounds (make serve, and the rounds-gunicorn systemd unit).

Under systemd the socket comes from rounds.socket (socket activation: gunicorn reads LISTEN_FDS and
ignores `bind`). Logs go to stdout, as JSON with LOG_FORMAT=json. With PROMETHEUS_MULTIPROC_DIR
set, a worker's metric files are marked dead when it exits, so the metrics add up across workers.
"""

import os

from prometheus_client import multiprocess

from ops.logs import stdout_logging  # the project root is on the path: gunicorn adds its chdir

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
# A hung request (a stuck database) is killed and its worker replaced after this long.
timeout = 30
graceful_timeout = 20
# Readers' addresses are in nginx's log (and forgotten with it); gunicorn keeps no access log.
accesslog = None
logconfig_dict = stdout_logging(
    os.environ.get("LOG_FORMAT", ""),
    loggers={"gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False}},
)


def child_exit(server, worker) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)
