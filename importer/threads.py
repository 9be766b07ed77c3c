"""An export's comments on one post, written through the comments app's public way in.

New comments are stored in bulk (comments.creation.add_comments), judged by its rules as staff
(comments.rules.assess: every reason is recorded, the block list still makes spam) and given their
status by its rule (comments.states.status_for): approved ones are published, unapproved ones wait
with the reason "imported, not approved". A comment that changed in the source is updated through
the moderation steps (comments.moderation), unless what changed was decided here.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import timezone
from django_comments.forms import COMMENT_MAX_LENGTH

from blog.models import BlogPage
from comments import creation, moderation, personal_data, rules
from comments.creation import NewComment
from comments.models import Comment, Discussion, Moderation, Reason, RejectReason, Status
from comments.states import status_for

from .html import plain_text
from .models import ImportedItem
from .records import CommentRecord, PostRecord
from .summary import Summary, comment_digest

__all__ = ["CommentWriter", "scoped_id", "skip_reason", "text_kept_here", "thread_order"]

IMPORTED_REASON = {"code": str(Reason.IMPORTED), "detail": ""}
NAME_LENGTH = 50  # django_comments' user_name column
URL_LENGTH = 200  # django_comments' user_url column


def _email(value: str) -> str:
    value = (value or "").strip().lower()
    try:
        EmailValidator()(value)
    except ValidationError:
        return ""
    return value[:254]


def _url(value: str) -> str:
    value = (value or "").strip()
    if not value or len(value) > URL_LENGTH:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return ""
    return value


def skip_reason(comment: CommentRecord) -> str:
    if comment.kind in ("pingback", "trackback"):
        return comment.kind
    if comment.kind not in ("comment", ""):
        return f"comment of type {comment.kind}"
    if comment.status in ("spam", "trash"):
        return f"comment in {comment.status}"
    return ""


def thread_order(comments: list[CommentRecord]) -> list[CommentRecord]:
    """Parents before their replies, each level oldest first (the order xtd keeps threads in)."""
    by_id = {c.source_id: c for c in comments}
    children: dict[str, list[CommentRecord]] = {}
    roots = []
    for comment in comments:
        parent = (
            comment.parent_id if comment.parent_id in by_id and comment.parent_id != comment.source_id else ""
        )
        if parent:
            children.setdefault(parent, []).append(comment)
        else:
            roots.append(comment)

    def key(comment: CommentRecord):
        return (comment.date or datetime.datetime.max.replace(tzinfo=datetime.UTC), comment.source_id)

    ordered, seen = [], set()
    stack = sorted(roots, key=key, reverse=True)
    while stack:
        comment = stack.pop()
        if comment.source_id in seen:
            continue
        seen.add(comment.source_id)
        ordered.append(comment)
        stack.extend(sorted(children.get(comment.source_id, []), key=key, reverse=True))
    # A cycle of parents (a damaged export) has no root: its comments go at the top level.
    ordered.extend(c for c in comments if c.source_id not in seen)
    return ordered


def scoped_id(post: PostRecord, source_id: str) -> str:
    """A comment's id in the source, qualified by its post's (for an id another post has)."""
    return f"{post.source_id}/{source_id}"[:255]


def reader_text(html: str) -> tuple[str, bool]:
    """A comment's text as a reader would have typed it, held to the comment form's limit
    (`COMMENT_MAX_LENGTH`): (text, whether it was cut)."""
    text = plain_text(html)
    limit = COMMENT_MAX_LENGTH
    return (text[:limit].rstrip(), True) if len(text) > limit else (text, False)


def text_kept_here(comment: Comment, text: str) -> bool:
    """Whether a comment's new text from the source gives way to what was decided here: the
    commenter was erased, or a moderator edited or redacted the text."""
    return personal_data.is_erased(comment) or (
        text != comment.comment and moderation.edited_by_moderator(comment)
    )


class CommentWriter:
    """Writes the comments of one import's posts (`write`), or counts them for a dry run (`plan`)."""

    def __init__(self, source: str, summary: Summary, discussion: Discussion, comment_type):
        self.source = source
        self.summary = summary
        self.discussion = discussion
        self.comment_type = comment_type
        self.max_level = settings.COMMENTS_XTD_MAX_THREAD_LEVEL

    def plan(self, post: PostRecord) -> int:
        """Count, for a dry run, what `write` would do to `post`'s comments; the new ones."""
        known = {
            item.source_id: item
            for item in ImportedItem.objects.filter(
                source=self.source,
                kind=ImportedItem.Kind.COMMENT,
                source_id__in=[c.source_id for c in post.comments],
            )
        }
        new = 0
        for comment in post.comments:
            if comment.source_id in known:
                item = known[comment.source_id]
                if item.digest == comment_digest(comment):
                    self.summary.comments["unchanged"] += 1
                    continue
                stored = Comment.objects.filter(pk=item.object_id).first()
                kept = stored is not None and text_kept_here(stored, plain_text(comment.text))
                self.summary.comments["kept" if kept else "updated"] += 1
            elif reason := skip_reason(comment):
                self.summary.skipped[reason] += 1
            else:
                new += 1
        self.summary.comments["created"] += new
        return new

    def _items(self, post: PostRecord, page: BlogPage) -> tuple[dict[str, ImportedItem], dict[int, Comment]]:
        """`post`'s comments imported before, by their id in the source, and the stored comments.

        Source ids are scoped per post: an export naming one comment id in two posts (damaged or
        hostile) must not overwrite the first post's comment, nor thread a reply under it. A
        comment is remembered under its bare id, or under "<post id>/<comment id>" when the bare
        id is another post's; an item whose comment is on another post is not this post's."""
        ids = [c.source_id for c in post.comments]
        found = ImportedItem.objects.filter(
            source=self.source,
            kind=ImportedItem.Kind.COMMENT,
            source_id__in=ids + [scoped_id(post, i) for i in ids],
        )
        found = {item.source_id: item for item in found}
        pks = [item.object_id for item in found.values()]
        on_page = {
            c.pk: c for c in Comment.objects.for_page(page).filter(pk__in=pks).select_related("moderation")
        }
        elsewhere = set(
            Comment.objects.filter(pk__in=pks).exclude(pk__in=on_page).values_list("pk", flat=True)
        )
        items = {}
        for source_id in ids:
            for key in (scoped_id(post, source_id), source_id):
                item = found.get(key)
                if item is not None and item.object_id not in elsewhere:
                    items[source_id] = item
                    break
        return items, on_page

    def write(self, post: PostRecord, page: BlogPage) -> None:
        """Store `post`'s new comments (in bulk), update the changed ones, skip what is not a comment."""
        if not post.comments:
            return
        items, stored = self._items(post, page)
        taken = set(
            ImportedItem.objects.filter(
                source=self.source,
                kind=ImportedItem.Kind.COMMENT,
                source_id__in=[c.source_id for c in post.comments],
            ).values_list("source_id", flat=True)
        )
        by_source: dict[str, Comment | NewComment] = {
            source_id: stored[item.object_id] for source_id, item in items.items() if item.object_id in stored
        }
        records = {c.source_id: c for c in post.comments}
        new: list[tuple[str, str, NewComment]] = []  # source id, digest, entry
        for record in thread_order(post.comments):
            digest = comment_digest(record)
            known = by_source.get(record.source_id)
            if isinstance(known, Comment):
                item = items[record.source_id]
                if item.digest == digest:
                    self.summary.comments["unchanged"] += 1
                else:
                    self.summary.comments[self._update_comment(known, record)] += 1
                    item.digest = digest
                    item.save(update_fields=["digest", "updated_at"])
                continue
            reason = skip_reason(record)
            if reason:
                self.summary.skipped[reason] += 1
                continue
            parent = self._parent(record, records, by_source)
            entry = self._new_comment(record, page, parent)
            by_source[record.source_id] = entry
            new.append((record.source_id, digest, entry))
        creation.add_comments([entry for _id, _digest, entry in new])
        created = []
        for source_id, digest, entry in new:
            if source_id in items:  # its comment was deleted here since: point at the new one
                ImportedItem.objects.filter(pk=items[source_id].pk).update(
                    object_id=entry.comment.pk, digest=digest
                )
            else:
                created.append(
                    ImportedItem(
                        source=self.source,
                        kind=ImportedItem.Kind.COMMENT,
                        source_id=scoped_id(post, source_id) if source_id in taken else source_id,
                        content_type=self.comment_type,
                        object_id=entry.comment.pk,
                        digest=digest,
                    )  # fmt: skip
                )
        ImportedItem.objects.bulk_create(created)
        self.summary.comments["created"] += len(new)

    def _parent(
        self,
        record: CommentRecord,
        records: dict[str, CommentRecord],
        by_source: dict[str, Comment | NewComment],
    ) -> Comment | NewComment | None:
        """The comment a reply goes under: its parent, or the nearest ancestor that was stored (a
        skipped parent's replies move up), and never one at the deepest level replies may reach:
        then the deepest ancestor that may still take replies."""
        seen = {record.source_id}
        parent_id = record.parent_id
        parent = None
        while parent_id and parent_id not in seen:
            seen.add(parent_id)
            if parent_id in by_source:
                parent = by_source[parent_id]
                break
            parent_id = records[parent_id].parent_id if parent_id in records else ""
        while parent is not None and self._level(parent) >= self.max_level:
            if isinstance(parent, NewComment):
                parent = parent.parent
            else:
                parent = Comment.objects.filter(pk=parent.parent_id).first()
        return parent

    def _text(self, record: CommentRecord) -> str:
        text, cut = reader_text(record.text)
        self.summary.cut += cut
        return text

    def _level(self, comment: Comment | NewComment) -> int:
        if isinstance(comment, Comment):
            return comment.level
        return 0 if comment.parent is None else self._level(comment.parent) + 1

    def _new_comment(
        self,
        record: CommentRecord,
        page: BlogPage,
        parent: Comment | NewComment | None,
    ) -> NewComment:
        comment = Comment(
            site_id=settings.SITE_ID,
            user_name=" ".join(plain_text(record.author).split())[:NAME_LENGTH],
            user_email=_email(record.email),
            user_url=_url(record.url),
            comment=self._text(record),
            submit_date=record.date or page.first_published_at or timezone.now(),
        )
        comment.content_object = page  # sets the type and id, and spares a query per purge check
        # Judged as staff: every reason is recorded, the block list still makes spam.
        verdict = rules.assess(self.discussion, comment, staff=True)
        status = status_for(verdict, approved=record.status == "approved")
        reasons = [IMPORTED_REASON, *verdict.reasons] if status == Status.WAITING else verdict.reasons
        # Readers all: the Author badge belongs to the account linked to an Author snippet
        # (comments.creation.role_for), and an imported comment has no account, only a typed name.
        return NewComment(comment=comment, status=status, reasons=reasons, parent=parent)

    def _update_comment(self, comment: Comment, record: CommentRecord) -> str:
        """A comment that changed in the source since the last import: "updated", or "kept" when
        what changed was decided here. Its text is edited (the old one kept in its history) unless
        a moderator edited or redacted it; its state follows the source only while no moderator
        has decided on it; an erased commenter's comment is never given back its name or text."""
        if personal_data.is_erased(comment):
            return "kept"
        moderation_row: Moderation = comment.moderation
        text = self._text(record)
        kept = text_kept_here(comment, text)
        if text != comment.comment and not kept:
            moderation.edit(moderation_row, None, text)
        Comment.objects.filter(pk=comment.pk).update(
            user_name=" ".join(plain_text(record.author).split())[:NAME_LENGTH],
            user_email=_email(record.email),
            user_url=_url(record.url),
        )
        if moderation_row.decided_at is None:
            self._follow_source_state(moderation_row, record)
        return "kept" if kept else "updated"

    @staticmethod
    def _follow_source_state(moderation_row: Moderation, record: CommentRecord) -> None:
        if record.kind in ("pingback", "trackback") or record.status == "spam":
            if moderation_row.status != Status.SPAM:
                moderation.mark_spam(moderation_row, None)
        elif record.status == "trash":
            if moderation_row.status != Status.REJECTED:
                moderation.reject(moderation_row, None, RejectReason.OTHER)
        elif record.status == "approved" and moderation_row.status == Status.WAITING:
            moderation.approve(moderation_row, None)
