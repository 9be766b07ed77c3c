"""manage.py scheduler: publishes scheduled posts, prunes old task results, queues the heartbeat."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ops import schedule
from ops.tasks import HEARTBEAT_PATH

from .conftest import task_row

pytestmark = pytest.mark.django_db


def test_one_round_publishes_a_post_whose_time_has_come(post):
    revision = post.save_revision()
    post.unpublish()
    revision.approved_go_live_at = timezone.now() - datetime.timedelta(minutes=1)
    revision.save()
    call_command("scheduler", "--once", stdout=StringIO())
    post.refresh_from_db()
    assert post.live


def test_one_round_prunes_old_results_and_queues_a_heartbeat(database_queue):
    old = task_row(age=8 * 86400, path="comments.tasks.deliver")
    recent = task_row(age=86400, path="comments.tasks.deliver")
    old_beat = task_row(age=2 * 3600)
    out = StringIO()
    call_command("scheduler", "--once", stdout=out)
    remaining = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert old.pk not in remaining and old_beat.pk not in remaining
    assert recent.pk in remaining
    assert DBTaskResult.objects.ready().filter(task_path=HEARTBEAT_PATH).count() == 1
    assert "Scheduler started" in out.getvalue()


@pytest.fixture
def job():
    """A job registered as an app would, counting its runs; unregistered afterwards."""
    runs = []
    schedule.register("test job", lambda: runs.append(1), every=datetime.timedelta(hours=1))
    yield runs
    schedule._JOBS.pop("test job")


def test_a_registered_job_runs_in_the_first_round_then_once_per_period(job):
    schedule.tick(keep_days=7)
    schedule.tick(keep_days=7)
    assert len(job) == 1
    schedule._JOBS["test job"].last -= 3600  # an hour later
    schedule.tick(keep_days=7)
    assert len(job) == 2


def test_a_failing_job_leaves_the_others_running(job, caplog):
    schedule.register("broken job", lambda: 1 / 0, every=datetime.timedelta(minutes=1))
    try:
        schedule.tick(keep_days=7)
    finally:
        schedule._JOBS.pop("broken job")
    assert job == [1]
    assert "Scheduler: broken job failed" in caplog.text


def test_the_apps_register_what_cron_would_otherwise_run():
    cron = {
        "resume_mailings",
        "send_digests",
        "forget_unconfirmed",
        "send_comment_digest",
        "purge_comment_ips",
    }
    assert cron <= set(schedule._JOBS)
