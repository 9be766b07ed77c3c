"""The two rules that turn one description of a comment's state into another, written once.

- A moderation status and django-contrib-comments' two flags (`is_public`, `is_removed`), which
  every page reads: `flags_for` one way, `status_from_flags` the other (for a comment saved
  without a status, from a shell or xtd's own API).
- The rules' verdict and the status a new comment is stored with: `status_for`. The reader's form
  and the staff reply are published unless held; an import also waits when the source had not
  approved the comment.

A leaf: creation.py, moderation.py and the importer all read these, none of them restates them.
"""

from django_comments_xtd.models import XtdComment

from .models import Status
from .rules import Verdict

__all__ = ["flags_for", "status_for", "status_from_flags"]


def flags_for(status: str) -> dict[str, bool]:
    """The flags a comment with this status carries: shown only when published, removed when
    rejected or spam (held comments are neither: they may still be shown)."""
    return {
        "is_public": status == Status.PUBLISHED,
        "is_removed": status in (Status.REJECTED, Status.SPAM),
    }


def status_from_flags(comment: XtdComment) -> str:
    """The moderation status a comment's own flags say (removed reads as rejected: spam cannot be
    told apart from the flags alone)."""
    if comment.is_removed:
        return Status.REJECTED
    return Status.PUBLISHED if comment.is_public else Status.WAITING


def status_for(verdict: Verdict, *, approved: bool = True) -> str:
    """What a new comment is stored as: spam whatever else is true, else waiting when the rules
    hold it or its source had not approved it (`approved`, an import), else published."""
    if verdict.spam:
        return Status.SPAM
    if verdict.hold or not approved:
        return Status.WAITING
    return Status.PUBLISHED
