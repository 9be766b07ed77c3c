"""`make backup` then `make restore` into a fresh SQLite database brings everything back.

The whole round trip runs once, in subprocesses, the way an operator would run it: migrate and
seed a database, add a comment thread and glossary terms, back up, migrate an empty database,
restore, and compare what each database holds and serves.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Run inside each database with `manage.py shell`: adds what seed_demo does not make.
ADD_DISCUSSION = """
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django_comments_xtd.models import XtdComment
from blog.models import BlogPage
from glossary.models import Term

post = BlogPage.objects.live().order_by("pk").first()
common = dict(content_type=ContentType.objects.get_for_model(BlogPage), object_pk=str(post.pk),
              site_id=settings.SITE_ID, is_public=True, user_email="reader@example.org")
root = XtdComment.objects.create(comment="First thought", user_name="Reader A", **common)
reply = XtdComment.objects.create(comment="A reply", user_name="Reader B", parent_id=root.pk, **common)
XtdComment.objects.create(comment="A reply to the reply", user_name="Reader A", parent_id=reply.pk, **common)
XtdComment.objects.create(comment="Second reply", user_name="Reader C", parent_id=root.pk, **common)
XtdComment.objects.create(comment="Another thread", user_name="Reader D", **common)
ehr = Term.objects.create(term="EHR", slug="ehr-backup-test", expansion="Electronic Health Record",
                          definition="The digital chart that follows a patient.")
mrn = Term.objects.create(term="MRN", slug="mrn-backup-test", definition="Medical record number.")
mrn.related_terms.add(ehr)
mrn.save()
"""

SNAPSHOT = """
import json
from django.contrib.auth.models import Group
from django.test import Client
from django_comments_xtd.models import XtdComment
from blog.models import Author, BlogPage
from glossary.models import Term
from wagtail.models import Page, Site

client = Client()
posts = {p.url: [p.title, client.get(p.url).status_code] for p in BlogPage.objects.live().order_by("pk")}
print(json.dumps({
    "posts": posts,
    "home": client.get("/").status_code,
    "search_hits": client.get("/search/?q=appointment").content.decode().count('class="post-card"'),
    "tree": list(Page.objects.order_by("path").values_list("path", "depth", "numchild", "url_path")),
    "site_root": Site.objects.get(is_default_site=True).root_page.url_path,
    "authors": list(Author.objects.order_by("slug").values_list("slug", "name", "bio")),
    "comments": list(XtdComment.objects.order_by("pk").values_list(
        "pk", "parent_id", "thread_id", "level", "order", "nested_count", "comment", "user_name",
        "object_pk", "is_public")),
    "terms": [[t.term, t.slug, t.expansion, t.definition, sorted(r.slug for r in t.related_terms.all())]
              for t in Term.objects.order_by("slug")],
    "groups": sorted(Group.objects.values_list("name", flat=True)),
}))
"""


def run(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)  # noqa: S603
    command = " ".join(args[:4])
    assert result.returncode == 0, f"{command}...\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    return result.stdout


def environment(database: Path) -> dict[str, str]:
    inherited = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL"}}
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "rounds.settings.test",
        "DATABASE_URL": f"sqlite:///{database}",
    }


def snapshot(env: dict[str, str]) -> dict:
    output = run(sys.executable, "manage.py", "shell", "--no-imports", "-c", SNAPSHOT, env=env)
    return json.loads(output.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("backup")
    source, target = environment(folder / "source.sqlite3"), environment(folder / "target.sqlite3")
    manage = (sys.executable, "manage.py")
    run(*manage, "migrate", "--noinput", "-v0", env=source)
    run(*manage, "seed_demo", env=source)
    run(*manage, "shell", "--no-imports", "-c", ADD_DISCUSSION, env=source)
    before = snapshot(source)
    run("make", "-s", "backup", f"PY={sys.executable}", f"BACKUP_DIR={folder / 'backups'}", env=source)
    (backup,) = (folder / "backups").glob("rounds-*.json")
    run(*manage, "migrate", "--noinput", "-v0", env=target)
    run("make", "-s", "restore", f"PY={sys.executable}", f"FILE={backup}", env=target)
    return {"before": before, "after": snapshot(target), "backup": json.loads(backup.read_text())}


def test_backup_has_the_discussion_to_restore(round_trip):
    """Guards the comparison below: the source really held posts, a nested thread and terms."""
    before = round_trip["before"]
    assert len(before["posts"]) >= 3
    assert max(comment[3] for comment in before["comments"]) >= 2  # at least a reply to a reply
    assert len(before["terms"]) >= 2


def test_restored_posts_are_served(round_trip):
    after = round_trip["after"]
    assert after["posts"] == round_trip["before"]["posts"]
    assert {status for _, status in after["posts"].values()} == {200}
    assert after["home"] == 200


def test_restored_page_tree_and_site_are_identical(round_trip):
    before, after = round_trip["before"], round_trip["after"]
    assert after["tree"] == before["tree"]
    assert after["site_root"] == before["site_root"]


def test_restored_comments_keep_their_thread_shape(round_trip):
    assert round_trip["after"]["comments"] == round_trip["before"]["comments"]


def test_restored_glossary_terms_keep_their_relations(round_trip):
    assert round_trip["after"]["terms"] == round_trip["before"]["terms"]


def test_restored_authors_and_groups(round_trip):
    before, after = round_trip["before"], round_trip["after"]
    assert after["authors"] == before["authors"]
    assert after["groups"] == before["groups"]


def test_search_works_after_restore_although_its_index_is_not_backed_up(round_trip):
    assert round_trip["after"]["search_hits"] == round_trip["before"]["search_hits"] > 0


def test_backup_leaves_out_derived_and_short_lived_tables(round_trip):
    models = {row["model"] for row in round_trip["backup"]}
    derived = {"contenttypes.contenttype", "auth.permission", "sessions.session", "wagtailsearch.indexentry"}
    assert models & derived == set()
    assert {"blog.blogpage", "django_comments_xtd.xtdcomment", "glossary.term"} <= models


def test_backup_refers_to_content_types_by_name(round_trip):
    """Natural keys: ids of content types differ between databases, their names do not."""
    page = next(row for row in round_trip["backup"] if row["model"] == "wagtailcore.page")
    assert isinstance(page["fields"]["content_type"], list)


def test_restore_without_a_file_is_refused(tmp_path):
    result = subprocess.run(  # noqa: S603
        ["make", "-s", "restore", f"PY={sys.executable}"],  # noqa: S607
        cwd=ROOT,
        env=environment(tmp_path / "never.sqlite3"),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "Usage: make restore FILE=" in result.stdout
    assert not (tmp_path / "never.sqlite3").exists()
