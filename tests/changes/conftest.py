import pytest
from django.contrib.auth.models import Group


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what a change schedules for after its transaction commits (purges, the notification)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def moderator(django_user_model):
    user = django_user_model.objects.create_user("mod", "mod@example-hospital.org", "pw")
    user.groups.add(Group.objects.get(name="Comment moderators"))
    return user
