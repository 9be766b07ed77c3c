import pytest

from bench.smtp_sink import smtp_sink
from tests.factories import make_site


@pytest.fixture
def sink(settings):
    """A real SMTP server on a free port; Django sends to it."""
    received, controller = smtp_sink()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = received.host
    settings.EMAIL_PORT = received.port
    settings.EMAIL_USE_TLS = False
    yield received
    controller.stop()


@pytest.fixture
def site(db):
    return make_site()


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Publish a post's revision as the editor's Publish and publish_scheduled do, running what
    it schedules for after the commit (the mailing, with the immediate task queue)."""

    def publish(post):
        with django_capture_on_commit_callbacks(execute=True):
            post.save_revision().publish()
        post.refresh_from_db()
        return post

    return publish


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)
