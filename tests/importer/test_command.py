"""The command as a person meets it: one line on stderr and a non-zero exit for bad input, a
summary for good input, one purge at the end, images from --media."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management.base import CommandError
from PIL import Image as PILImage
from wagtail.images.models import Image

from blog.models import BlogPage
from pagecache.keys import Group, group_names
from pagecache.purging import pages_purged

from .conftest import fixture, run_import

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", ["missing.xml", "empty.xml", "truncated.xml", "external-entity.xml"])
def test_bad_input_is_one_line_on_stderr_and_a_failing_exit(name, tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rounds.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path}/never-created.sqlite3",
    }
    result = subprocess.run(  # noqa: S603 - our own manage.py, a fixture's path
        [sys.executable, "manage.py", "import_blog", str(fixture(name))],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert name in lines[0]


def test_media_that_is_not_a_folder_is_refused(site, tmp_path):
    with pytest.raises(CommandError, match="not a folder"):
        run_import(fixture("wordpress.xml"), "--media", str(tmp_path / "nope"))


def test_the_summary_names_format_source_and_counts(site):
    summary = run_import(fixture("wordpress.xml"))
    assert "(wxr, from https://ward-notes.example.org)" in summary
    assert "Redirects: 3 made" in summary


def test_caches_are_purged_once_at_the_end(site, django_capture_on_commit_callbacks):
    purges = []

    def receiver(sender, paths, groups, **kwargs):
        purges.append(set(groups))

    pages_purged.connect(receiver, dispatch_uid="test-import-purges")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run_import(fixture("wordpress-1.0-https.xml"))
    finally:
        pages_purged.disconnect(dispatch_uid="test-import-purges")
    assert purges == [set(group_names(list(Group)))]  # every group, in every language


def test_an_imported_post_is_shown_after_the_purge(site, client, django_capture_on_commit_callbacks):
    assert "quieter" not in client.get("/blog/").content.decode()  # the listing is now cached
    with django_capture_on_commit_callbacks(execute=True):
        run_import(fixture("wordpress.xml"))
    assert "quieter-waiting-room" in client.get("/blog/").content.decode()


def test_images_found_in_the_media_folder_become_image_blocks(site, tmp_path):
    media = tmp_path / "uploads" / "2019"
    media.mkdir(parents=True)
    PILImage.new("RGB", (8, 8), "blue").save(media / "ward.png")
    export = tmp_path / "export.xml"
    text = fixture("wordpress.xml").read_text()
    text = text.replace(
        "We took the television out",
        '<img src="https://ward-notes.example.org/wp-content/uploads/2019/03/ward-300x200.png"'
        ' alt="The ward"> We took the television out',
    )
    export.write_text(text)
    run_import(export, "--media", str(tmp_path / "uploads"))
    blocks = BlogPage.objects.get(slug="quieter-waiting-room").body.raw_data
    image_blocks = [b for b in blocks if b["type"] == "image"]
    assert len(image_blocks) == 1
    assert image_blocks[0]["value"]["alt_text"] == "The ward"
    assert Image.objects.get(pk=image_blocks[0]["value"]["image"]).title == "ward"


def test_images_not_in_a_media_folder_are_kept_as_links(site, tmp_path):
    export = tmp_path / "export.xml"
    text = fixture("wordpress.xml").read_text()
    text = text.replace(
        "We took", '<img src="https://ward-notes.example.org/pic.jpg" alt="The ward"> We took'
    )
    export.write_text(text)
    run_import(export)
    html = str(BlogPage.objects.get(slug="quieter-waiting-room").body)
    assert '<a href="https://ward-notes.example.org/pic.jpg">Image: The ward</a>' in html
    assert "<img" not in html
