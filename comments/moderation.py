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

Every comment has its moderation row, whatever made it: `store_comment` is the one way in for our
own code (the reader's form through `post_comment`, imports, demo data, tests), and a post_save
receiver (`connect`, from CommentsConfig.ready()) gives a row, read from the comment's flags, to a
comment saved any other way (a shell, a data migration, xtd's own API). Fixtures (raw saves) bring
their own rows; `bulk_create` sends no signal and is not used for comments.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.db.models.signals import post_save
from django.utils import timezone
from django_comments.models import Comment as ContribComment
from django_comments_xtd.models import XtdComment

from core.http import reader_key_for

from . import rules
from .cooking import cook
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
    "add_comment",
    "approve",
    "connect",
    "edit",
    "edited_by_moderator",
    "ensure_moderation",
    "highlight",
    "is_staff",
    "mark_spam",
    "post_comment",
    "reject",
    "report",
    "role_for",
    "route_to_patient_relations",
    "NewComment",
    "status_from_flags",
    "store",
    "store_comment",
    "store_many",
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


def status_from_flags(comment: XtdComment) -> str:
    """The moderation status a comment's own flags say (removed reads as rejected: spam cannot be
    told apart from the flags alone)."""
    if comment.is_removed:
        return Status.REJECTED
    return Status.PUBLISHED if comment.is_public else Status.WAITING


def _new_moderation(comment: XtdComment) -> Moderation:
    status = status_from_flags(comment)
    return Moderation(
        status=status,
        ever_published=status == Status.PUBLISHED,
        reader=reader_key_for(comment.ip_address) if comment.ip_address else "",
    )


def ensure_moderation(comment: XtdComment) -> Moderation:
    """The comment's moderation row, made from its flags if it has none (for a comment stored
    before the invariant held, or in a way that sent no signal)."""
    try:
        return Moderation.objects.get(pk=comment.pk)
    except Moderation.DoesNotExist:
        pending = _new_moderation(comment)
        pending.comment_id = comment.pk
        try:
            with transaction.atomic():
                pending.save(force_insert=True)
        except IntegrityError:  # made at the same instant by another request
            return Moderation.objects.get(pk=comment.pk)
        return pending


def _comment_created(sender, instance: XtdComment, created: bool, raw: bool = False, **kwargs) -> None:
    # xtd saves a new comment twice (insert, then thread fields): `created` is true once.
    if not created or raw:
        return
    moderation = getattr(instance, "_pending_moderation", None) or _new_moderation(instance)
    moderation.comment_id = instance.pk
    moderation.save(force_insert=True)
    instance._pending_moderation = None


def store_comment(
    comment: Comment,
    *,
    status: str = Status.PUBLISHED,
    reasons: Iterable[dict] = (),
    role: str = Role.READER,
    reader: str | None = None,
    email_proven: bool = False,
) -> Comment:
    """Store a new comment and its moderation row in one transaction, its flags set from `status`.

    The way in for code that makes comments: it judges nothing and sends no mail (the reader's
    form goes through `post_comment`, which does both). `reader` is who posted it for the rate
    limits (core.http.reader_key); by default it is read from `comment.ip_address`.
    `email_proven`: the commenter proved owning the email (rules.has_email_proof).
    """
    comment.is_public = status == Status.PUBLISHED
    comment.is_removed = status in (Status.REJECTED, Status.SPAM)
    if reader is None:
        reader = reader_key_for(comment.ip_address) if comment.ip_address else ""
    comment._pending_moderation = Moderation(
        status=status,
        reasons=list(reasons),
        role=role,
        ever_published=status == Status.PUBLISHED,
        reader=reader,
        email_proven=email_proven and bool(comment.user_email),
    )
    with transaction.atomic():
        comment.save()
    return comment


def post_comment(
    comment: Comment,
    *,
    page,
    user=None,
    ip_address: str | None = None,
    reader: str | None = None,
    discussion: Discussion,
    email_proven: bool = False,
) -> Comment:
    """Store a reader's new comment with its moderation state, as the rules judge it, atomically,
    and announce it (mail to moderators, purges). `email_proven`: the reader proved they own the
    email (rules.has_email_proof)."""
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
        store_comment(
            comment,
            status=status,
            reasons=verdict.reasons,
            role=role_for(user, page),
            reader=reader,
            email_proven=email_proven,
        )
        comment_posted.send(Comment, comment=comment, page=page, status=status)
    if status == Status.PUBLISHED:
        send_discussion_changed(page)
    return comment


def store(
    comment: Comment, *, status: str, reasons: list[dict], role: str = Role.READER, email_proven: bool = False
) -> Comment:
    """`store_comment` under the name the importer uses (one way in: the moderation row comes
    with the comment, and nothing is announced)."""
    return store_comment(comment, status=status, reasons=reasons, role=role, email_proven=email_proven)


def add_comment(
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
    """Store a comment on `page` in the state given, judged by no rule: for content the site makes
    itself (benchmarks, demo data). Readers' comments go through `post_comment`. Model signals
    still purge the pages that show it."""
    comment = Comment(
        content_type=ContentType.objects.get_for_model(page.specific_class),
        object_pk=str(page.pk),
        site_id=settings.SITE_ID,
        user_name=name,
        user_email=email,
        comment=text,
        submit_date=submit_date or timezone.now(),
        parent_id=parent.pk if parent else 0,
    )
    return store_comment(comment, status=status, role=role)


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
    rows = []
    for entry, _root, _level, _order in placed:
        row = Moderation(
            comment_id=entry.comment.pk,
            status=entry.status,
            reasons=entry.reasons,
            role=entry.role,
            ever_published=entry.status == Status.PUBLISHED,
        )
        cook(row, entry.comment.comment)  # bulk_create sends no pre_save, which cooks a saved row
        rows.append(row)
    Moderation.objects.bulk_create(rows)


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


def edited_by_moderator(comment: XtdComment) -> bool:
    """Whether a moderator edited or redacted `comment`'s text (`edit` with a user): a newer copy
    of the text from elsewhere (an import) must not undo it."""
    return (
        CommentRevision.objects.filter(comment_id=comment.pk)
        .filter(Q(replaced_by__isnull=False) | Q(redacted=True))
        .exists()
    )


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
        comment.is_public = False
        _update_flags(comment, is_public=False)
        comment_requeued.send(
            Moderation, moderation=moderation, comment=comment, reports=moderation.report_count
        )
        send_discussion_changed(comment.content_object)
    return True


def connect() -> None:
    """Give every new comment its moderation row, however it was saved."""
    for model in (XtdComment, Comment):  # a proxy sends its signals with itself as sender
        post_save.connect(_comment_created, sender=model, dispatch_uid=f"moderation-row-{model.__name__}")
