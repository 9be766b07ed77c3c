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

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django_comments.models import Comment as ContribComment
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
    comment_highlighted,
    comment_posted,
    comment_requeued,
    comment_routed,
    send_discussion_changed,
)

__all__ = [
    "approve",
    "edit",
    "highlight",
    "is_staff",
    "mark_spam",
    "post_comment",
    "reject",
    "report",
    "role_for",
    "route_to_patient_relations",
    "NewComment",
    "store",
    "store_many",
    "store_comment",
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
    with transaction.atomic():
        store(
            comment,
            status=status,
            reasons=verdict.reasons,
            role=role_for(user, page),
            email_proven=email_proven,
        )
        comment_posted.send(Comment, comment=comment, page=page, status=status)
    if status == Status.PUBLISHED:
        send_discussion_changed(page)
    return comment


def store(
    comment: Comment, *, status: str, reasons: list[dict], role: str = Role.READER, email_proven: bool = False
) -> Comment:
    """Write a new comment and its moderation row in one transaction, its flags in step with
    `status`. Announces nothing: `post_comment` does for a reader's comment, while an import
    (the importer app) must not mail moderators once per comment and purges once at its end."""
    comment.is_public = status == Status.PUBLISHED
    comment.is_removed = status in (Status.SPAM, Status.REJECTED)
    with transaction.atomic():
        comment.save()
        Moderation.objects.create(
            comment=comment,
            status=status,
            reasons=reasons,
            role=role,
            ever_published=status == Status.PUBLISHED,
            email_proven=email_proven and bool(comment.user_email),
        )
    return comment


def store_comment(
    page,
    text: str,
    *,
    parent: Comment | None = None,
    name: str = "",
    email: str = "",
    status: str = Status.PUBLISHED,
    role: str = Role.READER,
    submit_date: datetime.datetime | None = None,
) -> Comment:
    """Store a comment on `page` in the state given, with its moderation row, judged by no rule:
    for content the site makes itself (benchmarks, imports). Readers' comments go through
    `post_comment`. Model signals still purge the pages that show it."""
    comment = Comment(
        content_type=ContentType.objects.get_for_model(page.specific_class),
        object_pk=str(page.pk),
        site_id=settings.SITE_ID,
        user_name=name,
        user_email=email,
        comment=text,
        submit_date=submit_date or timezone.now(),
        parent_id=parent.pk if parent else 0,
        is_public=status == Status.PUBLISHED,
        is_removed=status in (Status.REJECTED, Status.SPAM),
    )
    with transaction.atomic():
        comment.save()
        Moderation.objects.create(
            comment=comment, status=status, role=role, ever_published=status == Status.PUBLISHED
        )
    return comment


@dataclass
class NewComment:
    """One comment for `store_many`: unsaved, with the comment it answers (`parent`: a stored
    comment, or another NewComment earlier in the same batch, or None) and its moderation state."""

    comment: Comment
    status: str
    reasons: list[dict] = field(default_factory=list)
    role: str = Role.READER
    parent: "Comment | NewComment | None" = None


def store_many(entries: list[NewComment]) -> list[Comment]:
    """Store many new comments at once (an import), each exactly as `store` would: the same rows,
    flags and moderation rows, in one transaction and a few queries for the whole batch.

    xtd's save() computes each comment's place in its thread with several queries and renumbers
    the thread; for threads that are wholly new that place is known in advance (depth-first
    order, as xtd keeps it), so they are written in bulk here. A reply to a comment stored before
    takes xtd's own path through `store`. Like `store`, nothing is announced.
    """
    max_level = settings.COMMENTS_XTD_MAX_THREAD_LEVEL
    fresh: list[NewComment] = []
    with transaction.atomic():
        for entry in entries:
            parent = entry.parent
            if isinstance(parent, NewComment) and parent not in fresh:
                parent = parent.comment  # its thread was stored one by one: so is this reply
            if isinstance(parent, Comment):
                entry.comment.parent_id = parent.pk
                store(entry.comment, status=entry.status, reasons=entry.reasons, role=entry.role)
            else:
                fresh.append(entry)
        _store_new_threads(fresh, max_level)
    return [entry.comment for entry in entries]


def _store_new_threads(entries: list[NewComment], max_level: int) -> None:
    if not entries:
        return
    children: dict[int, list[NewComment]] = {}
    roots = []
    for entry in entries:
        if entry.parent is None:
            roots.append(entry)
        else:
            children.setdefault(id(entry.parent), []).append(entry)
    # Depth-first, as xtd numbers a thread: each comment's `order`, level and replies below it.
    placed: list[tuple[NewComment, NewComment, int, int]] = []  # entry, root, level, order
    descendants: dict[int, int] = {}
    for root in roots:
        order = 0
        stack = [(root, 0, [])]
        while stack:
            entry, level, ancestors = stack.pop()
            if level > max_level:
                raise ValueError("a reply nests deeper than COMMENTS_XTD_MAX_THREAD_LEVEL")
            order += 1
            placed.append((entry, root, level, order))
            for ancestor in ancestors:
                descendants[id(ancestor)] = descendants.get(id(ancestor), 0) + 1
            stack.extend(
                (child, level + 1, [*ancestors, entry]) for child in reversed(children.get(id(entry), []))
            )
    # django_comments' rows first (bulk_create returns their ids), then xtd's table that extends
    # them (Django cannot bulk-create a multi-table child), then the moderation rows.
    base_fields = [f for f in ContribComment._meta.concrete_fields if not f.primary_key]
    bases = []
    for entry, _root, _level, _order in placed:
        comment = entry.comment
        comment.is_public = entry.status == Status.PUBLISHED
        comment.is_removed = entry.status in (Status.SPAM, Status.REJECTED)
        if comment.submit_date is None:  # as django_comments' save() does
            comment.submit_date = timezone.now()
        bases.append(ContribComment(**{f.attname: getattr(comment, f.attname) for f in base_fields}))
    ContribComment.objects.bulk_create(bases)
    for (entry, _root, _level, _order), base in zip(placed, bases, strict=True):
        entry.comment.pk = entry.comment.id = base.pk
        entry.comment._state.adding = False
        entry.comment._state.db = base._state.db
    rows = []
    for entry, root, level, order in placed:
        comment = entry.comment
        comment.thread_id = root.comment.pk
        comment.parent_id = entry.parent.comment.pk if entry.parent else comment.pk
        comment.level, comment.order = level, order
        comment.nested_count = descendants.get(id(entry), 0)
        rows.append(
            (
                comment.pk,
                comment.thread_id,
                comment.parent_id,
                level,
                order,
                comment.followup,
                comment.nested_count,
            )
        )
    quote = connection.ops.quote_name
    columns = ["comment_ptr_id", "thread_id", "parent_id", "level", "order", "followup", "nested_count"]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the model, values as parameters
        quote(XtdComment._meta.db_table),
        ", ".join(quote(c) for c in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    Moderation.objects.bulk_create(
        Moderation(
            comment_id=entry.comment.pk,
            status=entry.status,
            reasons=entry.reasons,
            role=entry.role,
            ever_published=entry.status == Status.PUBLISHED,
        )
        for entry, _root, _level, _order in placed
    )


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


def highlight(moderation: Moderation, user, *, on: bool = True) -> bool:
    """Pick a published comment to list above its discussion (or take it off the list). Only a
    published comment can be highlighted; hiding it later takes it off the list by itself, since
    the list shows only what readers see. False when there was nothing to change."""
    if on and moderation.status != Status.PUBLISHED:
        return False
    if on == (moderation.highlighted_at is not None):
        return False
    with transaction.atomic():
        moderation.highlighted_at = timezone.now() if on else None
        moderation.save(update_fields=["highlighted_at"])
        comment_highlighted.send(
            Moderation, moderation=moderation, comment=moderation.comment, user=user, highlighted=on
        )
    if is_visible(moderation.comment):
        send_discussion_changed(moderation.comment.content_object)
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
