"""LOG_FORMAT=json: one JSON object per line, for log shippers (journald, Loki, an ELK stack)."""

import datetime
import json
import logging

__all__ = ["JsonFormatter"]


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
