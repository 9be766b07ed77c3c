"""LOG_FORMAT=json: one JSON object per line, for log shippers (journald, Loki, an ELK stack)."""

import datetime
import json
import logging

__all__ = ["JsonFormatter", "stdout_logging"]


class JsonFormatter(logging.Formatter):
    """time (UTC, ISO 8601), level, logger, message, and the traceback when there is one. A
    message's newlines stay inside its JSON string, so one record is always one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def stdout_logging(log_format: str, *, root_level: str | None = None, handlers=None, loggers=None) -> dict:
    """The one dictConfig of every process (Django's settings, gunicorn's own loggers): records go
    to stdout, plain or as JSON, for systemd's journal or a log shipper to collect."""
    config = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
            "json": {"()": JsonFormatter},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "json" if log_format == "json" else "plain",
            },
            **(handlers or {}),
        },
        "loggers": loggers or {},
    }
    if root_level:
        config["root"] = {"handlers": ["console"], "level": root_level}
    return config
