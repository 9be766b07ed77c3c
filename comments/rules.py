"""Why a comment is held: every moderation rule, and the verdict they reach together (`assess`).

Every rule that matches is recorded, whatever the mode, so a moderator sees why a comment needs
care: a comment held for "possible private health information" is read differently from one held
for a link. The codes and their labels are `models.Reason`; the policy the rules read is the
site's `Discussion` setting.

Known emails: in "publish unless held" mode a reader whose email has had a comment approved is
published at once, but only with proof that the email is theirs, since anyone can type any
address. The proof is a signed cookie (`remember_email`) set in the reader's browser when they
confirm the email through the emailed link, or open their "posted" page once the comment it
shows was approved; `has_email_proof` reads it from the request.
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.crypto import salted_hmac

from core.text import fold, lines

from .models import Comment, Discussion, Reason

__all__ = [
    "Verdict",
    "assess",
    "count_links",
    "PhiMatch",
    "find_phi",
    "phi_matches",
    "has_email_proof",
    "matching_phrases",
    "remember_email",
]

# The proof cookie: signed, HttpOnly, a year. It holds keyed digests of the emails, never the
# emails themselves, and the last few a browser proved (a family may share one computer).
PROOF_COOKIE = "rounds_known_email"
PROOF_SALT = "rounds.comments.known-email"
PROOF_MAX_AGE = 365 * 24 * 60 * 60
PROOF_MAX_EMAILS = 5

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_MESES = (
    r"(?:ene(?:ro)?|feb(?:rero)?|mar(?:zo)?|abr(?:il)?|may(?:o)?|jun(?:io)?|jul(?:io)?|ago(?:sto)?"
    r"|sep(?:t(?:iembre)?)?|set(?:iembre)?|oct(?:ubre)?|nov(?:iembre)?|dic(?:iembre)?)"
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
    # Spanish: readers write as they speak, so the same kinds in Spanish words and formats.
    (
        "phone number",
        re.compile(
            # Spain: 612 34 56 78, 612 345 678, 91 123 45 67, with or without +34.
            r"(?<![\d-])(?:\+?34[\s.-]?)?(?:[6789]\d{2}(?:[\s.-]\d{2}){3}|[6789]\d{2}(?:[\s.-]\d{3}){2}"
            r"|[89]\d(?:[\s.-]\d{3})(?:[\s.-]\d{2}){2})(?![\d-])"
            # Mexico and Latin America: 55 1234 5678, +52 55 1234 5678, 1234-5678 after a cue word.
            r"|(?<![\d-])(?:\+?52[\s.-]?)?(?:\(?\d{2,3}\)?[\s.-])\d{4}[\s.-]\d{4}(?![\d-])"
            r"|\b(?:tel[eé]fono|tel\.|celular|m[oó]vil|whatsapp)\s*:?\s*\+?\d[\d\s.-]{6,}\d",
            re.IGNORECASE,
        ),
    ),
    (
        "date",
        re.compile(
            rf"\b\d{{1,2}}\s+de\s+{_MESES}\.?,?\s+(?:de(?:l)?\s+)?\d{{4}}\b"
            rf"|\b{_MESES}\.?\s+\d{{1,2}},?\s+(?:de(?:l)?\s+)?\d{{4}}\b",
            re.IGNORECASE,
        ),
    ),
    (
        "record or account number",
        re.compile(
            r"\b(?:fecha de nacimiento|f\.\s?(?:de\s)?nac\.?|nacid[oa] el|nac[ií] el|naci[oó] el"
            r"|historia cl[ií]nica|expediente (?:m[eé]dico|cl[ií]nico)|n[uú]mero de (?:historia|expediente"
            r"|registro|paciente|afiliaci[oó]n|afiliado|seguro|p[oó]liza|cuenta|cama|habitaci[oó]n)"
            r"|nhc|nss|seguro social|curp|habitaci[oó]n \d+|cuarto \d+|cama \d+)\b"
            r"|\b(?:n[uú]m\.?|no\.|n\.?º)\s*(?:de\s+)?(?:expediente|historia|registro|afiliaci[oó]n|p[oó]liza)",
            re.IGNORECASE,
        ),
    ),
    (
        # A diagnosis tied to the writer or someone they name is health information in any language.
        "diagnosis",
        re.compile(
            r"\b(?:me|le|lo|la|les|nos)\s+diagnosticaron\b|\bdiagnosticad[oa]s?\s+(?:con|de)\b"
            r"|\bmi\s+diagn[oó]stico\b|\bsu\s+diagn[oó]stico\b|\bdiagn[oó]stico\s+de\b"
            r"|\bdiagnosed with\b|\bmy diagnosis\b",
            re.IGNORECASE,
        ),
    ),
]
_LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


@dataclass(frozen=True)
class PhiMatch:
    """One passage a PHI pattern matched: where it is in the text and what it looks like."""

    start: int
    end: int
    kind: str


def phi_matches(text: str) -> list[PhiMatch]:
    """Every passage of `text` the PHI patterns match, in the order of the text: what the writer's
    warning marks (comments/warning.py). The same patterns as `find_phi`, so the warning marks
    exactly what would hold the comment."""
    found = [
        PhiMatch(match.start(), match.end(), kind)
        for kind, pattern in PHI_PATTERNS
        for match in pattern.finditer(text)
        if match.end() > match.start()
    ]
    return sorted(found, key=lambda m: (m.start, -m.end))


def find_phi(text: str) -> list[str]:
    """The kinds of private health identifier the text seems to contain, in a stable order."""
    return list(dict.fromkeys(kind for kind, pattern in PHI_PATTERNS if pattern.search(text)))


def _email_digest(email: str) -> str:
    return salted_hmac(PROOF_SALT, email.strip().lower()).hexdigest()[:32]


def _proven_digests(request: HttpRequest) -> list[str]:
    value = request.get_signed_cookie(PROOF_COOKIE, default="", salt=PROOF_SALT, max_age=PROOF_MAX_AGE)
    return [digest for digest in value.split(",") if digest][:PROOF_MAX_EMAILS]


def has_email_proof(request: HttpRequest, email: str) -> bool:
    """Whether this browser proved it owns `email` (a forged, expired or absent cookie: no)."""
    email = (email or "").strip()
    return bool(email) and _email_digest(email) in _proven_digests(request)


def remember_email(request: HttpRequest, response: HttpResponseBase, email: str) -> None:
    """Give this browser proof of owning `email`, for a year (kept with the others it proved).

    The cookie changes no page's HTML and is not one the page cache looks at, so a reader who
    carries it still gets cached pages; the responses that set it are never cached.
    """
    email = (email or "").strip()
    if not email:
        return
    digest = _email_digest(email)
    kept = [d for d in _proven_digests(request) if d != digest]
    response.set_signed_cookie(
        PROOF_COOKIE,
        ",".join([digest, *kept][:PROOF_MAX_EMAILS]),
        salt=PROOF_SALT,
        max_age=PROOF_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE or request.is_secure(),
        httponly=True,
        samesite="Lax",
    )


def count_links(text: str) -> int:
    return len(_LINK.findall(text))


def matching_phrases(text: str, phrases: list[str]) -> list[str]:
    """Phrases from a moderator's list found in the text, as whole words, ignoring case and accents
    (but not ñ: core.text.fold), so a Spanish word typed without its accent still matches."""
    lowered = fold(" ".join(text.split()))
    found = []
    for phrase in phrases:
        if re.search(rf"(?<!\w){re.escape(fold(phrase))}(?!\w)", lowered):
            found.append(phrase)
    return found


@dataclass
class Verdict:
    """What the rules decided about a new comment: published, held, or spam, and why."""

    reasons: list[dict] = field(default_factory=list)
    hold: bool = False
    spam: bool = False

    def add(self, code: Reason, detail: str = "", *, hold: bool = True) -> None:
        self.reasons.append({"code": str(code), "detail": detail})
        self.hold = self.hold or hold

    @property
    def codes(self) -> list[str]:
        return [reason["code"] for reason in self.reasons]


def assess(
    discussion: Discussion, comment: Comment, *, staff: bool, email_proven: bool = False, warned: bool = False
) -> Verdict:
    """Run every rule over a new comment under the site's policy.

    Staff are never held (their reasons are still recorded for the record), but the block list
    applies to everyone: a blocked phrase is spam whoever typed it. A reader is known, and not
    held as a first-time commenter, only with proof of owning the email (`email_proven`, from
    `has_email_proof`) and an approved comment under it. `warned`: the writer was shown the PHI
    warning and chose to post anyway, which the moderator is told beside the PHI reason.
    """
    verdict = Verdict()
    text = f"{comment.user_name}\n{comment.comment}"
    blocked = matching_phrases(text, lines(discussion.block_words, lower=True))
    if blocked:
        verdict.add(Reason.BLOCKED, ", ".join(blocked))
        verdict.spam = True
    if not staff:
        if discussion.mode == Discussion.Mode.HOLD_ALL:
            verdict.add(Reason.POLICY)
        elif not (email_proven and Comment.objects.is_known_email(comment.user_email)):
            verdict.add(Reason.FIRST_TIME)
    links = count_links(comment.comment)
    if links > discussion.max_links:
        verdict.add(Reason.LINKS, str(links), hold=not staff)
    held_words = matching_phrases(text, lines(discussion.hold_words, lower=True))
    if held_words:
        verdict.add(Reason.HOLD_WORD, ", ".join(held_words), hold=not staff)
    phi = find_phi(comment.comment)
    if phi:
        verdict.add(Reason.PHI, ", ".join(phi), hold=not staff)
        if warned:
            verdict.add(Reason.WARNED, hold=not staff)
    return verdict
