"""The one way in for a new comment: `add_comment`, and `add_comments` beside it for a batch (an
import). The reader's form, the staff reply, the importer, the demo, the benchmarks and the tests'
factories all store through them.

A caller says what the comment is (`NewComment`: the unsaved comment, its status, reasons, role,
who posted it); `judge` makes one from the rules' verdict for the reader's form and the staff
reply, and `comment_for` builds the unsaved comment for content the site makes itself. Then
`add_comment` stores it with its moderation row in one transaction and calls what follows by name:
the moderators' mail when asked (`notify`, tasks.mail_posted), then, for a published comment, the
one purge of its post (purges.discussion_changed).

Every comment has its moderation row, whatever made it. A post_save receiver (`connect`, from
CommentsConfig.ready()) gives a row, read from the comment's flags, to a comment saved any other
way (a shell, a data migration, xtd's own API); `ensure_moderation` makes one for a comment stored
before the invariant held. Fixtures (raw saves) bring their own rows; `add_comments` writes them
in bulk itself.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from core.http import reader_key_for

from . import purges, rules, signals, tasks
from .models import Comment, Discussion, Moderation, Role, Status
from .states import flags_for, status_for, status_from_flags
from .threads import store_new_threads

__all__ = [
    "NewComment",
    "add_comment",
    "add_comments",
    "comment_for",
    "connect",
    "ensure_moderation",
    "is_staff",
    "judge",
    "role_for",
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


@dataclass(eq=False)  # compared by identity: a batch finds an entry's parent among its own
class NewComment:
    """A comment to store and the moderation state it is stored in.

    `parent`: the comment it answers, a stored comment or (in `add_comments`) another NewComment
    earlier in the same batch; None keeps `comment.parent_id` as it is. `reader`: who posted it,
    for the rate limits (core.http.reader_key); None reads it from `comment.ip_address`.
    `email_proven`: the commenter proved owning the email (rules.has_email_proof).
    `wants_notices`: they asked to be told what happens to it (signals.reader_news).
    `question`: a question for the hospital."""

    comment: Comment
    status: str = Status.PUBLISHED
    reasons: list[dict] = field(default_factory=list)
    role: str = Role.READER
    parent: "Comment | NewComment | None" = None
    reader: str | None = None
    email_proven: bool = False
    wants_notices: bool = False
    question: bool = False


def comment_for(
    page,
    text: str,
    *,
    parent: Comment | None = None,
    name: str = "",
    email: str = "",
    submit_date: datetime.datetime | None = None,
) -> Comment:
    """An unsaved comment on `page`, for content the site makes itself (demo data, benchmarks)."""
    return Comment(
        content_type=ContentType.objects.get_for_model(page.specific_class),
        object_pk=str(page.pk),
        site_id=settings.SITE_ID,
        user_name=name,
        user_email=email,
        comment=text,
        submit_date=submit_date or timezone.now(),
        parent_id=parent.pk if parent else 0,
    )


def judge(
    comment: Comment,
    *,
    page,
    discussion: Discussion,
    user=None,
    reader: str | None = None,
    email_proven: bool = False,
    wants_notices: bool = False,
    warned: bool = False,
    question: bool = False,
) -> NewComment:
    """A comment someone posts (the reader's form, the staff reply), in the state the rules give
    it (rules.assess, then states.status_for), with its author's role and account. `warned`: the
    writer saw the PHI warning and posted anyway; `question`: the writer ticked "a question for
    the hospital"."""
    if user is not None and user.is_authenticated:
        comment.user = user
    verdict = rules.assess(
        discussion, comment, staff=is_staff(user), email_proven=email_proven, warned=warned
    )
    return NewComment(
        comment=comment,
        status=status_for(verdict),
        reasons=verdict.reasons,
        role=role_for(user, page),
        reader=reader,
        email_proven=email_proven,
        wants_notices=wants_notices and bool(comment.user_email),
        question=question,
    )


def _moderation_row(entry: NewComment) -> Moderation:
    comment = entry.comment
    reader = entry.reader
    if reader is None:
        reader = reader_key_for(comment.ip_address) if comment.ip_address else ""
    return Moderation(
        status=entry.status,
        reasons=list(entry.reasons),
        role=entry.role,
        ever_published=entry.status == Status.PUBLISHED,
        reader=reader,
        email_proven=entry.email_proven and bool(comment.user_email),
        wants_notices=entry.wants_notices and bool(comment.user_email),
        question=entry.question,
    )


def _store(entry: NewComment) -> Comment:
    """xtd's own save (which places the comment in its thread), with the row the receiver saves."""
    comment = entry.comment
    if isinstance(entry.parent, Comment):
        comment.parent_id = entry.parent.pk
    for name, value in flags_for(entry.status).items():
        setattr(comment, name, value)
    comment._pending_moderation = _moderation_row(entry)
    setattr(comment, purges.CALLER_PURGES, True)  # for these saves only: a later save() purges
    try:
        with transaction.atomic():
            comment.save()
    finally:
        setattr(comment, purges.CALLER_PURGES, False)
    return comment


def add_comment(entry: NewComment, *, notify: bool = False) -> Comment:
    """Store one new comment and its moderation row in one transaction, then what follows it:
    with `notify` (someone posted it), the moderators' and reply mail (tasks.mail_posted, queued
    in the same transaction); once it commits, if published, one purge of the pages that show it
    (purges.discussion_changed). It judges nothing: `judge` does, for what people post. A staff
    reply tells the apps above that staff answered the reader (signals.reader_news)."""
    with transaction.atomic():
        comment = _store(entry)
        if notify:
            tasks.mail_posted(comment)
            if entry.role != Role.READER and comment.is_reply and entry.status == Status.PUBLISHED:
                parent = Comment.objects.filter(pk=comment.parent_id).first()
                if parent is not None:
                    signals.send_reader_news(parent, "staff_reply", reply=comment)
    if entry.status == Status.PUBLISHED:
        purges.discussion_changed(comment.content_object)
    return comment


def add_comments(entries: Sequence[NewComment]) -> list[Comment]:
    """Store many new comments at once (an import), each exactly as `add_comment` would, in one
    transaction and a few queries for the whole batch. It mails nobody and purges nothing: the
    caller purges what it touched once (the importer purges every page at the end).

    Wholly new threads are written in bulk (threads.py); a reply to a comment stored before takes
    xtd's own path, since xtd renumbers that thread.
    """
    fresh: list[NewComment] = []
    with transaction.atomic():
        for entry in entries:
            if isinstance(entry.parent, NewComment) and entry.parent not in fresh:
                entry.parent = entry.parent.comment  # its thread was stored one by one: so is this reply
            if isinstance(entry.parent, Comment):
                _store(entry)
            else:
                fresh.append(entry)
        store_new_threads(fresh, [_moderation_row(entry) for entry in fresh])
    return [entry.comment for entry in entries]


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


def connect() -> None:
    """Give every new comment its moderation row, however it was saved."""
    for model in (XtdComment, Comment):  # a proxy sends its signals with itself as sender
        post_save.connect(_comment_created, sender=model, dispatch_uid=f"moderation-row-{model.__name__}")
