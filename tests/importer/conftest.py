from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> Path:
    return FIXTURES / name


def run_import(path, *args: str) -> str:
    """`manage.py import_blog`, its summary as text."""
    out = StringIO()
    call_command("import_blog", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def imported(site):
    """Import one fixture into the site; returns the summary text."""

    def _import(name: str, *args: str) -> str:
        return run_import(fixture(name), *args)

    return _import
