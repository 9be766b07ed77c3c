"""Comments built the way the site stores them: through comments.creation.add_comment, the one
way in that gives each comment its moderation row (xtd's threading plus our row)."""

import itertools

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from blog.models import BlogPage
from comments import rules
from comments.creation import NewComment, add_comment, judge
from comments.models import Comment, Status

_numbers = itertools.count(1)


def make_comment(
    post,
    *,
    parent=None,
    status=Status.PUBLISHED,
    reasons=(),
    role="reader",
    email_proven=False,
    reader=None,
    **fields,
) -> Comment:
    """A stored comment on `post` (a reply when `parent` is given) with its moderation row
    (`email_proven`: posted by a reader who proved owning its email)."""
    n = next(_numbers)
    data = {
        "content_type": ContentType.objects.get_for_model(BlogPage),
        "object_pk": str(post.pk),
        "site_id": settings.SITE_ID,
        "user_name": f"Reader {n}",
        "user_email": "",
        "comment": f"Comment number {n} about waiting times.",
        "submit_date": timezone.now(),
        "parent_id": parent.pk if parent else 0,
        **fields,
    }
    entry = NewComment(
        Comment(**data),
        status=status,
        reasons=list(reasons),
        role=role,
        reader=reader,
        email_proven=email_proven,
    )
    return add_comment(entry)


def prove_email(client, email: str) -> None:
    """Give the test client's browser the signed proof of owning `email` that confirming it
    through the emailed link would give (comments.rules.remember_email)."""
    response = HttpResponse()
    rules.remember_email(RequestFactory().get("/"), response, email)
    client.cookies[rules.PROOF_COOKIE] = response.cookies[rules.PROOF_COOKIE].value


def post_as_reader(comment: Comment, *, page, discussion, user=None, email_proven=False) -> Comment:
    """Store `comment` as the reader's form does: judged by the rules (creation.judge), stored
    through the one way in, with its mail (creation.add_comment(notify=True))."""
    entry = judge(comment, page=page, discussion=discussion, user=user, email_proven=email_proven)
    return add_comment(entry, notify=True)
