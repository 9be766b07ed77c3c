"""LOG_FORMAT=json: one JSON object per log line."""

import json
import logging
import subprocess
import sys

from ops.logs import JsonFormatter
from tests.servers import ROOT


def test_a_record_with_a_traceback_is_one_line_of_json():
    try:
        raise ValueError("first line\nsecond line")
    except ValueError:
        record = logging.LogRecord(
            "rounds.test", logging.ERROR, __file__, 1, "failed: %s", ("x",), sys.exc_info()
        )
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "ERROR" and entry["logger"] == "rounds.test" and entry["message"] == "failed: x"
    assert "ValueError: first line\nsecond line" in entry["exception"]


def test_the_setting_turns_the_project_s_logs_into_json():
    code = "import logging; logging.getLogger('rounds.demo').warning('hello %s', 'there')"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "rounds.settings.test", "LOG_FORMAT": "json"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert lines, result.stderr
    entries = [json.loads(line) for line in lines]
    assert {"logger": "rounds.demo", "message": "hello there", "level": "WARNING"}.items() <= entries[
        -1
    ].items()
