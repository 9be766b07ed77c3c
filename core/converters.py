"""Path converters every app's URLs share, registered when this module is imported."""

from django.urls import register_converter
from django.urls.converters import IntConverter

__all__ = ["IdConverter"]


class IdConverter(IntConverter):
    """A row id: at most nine digits, so a longer number is a 404, not an integer the database
    cannot hold (SQLite raises OverflowError on one)."""

    regex = "[0-9]{1,9}"


register_converter(IdConverter, "rowid")
