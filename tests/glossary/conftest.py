import pytest

from glossary import registry


@pytest.fixture(autouse=True)
def _fresh_matcher():
    """Rolled-back rows fire no signals: forget this process's matcher around each test."""
    registry.forget()
    yield
    registry.forget()
