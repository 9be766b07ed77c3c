"""Turn an export's records into Rounds' posts, comments and redirects.

Each post is written in one transaction with its comments and redirects, so an interrupted import
leaves whole posts behind, never half a discussion. Every item remembers its source id
(`ImportedItem`): a second run over the same file changes nothing, and a newer export updates what
changed in it, except what people decided here since (`_changed_here`, `_text_kept_here`: an
editor's version of a post, a deleted post, a moderator's edit, an erased commenter). Page-cache
purges asked for by the thousands of saves are held and applied once at the end
(pagecache.purging.held); posts are indexed for search in bulk at the end too.

Comments are stored through the comments app's own path (comments.moderation.store) and judged by
its rules (comments.rules.assess, as staff: every reason is recorded, the block list still makes
spam); approved ones are published, unapproved ones wait with the reason "imported, not approved".
"""

import datetime
import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.text import slugify
from modelsearch.backends import get_search_backends
from modelsearch.signal_handlers import post_save_signal_handler
from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import Page, PageLogEntry, PageViewRestriction, ReferenceIndex, Revision, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from blog.models import RESERVED_SLUGS, Author, BlogIndexPage, BlogPage, BlogPageAuthor
from comments import moderation, personal_data, rules
from comments.models import Comment, Discussion, Moderation, Reason, RejectReason, Status
from comments.moderation import NewComment
from pagecache.purging import held, purge_all

from .html import body_blocks, first_words, plain_text, summary
from .models import ImportedItem
from .records import CommentRecord, Export, ImportFailed, PostRecord

__all__ = ["Importer", "Summary"]

LIVE_STATES = ("publish", "private", "future")  # "future": published when its go-live time comes
IMPORTED_REASON = {"code": str(Reason.IMPORTED), "detail": ""}
NAME_LENGTH = 50  # django_comments' user_name column
URL_LENGTH = 200  # django_comments' user_url column
OLD_PATH_LENGTH = 255  # wagtailredirects' old_path column: a longer path cannot be matched
INDEX_CHUNK = 100  # posts indexed for search at once at the end (and held in memory then)
_RESIZED = re.compile(r"-\d+x\d+(?=\.[a-z0-9]+$)", re.IGNORECASE)  # WordPress's "photo-300x200.jpg"


@dataclass
class Summary:
    """What an import did (or, in a dry run, would do)."""

    dry_run: bool = False
    # created, updated, unchanged, and "kept": changed in the source, but a person here changed it
    # since it was imported, and their version stays.
    posts: Counter = field(default_factory=Counter)
    comments: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)  # reason -> how many items
    redirects: int = 0
    authors: int = 0
    images: int = 0
    planned: list[str] = field(default_factory=list)  # a dry run's line per post

    @property
    def changed(self) -> bool:
        return bool(
            self.posts["created"]
            + self.posts["updated"]
            + self.comments["created"]
            + self.comments["updated"]
        ) or bool(self.redirects)

    def lines(self) -> list[str]:
        would = "would be " if self.dry_run else ""

        def counts(counter: Counter) -> str:
            shown = ", ".join(f"{counter[key]} {would}{key}" for key in ("created", "updated", "unchanged"))
            if counter["kept"]:
                shown += f", {counter['kept']} {would}kept as changed here"
            return shown

        shown = [
            f"Posts: {counts(self.posts)}",
            f"Comments: {counts(self.comments)}",
            f"Redirects: {self.redirects} {would}made",
            f"Authors: {self.authors} {would}created",
        ]
        if self.images:
            shown.append(f"Images: {self.images} {would}imported")
        if self.skipped:
            shown.append(
                "Skipped: " + ", ".join(f"{n} {reason}" for reason, n in sorted(self.skipped.items()))
            )
        else:
            shown.append("Skipped: nothing")
        return shown


def _digest(*values) -> str:
    data = json.dumps(values, default=str, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()


def _post_digest(post: PostRecord) -> str:
    return _digest(
        post.title, post.body_html, post.slug, post.excerpt, post.date, post.authors, post.tags,
        post.status, post.password, post.old_urls,
    )  # fmt: skip


def _comment_digest(comment: CommentRecord) -> str:
    return _digest(
        comment.text, comment.author, comment.email, comment.url, comment.date, comment.status,
        comment.parent_id, comment.kind,
    )  # fmt: skip


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


def _title(post: PostRecord, text: str) -> str:
    """The post's title, or one made from its first words or its date (a post must have one)."""
    title = " ".join(plain_text(post.title).split())
    if not title:
        title = first_words(text)
    if not title and post.date:
        title = f"Post of {post.date:%-d %B %Y}"
    return (title or "Untitled post")[:255]


def _skip_reason(comment: CommentRecord) -> str:
    if comment.kind in ("pingback", "trackback"):
        return comment.kind
    if comment.kind not in ("comment", ""):
        return f"comment of type {comment.kind}"
    if comment.status in ("spam", "trash"):
        return f"comment in {comment.status}"
    return ""


def _thread_order(comments: list[CommentRecord]) -> list[CommentRecord]:
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


def _text_kept_here(comment: Comment, text: str) -> bool:
    """Whether a comment's new text from the source gives way to what was decided here: the
    commenter was erased, or a moderator edited or redacted the text."""
    return personal_data.is_erased(comment) or (
        text != comment.comment and moderation.edited_by_moderator(comment)
    )


def _changed_here(item: ImportedItem, page: BlogPage) -> bool:
    """Whether a person (an editor, not the importer, which acts as nobody) edited, published,
    unpublished or moved the post since the import last wrote it: then a newer export does not
    overwrite their version."""
    return PageLogEntry.objects.filter(
        page_id=page.pk, timestamp__gt=item.updated_at, user__isnull=False
    ).exists()


class ImageFinder:
    """Images for <img src> from a folder (`--media DIR`), matched by file name (and WordPress's
    resized copies by their original's), each imported once."""

    def __init__(self, folder: Path, source: str):
        self.source = source
        self.files: dict[str, Path] = {}
        for directory, _dirs, names in os.walk(folder):
            for name in names:
                self.files.setdefault(name.lower(), Path(directory) / name)
        self.created = 0

    def __call__(self, src: str) -> int | None:
        name = unquote(urlsplit(src).path).rpartition("/")[2].lower()
        path = self.files.get(name) or self.files.get(_RESIZED.sub("", name))
        if path is None:
            return None
        item = ImportedItem.objects.filter(
            source=self.source, kind=ImportedItem.Kind.IMAGE, source_id=path.name
        )
        known = item.values_list("object_id", flat=True).first()
        if known is not None and get_image_model().objects.filter(pk=known).exists():
            return known
        try:
            with path.open("rb") as file:
                image = get_image_model()(title=path.stem[:255], file=ImageFile(file, name=path.name))
                image.save()
        except Exception:  # not an image Wagtail can read: the post keeps a link instead
            return None
        ImportedItem.objects.update_or_create(
            source=self.source,
            kind=ImportedItem.Kind.IMAGE,
            source_id=path.name,
            defaults={"content_type": ContentType.objects.get_for_model(image), "object_id": image.pk},
        )
        self.created += 1
        return image.pk


@contextmanager
def search_index_deferred(model) -> Iterator[None]:
    """Saves of `model` are not indexed for search one by one: the search backend recomputes
    statistics over the whole index on each addition (quadratic over an import), and in
    production each save would be a task. The importer indexes its posts in bulk at the end."""
    post_save.disconnect(post_save_signal_handler, sender=model)
    try:
        yield
    finally:
        post_save.connect(post_save_signal_handler, sender=model)


def index_for_search(model, pks: list[int]) -> None:
    """(Re)index these objects in every search backend that updates itself, a chunk at a time."""
    for start in range(0, len(pks), INDEX_CHUNK):
        objects = list(model.get_indexed_objects().filter(pk__in=pks[start : start + INDEX_CHUNK]))
        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(model, objects)


class Importer:
    """Imports one export under the blog index. `run()` returns the Summary."""

    def __init__(self, export: Export, *, media: Path | None = None, dry_run: bool = False):
        self.export = export
        self.source = export.source[:255]
        self.dry_run = dry_run
        self.index = BlogIndexPage.objects.first()
        if self.index is None:
            raise ImportFailed("there is no blog index to import into: create the blog first")
        self.summary = Summary(dry_run=dry_run)
        self.find_image = ImageFinder(media, self.source) if media and not dry_run else None
        self.post_type = ContentType.objects.get_for_model(BlogPage)
        self.comment_type = ContentType.objects.get_for_model(Comment)
        self.discussion = Discussion()
        # Matched by name, case and spacing aside (a blog has few authors).
        self.authors: dict[str, Author] = {self._author_key(a.name): a for a in Author.objects.all()}
        self.tags: dict[str, str] = {}  # lowercased label -> the tag name used for it
        self.post_pks: list[int] = []  # every post the export names, indexed for search at the end
        self.max_level = settings.COMMENTS_XTD_MAX_THREAD_LEVEL

    def run(self, progress: Callable[[Iterable], Iterable] = lambda posts: posts) -> Summary:
        with held(), search_index_deferred(BlogPage):
            site = Site.objects.filter(is_default_site=True).first()
            if site and not self.dry_run:  # made on first use, which purges: inside held()
                self.discussion = Discussion.for_site(site)
            for post in progress(self.export.posts):
                self.import_post(post)
            if self.find_image:
                self.summary.images = self.find_image.created
            # Unchanged posts too: a run stopped before this line left its posts unindexed.
            index_for_search(BlogPage, self.post_pks)
            if self.summary.changed and not self.dry_run:
                purge_all()  # once, for everything the import touched
        return self.summary

    # Posts

    def import_post(self, post: PostRecord) -> None:
        if post.kind == "missing":  # comments whose post is not in the file (Blogger)
            self.summary.skipped["comment on a post not in the export"] += len(post.comments)
            return
        if post.kind != "post":
            self._skip(post, f"{post.kind} (not a post)")
            return
        if post.status == "trash":
            self._skip(post, "post in trash")
            if not self.dry_run:
                self._withdraw(post)
            return
        item = self._item(ImportedItem.Kind.POST, post.source_id)
        page = BlogPage.objects.filter(pk=item.object_id).first() if item else None
        if item is not None and page is None:  # an editor's decision, which a re-run respects
            self._skip(post, "post deleted here since it was imported")
            return
        if self.dry_run:
            self._plan(post, item, page)
            return
        # Wagtail re-indexes a page's references on every save; a new post is saved several
        # times (page, revision, children), so it is indexed once, when it is complete.
        with transaction.atomic(), disable_reference_index_auto_update():
            page = self._write_post(post, item, page)
            self._write_redirects(post, page)
            self._write_comments(post, page)
            ReferenceIndex.create_or_update_for_object(page)
        self.post_pks.append(page.pk)

    def _skip(self, post: PostRecord, reason: str) -> None:
        self.summary.skipped[reason] += 1
        if post.comments:
            self.summary.skipped["comment on a skipped post"] += len(post.comments)

    def _withdraw(self, post: PostRecord) -> None:
        """A post imported before and trashed in the source since: unpublished here, not deleted,
        unless a person here has changed it since."""
        item = self._item(ImportedItem.Kind.POST, post.source_id)
        page = BlogPage.objects.filter(pk=item.object_id, live=True).first() if item else None
        if page is None or item.digest == _post_digest(post):
            return
        if _changed_here(item, page):
            self.summary.posts["kept"] += 1
            return
        page.unpublish()
        item.digest = _post_digest(post)
        item.save(update_fields=["digest", "updated_at"])  # after the unpublishing it logged
        self.summary.posts["updated"] += 1

    def _item(self, kind: str, source_id: str) -> ImportedItem | None:
        return ImportedItem.objects.filter(source=self.source, kind=kind, source_id=source_id).first()

    def _plan(self, post: PostRecord, item: ImportedItem | None, page: BlogPage | None) -> None:
        if page is None:
            action = "created"
        elif item.digest == _post_digest(post):
            action = "unchanged"
        else:
            action = "kept" if _changed_here(item, page) else "updated"
        self.summary.posts[action] += 1
        for name in post.authors:
            if self._author_key(name) not in self.authors:
                self.authors[self._author_key(name)] = Author(name=name)
                self.summary.authors += 1
        paths = {self._old_path(url) for url in post.old_urls} - {"", "/"}
        self.summary.redirects += len(
            paths - set(Redirect.objects.filter(old_path__in=paths).values_list("old_path", flat=True))
        )
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
                if item.digest == _comment_digest(comment):
                    self.summary.comments["unchanged"] += 1
                    continue
                stored = Comment.objects.filter(pk=item.object_id).first()
                kept = stored is not None and _text_kept_here(stored, plain_text(comment.text))
                self.summary.comments["kept" if kept else "updated"] += 1
            elif reason := _skip_reason(comment):
                self.summary.skipped[reason] += 1
            else:
                new += 1
        self.summary.comments["created"] += new
        title = _title(post, plain_text(post.body_html))
        self.summary.planned.append(
            f"{action}: {title!r} (source id {post.source_id}), {new} new comment{'s' * (new != 1)}"
        )

    @staticmethod
    def _author_key(name: str) -> str:
        return " ".join(name.lower().split())

    def _author(self, name: str) -> Author:
        key = self._author_key(name)
        if key not in self.authors:
            clean = " ".join(name.split())[:120]
            base = slugify(clean)[:110] or "author"
            slug, n = base, 1
            while Author.objects.filter(slug=slug).exists():
                n += 1
                slug = f"{base}-{n}"
            self.authors[key] = Author.objects.create(name=clean, slug=slug)
            ReferenceIndex.create_or_update_for_object(self.authors[key])  # saved while it is held
            self.summary.authors += 1
        return self.authors[key]

    def _tag_names(self, labels: list[str]) -> list[str]:
        """Labels as tag names, reusing an existing tag written in another case ("Staff", "staff")."""
        names = []
        for label in labels:
            label = " ".join(label.split())[:100]
            if label.lower() not in self.tags:
                existing = Tag.objects.filter(name__iexact=label).values_list("name", flat=True).first()
                self.tags[label.lower()] = existing or label
            name = self.tags[label.lower()]
            if name and name.lower() not in {n.lower() for n in names}:
                names.append(name)
        return names

    def _free_slug(self, wanted: str, title: str, source_id: str) -> str:
        base = slugify(unquote(wanted), allow_unicode=True)[:240] or slugify(title, allow_unicode=True)[:240]
        if not base or base in RESERVED_SLUGS or base.isdigit():
            base = f"post-{slugify(source_id)}" if base else f"post-{slugify(source_id) or 'imported'}"
        siblings = self.index.get_children()
        slug, n = base, 1
        while slug in RESERVED_SLUGS or siblings.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        return slug

    def _fill(self, page: BlogPage, post: PostRecord) -> None:
        blocks = body_blocks(post.body_html, self.find_image)
        text = plain_text(post.body_html)
        page.title = _title(post, text)
        page.intro = summary(plain_text(post.excerpt) or text) or page.title[:300]
        page.body = json.dumps(blocks)
        when = post.date or timezone.now()
        page.date = timezone.localtime(when).date()
        # A draft was never published: Wagtail sets the date when it first is.
        page.first_published_at = post.date if post.status in LIVE_STATES else None
        page.go_live_at = (
            post.date if post.status == "future" and post.date and post.date > timezone.now() else None
        )
        page.post_authors = [
            BlogPageAuthor(author=self._author(name)) for name in post.authors if name.strip()
        ]
        page.tags.set(self._tag_names(post.tags))

    def _write_post(self, post: PostRecord, item: ImportedItem | None, page: BlogPage | None) -> BlogPage:
        digest = _post_digest(post)
        if page is not None and item.digest == digest:
            self.summary.posts["unchanged"] += 1
            return page
        if page is not None and _changed_here(item, page):
            self.summary.posts["kept"] += 1
            return page
        if page is None:
            page = self._create_page(post)
            self.summary.posts["created"] += 1
        else:
            self._fill(page, post)
            self._restrict(page, post)
            revision = page.save_revision()
            if post.status in LIVE_STATES:
                revision.publish()  # a future go_live_at makes it scheduled, not live
            elif page.live:
                page.unpublish()
            self.summary.posts["updated"] += 1
        if item is None:
            ImportedItem.objects.create(
                source=self.source,
                kind=ImportedItem.Kind.POST,
                source_id=post.source_id,
                content_type=self.post_type,
                object_id=page.pk,
                digest=digest,
            )
        else:  # after the revision and publishing it logged: _changed_here compares with it
            item.digest = digest
            item.save(update_fields=["digest", "updated_at"])
        return page

    def _create_page(self, post: PostRecord) -> BlogPage:
        """A new post, saved once in its final state (live or draft) with its first revision.

        Publishing through revision.publish() would save the page three times, each save
        re-indexing it for search and references; a new page has nothing to compare with, so it
        is written as publishing would leave it. Scheduled posts do go through publish(), which
        is what records their go-live time on the revision.
        """
        page = BlogPage(
            slug=self._free_slug(post.slug, post.title or plain_text(post.body_html), post.source_id)
        )
        self._fill(page, post)
        scheduled = page.go_live_at is not None
        page.live = post.status in LIVE_STATES and not scheduled
        page.has_unpublished_changes = not page.live
        if page.live:
            page.first_published_at = page.first_published_at or timezone.now()
            page.last_published_at = page.first_published_at
        self.index.add_child(instance=page)
        if post.status == "private" or post.password:
            self._restrict(page, post)
        if scheduled:
            page.save_revision().publish()
            return page
        revision = Revision.objects.create(
            content_object=page,
            base_content_type=page.get_base_content_type(),
            content=page.serializable_data(),
            object_str=str(page),
        )
        Page.objects.filter(pk=page.pk).update(
            latest_revision=revision, live_revision=revision if page.live else None
        )
        page.latest_revision, page.live_revision = revision, revision if page.live else None
        # Page.save() logged "wagtail.create" as add_child() saved it.
        if page.live:
            log(instance=page, action="wagtail.publish", revision=revision, content_changed=True)
        return page

    def _restrict(self, page: BlogPage, post: PostRecord) -> None:
        """Private posts are for logged-in users; a WordPress password becomes Wagtail's."""
        wanted = None
        if post.status == "private":
            wanted = (PageViewRestriction.LOGIN, "")
        elif post.password:
            wanted = (PageViewRestriction.PASSWORD, post.password[:255])
        existing = PageViewRestriction.objects.filter(page=page)
        if wanted is None:
            existing.delete()
            return
        if not existing.filter(restriction_type=wanted[0], password=wanted[1]).exists():
            existing.delete()
            PageViewRestriction.objects.create(page=page, restriction_type=wanted[0], password=wanted[1])

    # Redirects

    @staticmethod
    def _old_path(url: str) -> str:
        try:
            return Redirect.normalise_path(url)
        except ValueError:
            return ""

    def _write_redirects(self, post: PostRecord, page: BlogPage) -> None:
        new_path = Redirect.normalise_path(page.url or "")
        for url in post.old_urls:
            path = self._old_path(url)
            if not path or path in ("/", new_path) or len(path) > OLD_PATH_LENGTH:
                continue
            _redirect, created = Redirect.objects.get_or_create(
                old_path=path, site=None, defaults={"redirect_page": page, "is_permanent": True}
            )
            self.summary.redirects += created

    # Comments

    def _write_comments(self, post: PostRecord, page: BlogPage) -> None:
        if not post.comments:
            return
        ids = [c.source_id for c in post.comments]
        items = {
            item.source_id: item
            for item in ImportedItem.objects.filter(
                source=self.source, kind=ImportedItem.Kind.COMMENT, source_id__in=ids
            )
        }
        stored = {
            c.pk: c
            for c in Comment.objects.filter(pk__in=[i.object_id for i in items.values()]).select_related(
                "moderation"
            )
        }
        by_source: dict[str, Comment | NewComment] = {
            source_id: stored[item.object_id] for source_id, item in items.items() if item.object_id in stored
        }
        records = {c.source_id: c for c in post.comments}
        new: list[tuple[str, str, NewComment]] = []  # source id, digest, entry
        for record in _thread_order(post.comments):
            digest = _comment_digest(record)
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
            reason = _skip_reason(record)
            if reason:
                self.summary.skipped[reason] += 1
                continue
            parent = self._parent(record, records, by_source)
            entry = self._new_comment(record, page, parent)
            by_source[record.source_id] = entry
            new.append((record.source_id, digest, entry))
        moderation.store_many([entry for _id, _digest, entry in new])
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
                        source_id=source_id,
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
            comment=plain_text(record.text),
            submit_date=record.date or page.first_published_at or timezone.now(),
        )
        comment.content_object = page  # sets the type and id, and spares a query per purge check
        verdict = rules.assess(self.discussion, comment, staff=True)
        if verdict.spam:
            status, reasons = Status.SPAM, verdict.reasons
        elif record.status == "approved":
            status, reasons = Status.PUBLISHED, verdict.reasons
        else:
            status, reasons = Status.WAITING, [IMPORTED_REASON, *verdict.reasons]
        # Readers all: the Author badge belongs to the account linked to an Author snippet
        # (moderation.role_for), and an imported comment has no account, only a typed name.
        return moderation.NewComment(comment=comment, status=status, reasons=reasons, parent=parent)

    def _update_comment(self, comment: Comment, record: CommentRecord) -> str:
        """A comment that changed in the source since the last import: "updated", or "kept" when
        what changed was decided here. Its text is edited (the old one kept in its history) unless
        a moderator edited or redacted it; its state follows the source only while no moderator
        has decided on it; an erased commenter's comment is never given back its name or text."""
        if personal_data.is_erased(comment):
            return "kept"
        moderation_row: Moderation = comment.moderation
        text = plain_text(record.text)
        kept = _text_kept_here(comment, text)
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
