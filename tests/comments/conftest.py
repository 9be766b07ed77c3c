import pytest
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
