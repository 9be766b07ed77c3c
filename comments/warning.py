"""The warning a writer sees before posting what looks like private health information.

A comment the PHI rules match (rules.phi_matches, the very patterns that would hold it) comes back
to its writer before anything is stored, without JavaScript too: the passages the rules matched are
marked in a copy of their text, in plain words, and the form keeps everything they typed. They may
edit it (and are warned again if it still matches) or post it anyway, when it is held for a
moderator as before and the queue says they were warned (models.Reason.WARNED).

Staff are not warned: their comments are never held, and the staff reply has its own reminder.
"""

from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from .rules import PhiMatch, phi_matches

__all__ = ["MESSAGE", "PhiWarning", "marked", "warning_for"]

MESSAGE = _("This looks like it could identify you or someone else.")


@dataclass(frozen=True)
class PhiWarning:
    """What the warning page shows: the text with its matched passages marked, and their kinds."""

    html: SafeString
    kinds: list[str]


def _merged(matches: list[PhiMatch]) -> list[PhiMatch]:
    """Overlapping matches as one passage (a date inside a record number is one thing to edit)."""
    merged: list[PhiMatch] = []
    for match in matches:
        if merged and match.start < merged[-1].end:
            last = merged[-1]
            merged[-1] = PhiMatch(last.start, max(last.end, match.end), last.kind)
        else:
            merged.append(match)
    return merged


def marked(text: str, matches: list[PhiMatch]) -> SafeString:
    """`text`, escaped, with each matched passage in a <mark> followed by what it looks like (for
    screen readers, which do not announce <mark>); line breaks kept."""
    out: list[str] = []
    position = 0
    for match in _merged(matches):
        out.append(escape(text[position : match.start]))
        out.append(
            f'<mark class="phi-warning__mark">{escape(text[match.start : match.end])}</mark>'
            f'<span class="visually-hidden"> ({escape(str(match.kind))})</span>'
        )
        position = match.end
    out.append(escape(text[position:]))
    return mark_safe("".join(out).replace("\n", "<br>"))  # noqa: S308 - every piece escaped above


def warning_for(text: str) -> PhiWarning | None:
    """The warning for `text`, or None when no PHI rule matches it."""
    matches = phi_matches(text)
    if not matches:
        return None
    kinds = list(dict.fromkeys(match.kind for match in matches))
    return PhiWarning(marked(text, matches), kinds)
