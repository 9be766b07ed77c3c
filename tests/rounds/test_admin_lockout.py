"""Admin login brute force: django-axes locks a username + address pair out of Wagtail's login."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "correct horse battery staple"
ATTACKER = "198.51.100.66"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example-hospital.org", PASSWORD)


def attempt(client, password: str, username: str = "editor", ip: str = ATTACKER, **headers):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, **headers)


def fail_until_locked(client, **kwargs) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "wrong", **kwargs)


def test_correct_password_logs_in_through_wagtails_form(client, editor):
    response = attempt(client, PASSWORD)
    assert response.status_code == 302
    assert response.wsgi_request.user.is_authenticated


def test_wrong_password_below_the_limit_is_a_form_error(client, editor):
    response = attempt(client, "wrong")
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


def test_repeated_failures_lock_out_even_the_right_password(client, editor):
    fail_until_locked(client)
    response = attempt(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_fewer_failures_than_the_limit_do_not_lock_out(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD).status_code == 302


def test_lockout_is_per_username_and_address_so_the_real_editor_elsewhere_still_logs_in(client, editor):
    fail_until_locked(client)
    assert attempt(client, PASSWORD, ip="203.0.113.10").status_code == 302


def test_lockout_of_one_username_spares_another_from_the_same_address(client, editor, django_user_model):
    django_user_model.objects.create_superuser("other", "other@example-hospital.org", PASSWORD)
    fail_until_locked(client)
    assert attempt(client, PASSWORD, username="other").status_code == 302


def test_cool_off_ends_the_lockout(client, editor):
    fail_until_locked(client)
    assert attempt(client, PASSWORD).status_code == 429
    past = timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    AccessAttempt.objects.update(attempt_time=past)
    assert attempt(client, PASSWORD).status_code == 302


def test_spoofed_forwarded_for_does_not_escape_the_lockout(client, editor, settings):
    settings.TRUSTED_PROXIES = []
    fail_until_locked(client)
    response = attempt(client, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert response.status_code == 429


def test_behind_our_proxy_lockout_follows_the_forwarded_client(client, editor, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    fail_until_locked(client, ip="10.0.0.5", HTTP_X_FORWARDED_FOR=ATTACKER)
    assert attempt(client, PASSWORD, ip="10.0.0.5", HTTP_X_FORWARDED_FOR=ATTACKER).status_code == 429
    # Another reader behind the same proxy is a different address, so not locked out.
    assert attempt(client, PASSWORD, ip="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.10").status_code == 302


def test_failed_attempts_are_recorded_with_the_client_address(client, editor):
    attempt(client, "wrong")
    recorded = AccessAttempt.objects.get()
    assert (recorded.username, recorded.ip_address, recorded.failures_since_start) == ("editor", ATTACKER, 1)
