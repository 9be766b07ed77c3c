"""The content checker's plain-language checks: our rules added to Wagtail's userbar checker.

Wagtail's checker runs axe-core in the previewed page. Our item adds three rules whose checks
(registered by static/plainlanguage/js/checker.js) only read what the Python analysis computed:
the result travels in the axe configuration (each check's `options`) and, in full, as JSON beside
it for the panel the script adds to the checker's dialog. Nothing is recomputed in JavaScript.

In the page editor's side panel the configuration comes from the saved page, while the checks run
in the preview of the unsaved one: the messages there say what to look at, not figures that could
be stale; the figures come from the preview itself.
"""

from django.forms import Media
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.userbar import ContentCheckerItem

from .analysis import Analysis

__all__ = ["RULES", "PlainLanguageCheckerItem"]

JARGON, LEVEL, LONG = "plain-language-jargon", "plain-language-reading-level", "plain-language-long-sentences"
RULES = (JARGON, LEVEL, LONG)
# The node a page-level finding points at, as Wagtail's own meta-description rule does.
PAGE_NODE = "h1"
LISTED_TERMS = 5


def _quote(text: str) -> str:
    return f"“{text}”"


class PlainLanguageCheckerItem(ContentCheckerItem):
    template_name = "plainlanguage/userbar_item.html"

    def __init__(self, analysis: Analysis, in_editor: bool = False) -> None:
        super().__init__(in_editor=in_editor)
        self.analysis = analysis

    @property
    def media(self) -> Media:
        return Media(js=["plainlanguage/js/checker.js"])

    def failing(self) -> dict[str, bool]:
        return {
            JARGON: self.analysis.undefined_count > 0,
            LEVEL: self.analysis.over_target,
            LONG: self.analysis.long_sentence_count > 0,
        }

    def get_axe_run_only(self, request):
        run_only = super().get_axe_run_only(request)
        return [*run_only, *RULES] if run_only else run_only

    def get_axe_custom_rules(self, request):
        ours = [
            {"id": rule, "impact": "moderate", "selector": PAGE_NODE, "tags": ["best-practice"],
             "any": [f"{rule}-check"], "enabled": True}
            for rule in RULES
        ]  # fmt: skip
        return [*super().get_axe_custom_rules(request), *ours]

    def get_axe_custom_checks(self, request):
        failing = self.failing()
        ours = [{"id": f"{rule}-check", "options": {"fails": failing[rule]}} for rule in RULES]
        return [*super().get_axe_custom_checks(request), *ours]

    def get_axe_messages(self, request):
        return {**super().get_axe_messages(request), **self.messages()}

    def messages(self) -> dict[str, dict[str, str]]:
        analysis = self.analysis
        if self.in_editor:
            return {
                JARGON: {"error_name": str(_("Undefined jargon")),
                         "help_text": str(_("Define them in the glossary, or say them in plain words"))},
                LEVEL: {"error_name": str(_("Reading level above the target")),
                        "help_text": str(_("Shorter sentences and words make it easier to read"))},
                LONG: {"error_name": str(_("Long sentences")), "help_text": str(_("Split them in two"))},
            }  # fmt: skip
        terms = [item["term"] for item in analysis.undefined[:LISTED_TERMS]]
        more = analysis.undefined_count - len(terms)
        listed = ", ".join(terms) + (str(_(" and %(count)s more") % {"count": more}) if more > 0 else "")
        hardest = analysis.hardest[0] if analysis.hardest else None
        longest = max(analysis.long_sentences, key=lambda s: s["words"]) if analysis.long_sentences else None
        return {
            JARGON: {
                "error_name": str(_("Undefined jargon: %(terms)s") % {"terms": listed}),
                "help_text": str(_("The glossary does not define them. Define them, or use plain words")),
            },
            LEVEL: {
                "error_name": str(
                    _("Reading grade %(grade)s (target %(target)s)")
                    % {"grade": analysis.grade, "target": analysis.target}
                ),
                "help_text": str(
                    _("Hardest sentence (grade %(grade)s): %(sentence)s")
                    % {"grade": hardest["grade"], "sentence": _quote(hardest["text"])}
                )
                if hardest
                else "",
            },
            LONG: {
                "error_name": ngettext(
                    "%(count)s sentence over %(words)s words",
                    "%(count)s sentences over %(words)s words",
                    analysis.long_sentence_count,
                )
                % {"count": analysis.long_sentence_count, "words": analysis.long_sentence_words},
                "help_text": str(
                    _("Longest (%(words)s words): %(sentence)s")
                    % {"words": longest["words"], "sentence": _quote(longest["text"])}
                )
                if longest
                else "",
            },
        }

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["plain_language"] = {**self.analysis.as_dict(), "labels": panel_labels()}
        return context


def panel_labels() -> dict[str, str]:
    """The words of the panel checker.js builds, translated here (the script has no catalogue):
    each with its named placeholders, which the script fills in."""
    labels = {
        "title": _("Plain language"),
        "level": _("Reading level"),
        "grade": _("Reading grade %(grade)s (target %(target)s), %(formula)s"),
        "score": _(", score %(score)s"),
        "words": _(", %(words)s words."),
        "hardest": _("Hardest sentences:"),
        "hardest_item": _("Grade %(grade)s, paragraph %(paragraph)s: “%(text)s”"),
        "paragraphs": _("Grade of each paragraph"),
        "paragraph_item": _("Paragraph %(number)s: grade %(grade)s (%(words)s words) — %(excerpt)s"),
        "jargon": _("Undefined jargon (%(count)s)"),
        "no_jargon": _("None: every acronym is defined."),
        "in_paragraphs": _(", paragraph %(paragraphs)s"),
        "in_heading": _(", in a heading"),
        "define": _("Define in the glossary"),
        "defined": _("What readers will see defined"),
        "no_terms": _("No glossary terms."),
        "long": _("Long sentences: over %(words)s words (%(count)s)"),
        "long_item": _("%(words)s words, paragraph %(paragraph)s: “%(text)s”"),
    }
    return {key: str(value) for key, value in labels.items()}
