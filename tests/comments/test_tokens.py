"""The signed links (comments/tokens.py): each kind has one lifetime, applied when a link is read."""

import time

import pytest

from comments import tokens

HOUR = 60 * 60
DAY = 24 * HOUR


def signed_ago(monkeypatch, seconds: int, kind: str, payload: dict) -> str:
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now - seconds)
    token = tokens.sign(kind, payload)
    monkeypatch.setattr(time, "time", lambda: now)
    return token


def test_the_posted_page_link_lasts_an_hour(monkeypatch):
    assert tokens.read("posted", signed_ago(monkeypatch, HOUR - 60, "posted", {"c": 1})) == {"c": 1}
    with pytest.raises(tokens.BadToken):
        tokens.read("posted", signed_ago(monkeypatch, HOUR + 60, "posted", {"c": 1}))


def test_the_confirmation_link_lasts_as_long_as_the_setting_says(monkeypatch, settings):
    settings.COMMENTS_CONFIRM_MAX_AGE = 2 * DAY
    assert tokens.read("confirm", signed_ago(monkeypatch, DAY, "confirm", {"e": "a@b.org"})) == {
        "e": "a@b.org"
    }
    with pytest.raises(tokens.BadToken):
        tokens.read("confirm", signed_ago(monkeypatch, 3 * DAY, "confirm", {"e": "a@b.org"}))


def test_the_unsubscribe_link_lasts_a_year(monkeypatch):
    payload = {"e": "a@b.org", "t": 1}
    assert tokens.read("unsubscribe", signed_ago(monkeypatch, 364 * DAY, "unsubscribe", payload)) == payload
    with pytest.raises(tokens.BadToken):
        tokens.read("unsubscribe", signed_ago(monkeypatch, 366 * DAY, "unsubscribe", payload))


def test_a_link_of_one_kind_is_refused_as_another():
    with pytest.raises(tokens.BadToken):
        tokens.read("unsubscribe", tokens.sign("confirm", {"e": "a@b.org"}))


@pytest.mark.parametrize("use", [lambda: tokens.sign("bogus", {}), lambda: tokens.read("bogus", "x:y:z")])
def test_a_kind_without_a_lifetime_is_an_error(use):
    with pytest.raises(ValueError, match="no such kind of link"):
        use()


def test_the_report_token_lasts_two_hours(monkeypatch):
    fresh = signed_ago(monkeypatch, 2 * HOUR - 60, "report", {"c": 1})
    assert tokens.read("report", fresh) == {"c": 1}
    with pytest.raises(tokens.BadToken):
        tokens.read("report", signed_ago(monkeypatch, 2 * HOUR + 60, "report", {"c": 1}))


def test_a_report_token_holds_only_for_its_comment_and_its_reader():
    token = tokens.report_token(7, "203.0.113.5")
    assert tokens.is_report_token(token, 7, "203.0.113.5")
    assert not tokens.is_report_token(token, 8, "203.0.113.5")
    assert not tokens.is_report_token(token, 7, "203.0.113.6")
    assert "203.0.113.5" not in str(tokens.read("report", token))


def test_a_report_token_is_not_another_kind_of_link():
    assert not tokens.is_report_token(tokens.sign("posted", {"c": 7}), 7, "203.0.113.5")
