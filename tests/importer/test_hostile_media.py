"""`--media DIR` is untrusted too: only real images of an image extension, inside DIR, become
images; anything else stays a link in the post and is counted."""

import pytest
from PIL import Image as PILImage
from wagtail.images.models import Image

from blog.models import BlogPage

from .conftest import run_import
from .exports import export, post

pytestmark = pytest.mark.django_db
SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def import_with(tmp_path, name: str) -> str:
    body = f'<img src="https://old.example.org/wp-content/uploads/{name}" alt="Pic"> Text.'
    return run_import(export(tmp_path, post("5", body=body)), "--media", str(tmp_path / "uploads"))


@pytest.fixture
def uploads(tmp_path):
    folder = tmp_path / "uploads"
    folder.mkdir()
    return folder


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("evil.html", b"<html><script>alert(1)</script></html>"),
        ("evil.svg", SCRIPT),
        ("evil.png", SCRIPT),  # an image extension, a script inside
        ("half.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40),  # a PNG's signature, nothing readable
    ],
)
def test_a_file_that_is_not_a_real_image_stays_a_link_and_is_counted(
    site, client, tmp_path, uploads, name, content
):
    (uploads / name).write_bytes(content)
    summary = import_with(tmp_path, name)
    assert not Image.objects.exists()
    assert "1 media file refused" in summary
    page = BlogPage.objects.get(slug="post-5")
    assert "Image: Pic" in str(page.body)
    assert client.get(page.url).status_code == 200


def test_a_symlink_out_of_the_folder_is_not_followed(site, tmp_path, uploads):
    outside = tmp_path / "secret.png"
    PILImage.new("RGB", (8, 8), "red").save(outside)
    (uploads / "secret.png").symlink_to(outside)
    summary = import_with(tmp_path, "secret.png")
    assert not Image.objects.exists()
    assert "1 media file refused" in summary


def test_a_real_image_still_becomes_an_image_block(site, tmp_path, uploads):
    PILImage.new("RGB", (8, 8), "blue").save(uploads / "ward.jpg", format="JPEG")
    summary = import_with(tmp_path, "ward.jpg")
    assert Image.objects.count() == 1
    assert "refused" not in summary
