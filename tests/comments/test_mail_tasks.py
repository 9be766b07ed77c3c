"""Mail out of the request: with production's database task queue, a reader's POST enqueues the
mail and returns, whatever the mail server does; a worker sends it, retrying failures later."""

import datetime
import logging
import socket
import threading
import time

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import Site

from comments import tasks
from comments.models import Comment, Discussion, Status
from tests.comments.conftest import form_data
from tests.comments.factories import make_comment
from tests.factories import BlogPageFactory, ensure_migrated_rows, make_site

URL = "/comments/post/"
SECRET = "My MRN is 00482913"
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class SilentSMTPServer:
    """A mail server that accepts every connection and never says a word (not even its greeting):
    what a hung SMTP server looks like to smtplib, which waits for EMAIL_TIMEOUT."""

    def __init__(self) -> None:
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        self.listener.settimeout(0.1)
        while not self.stopped.is_set():
            try:
                connection, _address = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections.append(connection)  # kept open, never answered

    def __enter__(self) -> "SilentSMTPServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        self.thread.join(timeout=2)
        for connection in self.connections:
            connection.close()
        self.listener.close()


@pytest.fixture
def silent_smtp(settings):
    with SilentSMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = False
        yield server


@pytest.fixture
def database_queue(settings):
    """Production's task backend: tasks are rows, run by `manage.py db_worker`, not in the request."""
    settings.TASKS = DATABASE_QUEUE


def _queued(task) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=task.module_path).order_by("enqueued_at"))


@pytest.mark.django_db
def test_a_hung_mail_server_never_holds_a_readers_post(
    client, post, discussion, settings, silent_smtp, database_queue, django_capture_on_commit_callbacks
):
    settings.EMAIL_TIMEOUT = 10  # production's: today's code waited that long per email
    client.get(post.url)  # warm up (templates, URL resolver): time the POST alone
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL, form_data(post, post_anyway="1", comment=SECRET, email="pat@example.org", followup="on")
        )
    elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert elapsed < 3.0, f"the POST took {elapsed:.1f} s"  # well under EMAIL_TIMEOUT, on a busy machine
    comment = Comment.objects.get()
    assert comment.comment == SECRET
    assert [row.args_kwargs["args"] for row in _queued(tasks.comment_posted)] == [[comment.pk]]
    assert silent_smtp.connections == []  # nothing tried to talk to the mail server in the request


@pytest.mark.django_db
def test_queued_tasks_carry_ids_never_the_comments_text(
    client, post, discussion, database_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            URL,
            form_data(
                post, post_anyway="1", comment=SECRET, name="Pat", email="pat@example.org", followup="on"
            ),
        )
    comment = Comment.objects.get()
    tasks.comment_posted.call(comment.pk)  # what the worker runs first: it enqueues each email
    rows = DBTaskResult.objects.all()
    assert {row.task_path for row in rows} == {tasks.comment_posted.module_path, tasks.deliver.module_path}
    for row in rows:
        stored = str(row.args_kwargs)
        assert "00482913" not in stored
        assert "pat@example.org" not in stored
        assert "Pat" not in stored
    kinds = sorted(row.args_kwargs["args"][0] for row in _queued(tasks.deliver))
    assert kinds == ["confirm", "held"]


@pytest.mark.django_db
def test_a_failed_send_is_logged_and_enqueued_again_later(post, discussion, settings, database_queue, caplog):
    settings.EMAIL_BACKEND = "tests.comments.broken_mail.EmailBackend"
    comment = make_comment(post, status=Status.WAITING, comment=SECRET)
    before = timezone.now()
    with caplog.at_level(logging.WARNING, logger="comments.tasks"):
        assert tasks.deliver.call("held", comment.pk) is False
    (retry,) = _queued(tasks.deliver)
    assert retry.args_kwargs == {"args": ["held", comment.pk, None], "kwargs": {"attempt": 2}}
    assert retry.run_after >= before + datetime.timedelta(seconds=60)
    assert f"comment #{comment.pk} failed (attempt 1 of {tasks.MAX_ATTEMPTS}" in caplog.text
    assert "00482913" not in caplog.text


def test_each_retry_waits_longer():
    delays = [tasks.retry_delay(attempt).total_seconds() for attempt in range(1, tasks.MAX_ATTEMPTS)]
    assert delays == sorted(delays)
    assert delays[0] == 60
    assert len(set(delays)) == len(delays)


@pytest.mark.django_db
def test_the_last_attempt_fails_the_task_and_is_not_retried(
    post, discussion, settings, database_queue, caplog
):
    settings.EMAIL_BACKEND = "tests.comments.broken_mail.EmailBackend"
    comment = make_comment(post, status=Status.WAITING)
    with caplog.at_level(logging.ERROR, logger="comments.tasks"), pytest.raises(tasks.MailNotSent):
        tasks.deliver.call("held", comment.pk, attempt=tasks.MAX_ATTEMPTS)
    assert _queued(tasks.deliver) == []
    assert f"not sent after {tasks.MAX_ATTEMPTS} attempt(s)" in caplog.text


@pytest.mark.django_db
def test_a_retried_email_is_sent_once_the_server_is_back(post, discussion, settings, database_queue):
    settings.EMAIL_BACKEND = "tests.comments.broken_mail.EmailBackend"
    comment = make_comment(post, status=Status.WAITING)
    tasks.deliver.call("held", comment.pk)
    (retry,) = _queued(tasks.deliver)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert tasks.deliver.call(*retry.args_kwargs["args"], **retry.args_kwargs["kwargs"]) is True
    assert [m.to for m in mail.outbox] == [["moderators@example-hospital.org"]]
    comment.moderation.refresh_from_db()
    assert comment.moderation.moderators_notified_at is not None


@pytest.mark.django_db
def test_a_comment_decided_before_the_worker_ran_sends_no_held_notice(post, discussion):
    comment = make_comment(post, status=Status.PUBLISHED)
    assert tasks.deliver.call("held", comment.pk) is False
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_deleted_comment_sends_nothing(post, discussion):
    comment = make_comment(post, status=Status.WAITING)
    pk = comment.pk
    comment.delete()
    assert tasks.deliver.call("held", pk) is False
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_db_worker_sends_the_queued_mail(client, database_queue):
    """The whole path in production's shape: the POST enqueues, `manage.py db_worker` sends.
    Transactional: the worker reads committed rows, as it would from another process."""
    ensure_migrated_rows()
    _home, index = make_site()
    post = BlogPageFactory(parent=index)
    discussion = Discussion.for_site(Site.objects.get(is_default_site=True))
    discussion.moderators_email = "moderators@example-hospital.org"
    discussion.save()
    client.post(URL, form_data(post, post_anyway="1", comment=SECRET))
    assert mail.outbox == []  # queued, not sent
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    assert [m.to for m in mail.outbox] == [["moderators@example-hospital.org"]]
    assert "00482913" not in mail.outbox[0].body


@pytest.mark.django_db
@pytest.mark.no_rate_limits
def test_the_mail_task_commits_or_rolls_back_with_its_comment(client, post, discussion, database_queue):
    # The test's own transaction never commits, so a task enqueued on commit would never appear.
    client.post(URL, form_data(post, comment="When do the new hours start?", email="pat@example.org"))
    comment = Comment.objects.get()
    assert [row.args_kwargs["args"] for row in _queued(tasks.comment_posted)] == [[comment.pk]]
    with pytest.raises(RuntimeError), transaction.atomic():
        client.post(URL, form_data(post, comment="And the old ones?", email="sam@example.org"))
        assert len(_queued(tasks.comment_posted)) == 2
        raise RuntimeError("something failed after the comment was stored")
    assert len(_queued(tasks.comment_posted)) == 1 and Comment.objects.count() == 1
