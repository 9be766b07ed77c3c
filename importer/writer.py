"""Turn an export's records into Rounds' posts, comments and redirects.

Each post is written in one transaction with its comments and redirects, so an interrupted import
leaves whole posts behind, never half a discussion. Every item remembers its source id
(`ImportedItem`): a second run over the same file changes nothing, and a newer export updates what
changed in it, except what people decided here since (`_changed_here`, threads.text_kept_here: an
editor's version of a post, a deleted post, a moderator's edit, an erased commenter). Page-cache
purges asked for by the thousands of saves are held and applied once at the end
(pagecache.purging.held); posts are indexed for search in bulk at the end too (media.py).

The posts are here; their comments are threads.py's (through comments' public way in, and its
rules), their old addresses redirects.py's, what was done summary.py's.
"""

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import unquote

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.log_actions import log
from wagtail.models import Page, PageLogEntry, PageViewRestriction, ReferenceIndex, Revision, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from blog.models import RESERVED_SLUGS, Author, BlogIndexPage, BlogPage, BlogPageAuthor
from comments.models import Comment, Discussion
from pagecache.purging import held, purge_all

from .html import body_blocks, first_words, plain_text, summary
from .media import ImageFinder, index_for_search, search_index_deferred
from .models import ImportedItem
from .records import Export, ImportFailed, PostRecord
from .redirects import TAKEN, new_redirects, write_redirects
from .summary import Summary, post_digest
from .threads import CommentWriter

__all__ = ["Importer", "Summary"]

REFUSED_IMAGE = "media file refused (not an image, a symlink or outside the folder)"
LIVE_STATES = ("publish", "private", "future")  # "future": published when its go-live time comes


def _title(post: PostRecord, text: str) -> str:
    """The post's title, or one made from its first words or its date (a post must have one)."""
    title = " ".join(plain_text(post.title).split())
    if not title:
        title = first_words(text)
    if not title and post.date:
        title = f"Post of {post.date:%-d %B %Y}"
    return (title or "Untitled post")[:255]


def _changed_here(item: ImportedItem, page: BlogPage) -> bool:
    """Whether a person (an editor, not the importer, which acts as nobody) edited, published,
    unpublished or moved the post since the import last wrote it: then a newer export does not
    overwrite their version."""
    return PageLogEntry.objects.filter(
        page_id=page.pk, timestamp__gt=item.updated_at, user__isnull=False
    ).exists()


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
        self.comments = CommentWriter(self.source, self.summary, self.discussion, self.comment_type)

    def run(self, progress: Callable[[Iterable], Iterable] = lambda posts: posts) -> Summary:
        with held(), search_index_deferred(BlogPage):
            site = Site.objects.filter(is_default_site=True).first()
            if site and not self.dry_run:  # made on first use, which purges: inside held()
                self.discussion = self.comments.discussion = Discussion.for_site(site)
            for post in progress(self.export.posts):
                self.import_post(post)
            if self.find_image:
                self.summary.images = self.find_image.created
                if self.find_image.refused:
                    self.summary.skipped[REFUSED_IMAGE] += self.find_image.refused
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
        if page is None or item.digest == post_digest(post):
            return
        if _changed_here(item, page):
            self.summary.posts["kept"] += 1
            return
        page.unpublish()
        item.digest = post_digest(post)
        item.save(update_fields=["digest", "updated_at"])  # after the unpublishing it logged
        self.summary.posts["updated"] += 1

    def _item(self, kind: str, source_id: str) -> ImportedItem | None:
        return ImportedItem.objects.filter(source=self.source, kind=kind, source_id=source_id).first()

    def _plan(self, post: PostRecord, item: ImportedItem | None, page: BlogPage | None) -> None:
        if page is None:
            action = "created"
        elif item.digest == post_digest(post):
            action = "unchanged"
        else:
            action = "kept" if _changed_here(item, page) else "updated"
        self.summary.posts[action] += 1
        for name in post.authors:
            if self._author_key(name) not in self.authors:
                self.authors[self._author_key(name)] = Author(name=name)
                self.summary.authors += 1
        made, taken = new_redirects(post, page)
        self.summary.redirects += made
        if taken:
            self.summary.skipped[TAKEN] += taken
        new = self.comments.plan(post)
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
        digest = post_digest(post)
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

    def _write_redirects(self, post: PostRecord, page: BlogPage) -> None:
        made, taken = write_redirects(post, page)
        self.summary.redirects += made
        if taken:
            self.summary.skipped[TAKEN] += taken

    def _write_comments(self, post: PostRecord, page: BlogPage) -> None:
        self.comments.write(post, page)
