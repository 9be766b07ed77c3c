"""Demo discussion for `manage.py seed_demo`, on the customer-service post.

Idempotent: nothing is added to a post that already has comments.
"""

import datetime

from django.db import transaction

from blog.demo import CUSTOMER_SERVICE_SLUG
from blog.models import BlogPage

from .creation import NewComment, add_comment, comment_for
from .models import Comment, Moderation, Role, Status

__all__ = ["seed"]

START = datetime.datetime(2026, 9, 14, 10, 0, tzinfo=datetime.UTC)


def _add(
    post: BlogPage,
    name: str,
    text: str,
    *,
    hours: float,
    parent: Comment | None = None,
    status: str = Status.PUBLISHED,
    reasons: list | None = None,
    role: str = Role.READER,
    email: str = "",
    reports: int = 0,
) -> Comment:
    comment = comment_for(
        post, text, parent=parent, name=name, email=email, submit_date=START + datetime.timedelta(hours=hours)
    )
    add_comment(NewComment(comment, status=status, reasons=reasons or [], role=role))
    if reports:
        Moderation.objects.filter(pk=comment.pk).update(report_count=reports, ever_published=True)
    return comment


@transaction.atomic
def seed() -> None:
    post = BlogPage.objects.filter(slug=CUSTOMER_SERVICE_SLUG).first()
    if post is None or Comment.objects.for_page(post).exists():
        return
    designer = _add(
        post,
        "Maya Lindqvist",
        "I design software for a living, and this post describes a product nobody tested with its users. "
        "Four reminders and no way to move the appointment means the system was built around the "
        "clinic's calendar, not around the person who has to show up.\n\n"
        "Healthcare could borrow one habit from product design: watch a patient try to do the thing, "
        "then fix what they trip over.",
        hours=3,
    )
    agreeing = _add(
        post,
        "Tom Okafor",
        "Agreed. What surprised me when my father was treated was that departments are not always on "
        "the hospital's systems. A specialty department can run its own EHR and its own scheduling "
        "system, separate from the main one, so the hospital's portal simply cannot see or move those "
        "appointments. That might be exactly what happened here.",
        hours=5,
        parent=designer,
    )
    question = _add(
        post,
        "",
        "Sorry if this is a basic question, but what are an EHR and a PHR? I see both acronyms everywhere.",
        hours=7,
        parent=agreeing,
    )
    _add(
        post,
        "Greg",
        "They are the same thing: both are just the hospital's billing records under different names.",
        hours=8,
        parent=question,
    )
    _add(
        post,
        "Eleanor Marsh",
        "A small correction to the answer above, since the difference matters. An EHR (electronic health "
        "record) is the record your care team keeps: notes, results, medications. A PHR (personal "
        "health record) is one you keep and control yourself, often through a portal or an app, and "
        "you decide what goes in it. Neither is a billing record, although billing systems draw on the "
        "EHR.",
        hours=9,
        parent=question,
        role=Role.AUTHOR,
    )
    _add(
        post,
        "Dana",
        "Same thing happened to me last month. Please call me at 555-0134, I still have not been able to "
        "move my follow-up.",
        hours=20,
        status=Status.WAITING,
        reasons=[{"code": "policy", "detail": ""}, {"code": "phi", "detail": "phone number"}],
    )
    _add(
        post,
        "R. Patel",
        "Is there a plan to let patients reschedule online in the dermatology clinic specifically?",
        hours=22,
        status=Status.WAITING,
        reasons=[{"code": "policy", "detail": ""}],
        email="r.patel@example.org",
    )
    _add(
        post,
        "Frustrated",
        "Typical. Nobody at that hospital has ever cared about patients and nobody ever will.",
        hours=12,
        status=Status.WAITING,
        reasons=[{"code": "reported", "detail": "2"}],
        reports=2,
    )
    _add(
        post,
        "Best Deals",
        "Cheap meds without prescription, visit www.example.com/pills now!!!",
        hours=14,
        status=Status.SPAM,
        reasons=[{"code": "blocked", "detail": "without prescription"}],
    )
