"""Every kind of public page is valid HTML to the W3C's Nu Html Checker, in English and in Spanish
(issue 21: the Spanish pages pass the same checks as the English ones).

The pages are rendered through Django's test client over the demo (seed_demo), written to files and
checked in one run of vnu.jar (npm's vnu-jar, `npm ci`), so Java starts once for all of them.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from wagtail.models import Page

from tests.comments.factories import make_comment
from tests.helpers import comment_form_fields
from tests.servers import ROOT, require

pytestmark = pytest.mark.django_db

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
POST = "/blog/three-reminders-and-no-way-to-reschedule/"
SPANISH_POST = "/es/blog/tres-recordatorios-y-ninguna-forma-de-cambiar-la-cita/"
# Each language's pages; the post's comment page 2 and the comment form's answers are added.
PAGES = {
    "en": ["/", "/blog/", POST, "/glossary/", "/glossary/ehr/", "/changes/", "/changes/topic/scheduling/",
           "/search/?q=appointment", "/no-such-page/"],
    "es": ["/es/", "/es/blog/", SPANISH_POST, "/es/glossary/", "/es/glossary/hce/", "/es/changes/",
           "/es/changes/topic/citas/", "/es/search/?q=cita", "/es/no-existe/"],
}  # fmt: skip
CONTROL = "control (invalid on purpose)"
NOT_FOUND = {"/no-such-page/", "/es/no-existe/"}
# A comment the PHI rules warn about (a phone number), and one they let through.
WARNED = {
    "en": "Please call my mother on 617-555-0134 about her visit.",
    "es": "Llamen a mi madre al 617-555-0134, por favor.",
}
PLAIN = {
    "en": "The new reminder texts are much clearer, thank you.",
    "es": "Los nuevos avisos son mucho más claros, gracias.",
}


def vnu_errors(pages: dict[str, str], folder: Path) -> list[str]:
    """Each page's markup errors, "page line N: message", from one vnu run over all of them."""
    files = {}
    for number, (label, html) in enumerate(pages.items()):
        files[str(folder / f"page{number}.html")] = label
        (folder / f"page{number}.html").write_text(html, encoding="utf-8")
    result = subprocess.run(  # noqa: S603
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=180,
    )
    messages = json.loads(result.stderr)["messages"]  # vnu writes its report to stderr
    return [
        f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))} "
        f"line {m.get('lastLine')}: {m['message']}"
        for m in messages
    ]


def posted(client, post: str, text: str, address: str):
    """The answer to the post's comment form sent with `text` from `address` (a reader of each
    language, so the second is not refused by the rate limit), redirects followed."""
    page = client.get(post).content.decode()
    form = BeautifulSoup(page, "html.parser").find("form", attrs={"data-comment-form": True})
    fields = {**comment_form_fields(page), "comment": text, "name": "Pat"}
    return client.post(form["action"], fields, follow=True, REMOTE_ADDR=address)


def rendered_pages(client, language: str) -> dict[str, str]:
    pages = {}
    address = {"en": "192.0.2.10", "es": "192.0.2.20"}[language]
    for path in PAGES[language]:
        response = client.get(path)
        assert response.status_code == (404 if path in NOT_FOUND else 200), path
        pages[path] = response.content.decode()
    post = POST if language == "en" else SPANISH_POST
    # Two more published threads, at one thread a page, make a page 2 whatever the demo holds.
    page = Page.objects.get(url_path__endswith=post.split("/")[-2] + "/").specific
    for _ in range(2):
        make_comment(page, comment=PLAIN[language])
    second = client.get(post + "?page=2")
    assert second.status_code == 200 and 'rel="prev"' in second.content.decode()
    pages[post + "?page=2"] = second.content.decode()
    warning = posted(client, post, WARNED[language], address)
    assert warning.status_code == 200 and "phi-warning__mark" in warning.content.decode()
    pages[f"{language}: PHI warning"] = warning.content.decode()
    thanks = posted(client, post, PLAIN[language], address)
    assert thanks.status_code == 200 and "/comments/posted/" in thanks.redirect_chain[-1][0]
    pages[f"{language}: comment posted"] = thanks.content.decode()
    return pages


def test_every_page_is_valid_html_in_both_languages(client, settings, tmp_path):
    java = shutil.which("java") is not None and VNU.exists()
    require(java, "Java and node_modules/vnu-jar (make test installs vnu-jar)")
    settings.COMMENTS_PER_PAGE = 1  # so the post's discussion has a page 2 to check
    call_command("seed_demo")
    pages = {**rendered_pages(client, "en"), **rendered_pages(client, "es")}
    # A page known to be invalid rides along, so a checker that read nothing cannot pass.
    pages[CONTROL] = '<!DOCTYPE html><html lang="en"><title>x</title><p id="a"></p><p id="a"></p>'
    errors = vnu_errors(pages, tmp_path)
    assert [e for e in errors if e.startswith(CONTROL)] == [f"{CONTROL} line 1: Duplicate ID “a”."]
    errors = [e for e in errors if not e.startswith(CONTROL)]
    assert errors == [], f"{len(errors)} HTML errors:\n" + "\n".join(errors)
