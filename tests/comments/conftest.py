import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import Site

from comments.forms import CommentForm
from comments.models import Discussion


@pytest.fixture
def discussion(site):
    """The site's discussion policy, with moderators' and Patient Relations' addresses."""
    policy = Discussion.for_site(Site.objects.get(is_default_site=True))
    policy.moderators_email = "moderators@example-hospital.org"
    policy.patient_relations_email = "relations@example-hospital.org"
    policy.save()
    return policy


@pytest.fixture
def moderator(django_user_model):
    """A member of the "Comment moderators" group: the queue, nothing else in the admin."""
    user = django_user_model.objects.create_user("mod", "mod@example-hospital.org", "pw", first_name="Mo")
    user.groups.add(Group.objects.get(name="Comment moderators"))
    return user


@pytest.fixture
def editor(django_user_model):
    """Someone with admin access but not the moderation permission."""
    user = django_user_model.objects.create_user("ed", "ed@example-hospital.org", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def form_data(post, **fields) -> dict:
    """A valid comment POST for `post`, as the page's form would send it."""
    security = CommentForm(post).generate_security_data()
    return {
        **security,
        "comment": "Thank you for writing this.",
        "name": "",
        "email": "",
        "reply_to": "0",
        "honeypot": "",
        **fields,
    }


@pytest.fixture
def mod_client(client, moderator):
    client.force_login(moderator)
    return client
