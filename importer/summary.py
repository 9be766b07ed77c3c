"""What an import did, and the digests that tell a record changed since the last run."""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field

from django_comments.forms import COMMENT_MAX_LENGTH

from .records import CommentRecord, PostRecord

__all__ = ["Summary", "comment_digest", "digest", "post_digest"]


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
    cut: int = 0  # comments longer than the comment form allows, cut at its limit
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
        if self.cut:
            shown.append(
                f"Comments cut to {COMMENT_MAX_LENGTH} characters (the comment form's limit): {self.cut}"
            )
        if self.images:
            shown.append(f"Images: {self.images} {would}imported")
        if self.skipped:
            shown.append(
                "Skipped: " + ", ".join(f"{n} {reason}" for reason, n in sorted(self.skipped.items()))
            )
        else:
            shown.append("Skipped: nothing")
        return shown


def digest(*values) -> str:
    data = json.dumps(values, default=str, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()


def post_digest(post: PostRecord) -> str:
    return digest(
        post.title, post.body_html, post.slug, post.excerpt, post.date, post.authors, post.tags,
        post.status, post.password, post.old_urls,
    )  # fmt: skip


def comment_digest(comment: CommentRecord) -> str:
    return digest(
        comment.text, comment.author, comment.email, comment.url, comment.date, comment.status,
        comment.parent_id, comment.kind,
    )  # fmt: skip
