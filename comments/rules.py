"""The moderation rules: which comments are held, which are spam, and why.

Every rule that matches is recorded, whatever the mode, so a moderator sees why a comment needs
care: a comment held for "possible private health information" is read differently from one held
for a link.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

__all__ = ["REASON_LABELS", "Verdict", "find_phi", "count_links", "matching_phrases"]

REASON_LABELS = {
    "policy": _("Every reader comment is held for review"),
    "first_time": _("First-time commenter"),
    "links": _("Too many links"),
    "hold_word": _("Matches the hold list"),
    "phi": _("Possible private health information"),
    "reported": _("Reported by readers"),
    "blocked": _("Matches the block list"),
}

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_STREET = (
    r"(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl"
    r"|terrace|circle|highway|hwy)"
)
# HIPAA Safe Harbor identifiers that can appear in free text. Each pattern names what it found,
# so the moderator reads "phone number" rather than a bare flag.
PHI_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("social security number", re.compile(r"(?<!\d)\d{3}-\d{2}-\d{4}(?!\d)")),
    (
        "phone number",
        re.compile(r"(?<![\d-])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])?\d{3}[\s.-]\d{4}(?![\d-])"),
    ),
    # The lookbehind lets a match start only where a word starts: without it a 3,000-character
    # word without "@" is rescanned from every position (quadratic: 60 ms and more).
    ("email address", re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    (
        "date",
        re.compile(
            r"(?<!\d)\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})(?![\d/.-])"
            r"|(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)"
            rf"|\b{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"
            rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\.?,?\s+\d{{4}}\b",
            re.IGNORECASE,
        ),
    ),
    (
        "record or account number",
        re.compile(
            r"\b(?:mrn|dob|d\.o\.b\.?|date of birth|born on|medical record|record number|chart number"
            r"|account (?:number|no)|acct|patient id|member id|beneficiary|policy number|ssn"
            r"|social security|room (?:number|no\.?|#)|room \d+|bed \d+)\b"
            r"|\b(?:account|acct|medicare|medicaid|insurance|member|subscriber|policy|plan)\s*"
            r"(?:#|(?:number|no|id)\b)"
            r"|(?<![\d.,])\d{6,}(?![\d.,%])",
            re.IGNORECASE,
        ),
    ),
    (
        "street address",
        re.compile(rf"\b\d{{1,5}}\s+(?:[A-Za-z][A-Za-z'-]*\s+){{1,3}}{_STREET}\b\.?", re.IGNORECASE),
    ),
    ("IP address", re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")),
]
_LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


def find_phi(text: str) -> list[str]:
    """The kinds of private health identifier the text seems to contain, in a stable order."""
    return [kind for kind, pattern in PHI_PATTERNS if pattern.search(text)]


def count_links(text: str) -> int:
    return len(_LINK.findall(text))


def matching_phrases(text: str, phrases: list[str]) -> list[str]:
    """Phrases from a moderator's list found in the text, as whole words, ignoring case."""
    lowered = " ".join(text.lower().split())
    found = []
    for phrase in phrases:
        if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", lowered):
            found.append(phrase)
    return found


@dataclass
class Verdict:
    """What the rules decided about a new comment: published, held, or spam, and why."""

    reasons: list[dict] = field(default_factory=list)
    hold: bool = False
    spam: bool = False

    def add(self, code: str, detail: str = "", *, hold: bool = True) -> None:
        self.reasons.append({"code": code, "detail": detail})
        self.hold = self.hold or hold

    @property
    def codes(self) -> list[str]:
        return [reason["code"] for reason in self.reasons]
