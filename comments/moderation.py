"""The moderation state machine: a new comment is published, held or kept as spam; a moderator
approves, rejects, marks as spam, edits or redacts it, or sends it to Patient Relations; readers'
reports return it to the queue.

Each step writes its rows in one transaction and announces itself with a signal from signals.py,
sent inside that transaction. It sends no mail, writes no audit log and purges no cache itself:
tasks.py (mail, through notify.py), audit.py and purges.py react to the signals (connected in
CommentsConfig.ready()).

The comment's own flags (is_public, is_removed) are what every page reads; they are changed with
UPDATEs (`_update_flags`), never save(), so xtd's pre_save handler cannot copy one comment's state
onto the replies beneath it.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from . import rules
from .models import (
    Comment,
    CommentReport,
    CommentRevision,
    Discussion,
    Moderation,
    Reason,
    Role,
    Status,
    is_visible,
)
from .signals import (
    comment_decided,
    comment_edited,
    comment_posted,
    comment_requeued,
    comment_routed,
    send_discussion_changed,
)

__all__ = [
    "approve",
    "edit",
    "is_staff",
    "mark_spam",
    "post_comment",
    "reject",
    "report",
    "role_for",
    "route_to_patient_relations",
]


def is_staff(user) -> bool:
    """A logged-in Wagtail user: publishes at once and is badged. Wagtail's users need not have
    Django's is_staff flag; access to the Wagtail admin is what makes someone staff here."""
    return bool(
        user and user.is_authenticated and user.is_active and user.has_perm("wagtailadmin.access_admin")
    )


def role_for(user, page) -> str:
    """Staff replies are badged; the post's author's as "Author", only for the account linked to
    one of its Author snippets (`Author.user`): a name matches anyone who types it."""
    if not is_staff(user):
        return Role.READER
    if any(author.user_id == user.pk for author in page.specific.authors):
        return Role.AUTHOR
    return Role.STAFF


def _update_flags(instance: XtdComment, **fields) -> None:
    # An UPDATE, not save(): xtd's pre_save handler would copy this comment's flags onto every
    # reply beneath it, publishing held replies or hiding others' state. Each comment keeps its own
    # state; a reply under a hidden comment is simply not shown.
    XtdComment.norel_objects.filter(pk=instance.pk).update(**fields)


def post_comment(
    comment: Comment,
    *,
    page,
    user=None,
    ip_address: str | None = None,
    discussion: Discussion,
    email_proven: bool = False,
) -> Comment:
    """Store a new comment with its moderation state, as the rules judge it, atomically.
    `email_proven`: the reader proved they own the email (rules.has_email_proof)."""
    staff = is_staff(user)
    verdict = rules.assess(discussion, comment, staff=staff, email_proven=email_proven)
    if verdict.spam:
        status = Status.SPAM
    elif verdict.hold:
        status = Status.WAITING
    else:
        status = Status.PUBLISHED
    comment.ip_address = ip_address
    if user and user.is_authenticated:
        comment.user = user
    comment.is_public = status == Status.PUBLISHED
    comment.is_removed = status == Status.SPAM
    with transaction.atomic():
        comment.save()
        Moderation.objects.create(
            comment=comment,
            status=status,
            reasons=verdict.reasons,
            role=role_for(user, page),
            ever_published=status == Status.PUBLISHED,
            email_proven=email_proven and bool(comment.user_email),
        )
        comment_posted.send(Comment, comment=comment, page=page, status=status)
    if status == Status.PUBLISHED:
        send_discussion_changed(page)
    return comment


def _decide(moderation: Moderation, status: str, user, action: str, **data) -> None:
    comment = moderation.comment
    was_visible = is_visible(comment)
    with transaction.atomic():
        moderation.status = status
        moderation.decided_by = user
        moderation.decided_at = timezone.now()
        if status == Status.PUBLISHED:
            moderation.report_count = 0
        first_publication = status == Status.PUBLISHED and not moderation.ever_published
        moderation.ever_published = moderation.ever_published or status == Status.PUBLISHED
        moderation.save()
        comment.is_public = status == Status.PUBLISHED
        comment.is_removed = status in (Status.REJECTED, Status.SPAM)
        _update_flags(comment, is_public=comment.is_public, is_removed=comment.is_removed)
        comment_decided.send(
            Moderation,
            moderation=moderation,
            comment=comment,
            user=user,
            action=action,
            data={"status": status, **data},
            first_publication=first_publication,
        )
    if was_visible != (status == Status.PUBLISHED):
        send_discussion_changed(comment.content_object)


def approve(moderation: Moderation, user) -> None:
    _decide(moderation, Status.PUBLISHED, user, "comments.approve")


def reject(moderation: Moderation, user, reason: str) -> None:
    moderation.reject_reason = reason
    _decide(moderation, Status.REJECTED, user, "comments.reject", reason=reason)


def mark_spam(moderation: Moderation, user) -> None:
    _decide(moderation, Status.SPAM, user, "comments.spam")


def edit(moderation: Moderation, user, text: str, *, redacted: bool = False) -> None:
    """Change the text, keeping the original in the history (a redaction is an edit that
    removes private information; both are logged, neither loses what was written)."""
    comment = moderation.comment
    if text == comment.comment:
        return
    with transaction.atomic():
        CommentRevision.objects.create(
            comment=comment, text=comment.comment, replaced_by=user, redacted=redacted
        )
        comment.comment = text
        _update_flags(comment, comment=text)
        comment_edited.send(Moderation, moderation=moderation, comment=comment, user=user, redacted=redacted)
    if is_visible(comment):
        send_discussion_changed(comment.content_object)


def route_to_patient_relations(moderation: Moderation, user, discussion: Discussion) -> bool:
    """Send the comment (a link to it, never its text) to Patient Relations; False when the site
    has no address for them."""
    address = discussion.patient_relations_email
    if not address:
        return False
    with transaction.atomic():
        moderation.routed_at = timezone.now()
        moderation.save(update_fields=["routed_at"])
        comment_routed.send(
            Moderation, moderation=moderation, comment=moderation.comment, user=user, address=address
        )
    return True


def report(moderation: Moderation, ip_address: str | None, threshold: int) -> bool:
    """A reader's report; reaching the threshold returns a published comment to the queue.
    One report per address per comment, so one reader cannot hide a comment alone."""
    with transaction.atomic():
        if (
            ip_address
            and CommentReport.objects.filter(comment_id=moderation.comment_id, ip_address=ip_address).exists()
        ):
            return False
        CommentReport.objects.create(comment_id=moderation.comment_id, ip_address=ip_address)
        Moderation.objects.filter(pk=moderation.pk).update(report_count=F("report_count") + 1)
        moderation.refresh_from_db()
        if moderation.status == Status.PUBLISHED and threshold and moderation.report_count >= threshold:
            moderation.status = Status.WAITING
            reported = {"code": str(Reason.REPORTED), "detail": str(moderation.report_count)}
            moderation.reasons = [*moderation.reasons, reported]
            moderation.save(update_fields=["status", "reasons"])
            comment = moderation.comment
            comment.is_public = False
            _update_flags(comment, is_public=False)
            comment_requeued.send(
                Moderation, moderation=moderation, comment=comment, reports=moderation.report_count
            )
            send_discussion_changed(comment.content_object)
    return True
