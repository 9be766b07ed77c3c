"""Images are served as Wagtail renditions in a modern format, with their size declared."""

import json

import pytest
import wagtail_factories
from bs4 import BeautifulSoup

from tests.factories import BlogPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def image():
    return wagtail_factories.ImageFactory(file__width=1600, file__height=900)


def test_header_image_is_a_webp_rendition_with_width_and_height(client, site, image):
    post = BlogPageFactory(parent=site["index"], header_image=image, header_image_alt="A waiting room")
    img = BeautifulSoup(client.get(post.url).text, "html.parser").select_one("img.post__image")
    assert img["src"].endswith(".webp")
    assert (img["width"], img["height"]) == ("1200", "675")
    assert img["alt"] == "A waiting room"


def test_body_image_block_is_lazy_webp_with_alt_text_and_size(client, site, image):
    body = [{"type": "image", "value": {"image": image.pk, "alt_text": "A reminder letter", "caption": ""}}]
    post = BlogPageFactory(parent=site["index"], body=json.dumps(body))
    img = BeautifulSoup(client.get(post.url).text, "html.parser").select_one(".block-image img")
    assert img["src"].endswith(".webp")
    assert img["alt"] == "A reminder letter"
    assert img["loading"] == "lazy"
    assert img["width"] == "960" and img["height"] == "540"
