import pytest
from django.contrib.auth.models import Group


@pytest.fixture
def moderator(django_user_model):
    user = django_user_model.objects.create_user("mod", "mod@example-hospital.org", "pw")
    user.groups.add(Group.objects.get(name="Comment moderators"))
    return user
