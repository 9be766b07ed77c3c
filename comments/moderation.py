"""The moderation state machine: a moderator approves, rejects, marks as spam, edits or redacts a
comment, highlights it or sends it to Patient Relations; readers' reports return it to the queue.
(A new comment comes in through creation.py; which decisions the queue offers, and on which
comments, is actions.py's table.)

Each decision writes its rows in one transaction and then calls what follows it, by name and in
this order, so reading a decision tells everything it does:
1. the audit log (audit.py), inside the transaction: a decision and its entry commit together;
2. mail (tasks.py), queued inside the transaction too, sent by the worker after the commit, and
   the news for the commenter's own notices (signals.reader_news, after commit: subscriptions);
3. the one purge of the pages that show the discussion (purges.discussion_changed, after commit),
   which also tells the apps above (signals.discussion_changed: changes' citations).
A decision that rolls back takes its log entry and its pending mail with it.

The comment's own flags (is_public, is_removed) are what every page reads; they are changed with
UPDATEs (`_update_flags`, from states.flags_for), never save(), so xtd's pre_save handler cannot
copy one comment's state onto the replies beneath it.
"""

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from . import audit, purges, signals, tasks
from .cooking import cook
from .models import CommentReport, CommentRevision, Discussion, Moderation, Reason, Role, Status, is_visible
from .states import flags_for

__all__ = [
    "answer",
    "approve",
    "can_answer",
    "can_highlight",
    "can_mark_question",
    "edit",
    "edited_by_moderator",
    "highlight",
    "mark_question",
    "mark_spam",
    "reject",
    "report",
    "route_to_patient_relations",
]


def _update_flags(instance: XtdComment, **fields) -> None:
    # An UPDATE, not save(): xtd's pre_save handler would copy this comment's flags onto every
    # reply beneath it, publishing held replies or hiding others' state. Each comment keeps its own
    # state; a reply under a hidden comment is simply not shown.
    for name, value in fields.items():
        setattr(instance, name, value)
    XtdComment.norel_objects.filter(pk=instance.pk).update(**fields)


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
        _update_flags(comment, **flags_for(status))
        audit.decided(comment, user, action, {"status": status, **data})
        if first_publication:
            tasks.mail_published(comment)
            signals.send_reader_news(comment, "published")
    if was_visible != (status == Status.PUBLISHED):
        purges.discussion_changed(comment.content_object)


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
        _update_flags(comment, comment=text)
        cook(moderation, text)  # the stored HTML commits (or rolls back) with the text
        moderation.save(update_fields=["html", "html_policy"])
        audit.edited(comment, user, redacted=redacted)
    if is_visible(comment):
        purges.discussion_changed(comment.content_object)


def edited_by_moderator(comment: XtdComment) -> bool:
    """Whether a moderator edited or redacted `comment`'s text (`edit` with a user): a newer copy
    of the text from elsewhere (an import) must not undo it."""
    return (
        CommentRevision.objects.filter(comment_id=comment.pk)
        .filter(Q(replaced_by__isnull=False) | Q(redacted=True))
        .exists()
    )


def can_highlight(moderation: Moderation, *, on: bool = True) -> bool:
    """Whether `highlight(moderation, on=on)` would change anything: only a published comment can
    be highlighted, and only a highlighted one can lose it."""
    if on and moderation.status != Status.PUBLISHED:
        return False
    return on != (moderation.highlighted_at is not None)


def highlight(moderation: Moderation, user, *, on: bool = True) -> bool:
    """Pick a published comment to list above its discussion (or take it off the list). Hiding it
    later takes it off the list by itself, since the list shows only what readers see. False when
    there was nothing to change (`can_highlight`)."""
    if not can_highlight(moderation, on=on):
        return False
    with transaction.atomic():
        moderation.highlighted_at = timezone.now() if on else None
        moderation.save(update_fields=["highlighted_at"])
        audit.highlighted(moderation.comment, user, on=on)
        if on:
            signals.send_reader_news(moderation.comment, "highlighted")
    if is_visible(moderation.comment):
        purges.discussion_changed(moderation.comment.content_object)
    return True


def can_mark_question(moderation: Moderation, *, on: bool = True) -> bool:
    """Whether `mark_question(moderation, on=on)` would change anything: a shown or waiting
    comment, not already (or, to take it off, already) a question."""
    return moderation.status in (Status.PUBLISHED, Status.WAITING) and moderation.question != on


def mark_question(moderation: Moderation, user, *, on: bool = True) -> bool:
    """A moderator marks a comment as a question for the hospital (or not); False when nothing
    changed. Taking the mark off leaves its answer recorded, unlisted while it is not a question."""
    if not can_mark_question(moderation, on=on):
        return False
    with transaction.atomic():
        moderation.question = on
        moderation.save(update_fields=["question"])
        audit.questioned(moderation.comment, user, on=on)
    if is_visible(moderation.comment):
        purges.discussion_changed(moderation.comment.content_object)
    return True


def _question_of(moderation: Moderation) -> Moderation | None:
    """The moderation row of the comment this one answers (`parent`, when queue.prepare_rows
    loaded it for the whole page, saves the query), if that comment is a question."""
    comment = moderation.comment
    if comment.parent_id == comment.pk:
        return None
    parent = getattr(moderation, "parent", None)
    if parent is not None and parent.pk == comment.parent_id:
        question = getattr(parent, "moderation", None)
    else:
        question = Moderation.objects.filter(pk=comment.parent_id).first()
    return question if question is not None and question.question else None


def can_answer(moderation: Moderation) -> bool:
    """Whether this comment can be marked as the official answer: a published staff (or author)
    reply to a question, not already its answer. A reader's reply never can."""
    if moderation.role == Role.READER or moderation.status != Status.PUBLISHED:
        return False
    question = _question_of(moderation)
    return question is not None and question.answer_id != moderation.pk


def answer(moderation: Moderation, user) -> bool:
    """Mark this staff reply as the official answer to the question it replies to (replacing an
    earlier answer); the asker is told if they follow the thread. False when it cannot be one."""
    if not can_answer(moderation):
        return False
    question = _question_of(moderation)
    with transaction.atomic():
        Moderation.objects.filter(answer_id=moderation.pk).update(answer=None, answered_at=None)
        question.answer_id = moderation.pk
        question.answered_at = timezone.now()
        question.save(update_fields=["answer", "answered_at"])
        audit.answered(question.comment, user, moderation.comment)
        tasks.mail_answered(question.comment)
    purges.discussion_changed(moderation.comment.content_object)
    return True


def route_to_patient_relations(moderation: Moderation, user, discussion: Discussion) -> bool:
    """Send the comment (a link to it, never its text) to Patient Relations; False when the site
    has no address for them."""
    address = discussion.patient_relations_email
    if not address:
        return False
    with transaction.atomic():
        moderation.routed_at = timezone.now()
        moderation.save(update_fields=["routed_at"])
        audit.routed(moderation.comment, user)
        tasks.mail_routed(moderation.comment)
    return True


def report(moderation: Moderation, reader: str, threshold: int, ip_address: str | None = None) -> bool:
    """A reader's report; reaching the threshold returns a published comment to the queue.

    One report per reader (core.http.reader_key: an address, an IPv6 /64, or the one shared
    unknown bucket) per comment, so one reader cannot hide a comment alone; False for a repeat.
    Staff and author comments are never hidden by reports: at the threshold they are flagged in
    the queue (Reason.REPORTED_KEPT) and stay published.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                CommentReport.objects.create(
                    comment_id=moderation.comment_id, reader=reader, ip_address=ip_address or None
                )
        except IntegrityError:  # this reader already reported it (comments_one_report_per_reader)
            return False
        Moderation.objects.filter(pk=moderation.pk).update(report_count=F("report_count") + 1)
        moderation.refresh_from_db()
        if not (moderation.status == Status.PUBLISHED and threshold and moderation.report_count >= threshold):
            return True
        if moderation.role != Role.READER:
            if not any(r.get("code") == Reason.REPORTED_KEPT for r in moderation.reasons):
                flagged = {"code": str(Reason.REPORTED_KEPT), "detail": str(moderation.report_count)}
                moderation.reasons = [*moderation.reasons, flagged]
                moderation.save(update_fields=["reasons"])
            return True
        moderation.status = Status.WAITING
        reported = {"code": str(Reason.REPORTED), "detail": str(moderation.report_count)}
        moderation.reasons = [*moderation.reasons, reported]
        moderation.save(update_fields=["status", "reasons"])
        comment = moderation.comment
        _update_flags(comment, is_public=False)
        audit.requeued(comment, moderation.report_count)
        purges.discussion_changed(comment.content_object)
    return True
