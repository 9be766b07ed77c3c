"""Demo for `manage.py seed_demo`: the loop closed on the scheduling post.

A reader described pressing "cancel" to reach a person and landing in a full voicemail box; the
patient access team changed the phone menu and how often that box is cleared. Idempotent: nothing
is added once the change exists.
"""

import datetime

from django.db import transaction
from wagtail.models import Locale

from blog.demo import CUSTOMER_SERVICE_SLUG
from blog.models import BlogPage
from comments.models import Comment

from .models import Change, ChangeComment, ChangePost, Feedback, FeedbackStatus, Topic

__all__ = ["seed"]

TOPICS = ["Scheduling", "Phone lines", "Billing", "Parking and getting here"]
CHANGE_TITLE = (
    "Patients can now reach a person to move an appointment, and the cancellation line is cleared every hour"
)


@transaction.atomic
def seed() -> Change | None:
    english = Locale.get_default()
    topics = {name: Topic.objects.get_or_create(name=name, locale=english)[0] for name in TOPICS}
    post = BlogPage.objects.filter(slug=CUSTOMER_SERVICE_SLUG, locale=english).first()
    if post is None:
        return None
    existing = Change.objects.filter(title=CHANGE_TITLE).first()
    if existing is not None:
        return existing
    # The reader comment that names the problem: the first published reader thread on the post.
    comment = (
        Comment.objects.for_page(post)
        .published()
        .filter(moderation__role="reader")
        .order_by("submit_date")
        .first()
    )
    change = Change(
        title=CHANGE_TITLE,
        description=(
            "Calling the appointment line used to offer one choice for a booked visit: cancel it. "
            "The menu now has a second option, “change an appointment”, which goes straight to a "
            "scheduler during clinic hours and to a call-back request outside them.\n\n"
            "Messages left on the cancellation line are now checked every hour, on the hour, instead "
            "of once at the end of the day, and the box no longer fills up."
        ),
        date=post.date + datetime.timedelta(days=21),
        department="Patient Access Center",
        topic=topics["Scheduling"],
    )
    change.cited_posts.add(ChangePost(post=post))
    if comment is not None:
        Feedback.objects.get_or_create(
            comment_id=comment.pk, defaults={"topic": topics["Scheduling"], "status": FeedbackStatus.HEARD}
        )
        change.cited_comments.add(ChangeComment(comment_id=comment.pk))
    change.save()
    change.save_revision(log_action=True)
    return change
