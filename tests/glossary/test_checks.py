"""The GLOSSARY_ANNOTATE setting is checked at start-up, not discovered on a page."""

from django.test import override_settings

from glossary.checks import check_mode


def test_the_default_mode_passes_the_check():
    assert check_mode(None) == []


@override_settings(GLOSSARY_ANNOTATE="sometimes")
def test_an_unknown_mode_is_a_system_check_error():
    assert [error.id for error in check_mode(None)] == ["glossary.E001"]
