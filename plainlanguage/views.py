"""The two admin reports: live posts by reading grade and undefined terms, and the glossary's gaps.

Both read the analysis (posts.py); the templates autoescape everything a post or a comment wrote.
"""

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Site

from . import posts
from .analysis import Analysis

# Whoever may use the admin may read the reports: they show only live posts and visible comments.
PERMISSION = "wagtailadmin.access_admin"
ORDERS = {
    "grade": lambda row: (-row["grade"], -row["undefined_count"]),
    "undefined": lambda row: (-row["undefined_count"], -row["grade"]),
}


def summary(analysis: Analysis) -> str:
    """ "3 undefined terms, reading grade 11 (target 8)": the line shown when a post is published."""
    terms = ngettext("%(count)s undefined term", "%(count)s undefined terms", analysis.undefined_count) % {
        "count": analysis.undefined_count
    }
    figures = {"grade": analysis.grade, "target": analysis.target}
    grade = _("reading grade %(grade)s (target %(target)s)") % figures
    return _("Plain language: %(terms)s, %(grade)s.") % {"terms": terms, "grade": grade}


@permission_required(PERMISSION, raise_exception=True)
def reading_level(request: HttpRequest) -> HttpResponse:
    order = request.GET.get("order", "grade")
    if order not in ORDERS:
        order = "grade"
    site = Site.find_for_request(request)
    rows = sorted(posts.live_post_summaries(site), key=ORDERS[order])
    return render(
        request,
        "plainlanguage/reading_level.html",
        {"rows": rows, "order": order, "limits": posts.targets(site), "header_title": _("Reading level")},
    )


@permission_required(PERMISSION, raise_exception=True)
def glossary_gaps(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "plainlanguage/glossary_gaps.html",
        {"rows": posts.glossary_gaps(), "header_title": _("Glossary gaps")},
    )
