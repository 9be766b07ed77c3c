"""The parsers: each format read into the same records, and every kind of bad file refused with
one clear message before anything could be written."""

import datetime

import pytest

from importer.parsers import detect, open_export
from importer.records import ImportFailed

from .conftest import fixture


def posts(name: str) -> dict:
    return {post.source_id: post for post in open_export(fixture(name)).posts}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("wordpress.xml", "wxr"),
        ("wordpress-1.0-https.xml", "wxr"),
        ("blogger-takeout.atom", "blogger-takeout"),
        ("blogger-classic.xml", "blogger-atom"),
    ],
)
def test_the_format_is_detected_from_the_file(name, expected):
    assert detect(fixture(name)) == expected


def test_wxr_post_has_title_display_name_tags_link_and_gmt_date():
    post = posts("wordpress.xml")["11"]
    assert post.title == "Why the waiting room got quieter"
    assert post.authors == ["Helen Brooks"]  # the login mapped through wp:author
    assert post.tags == ["Patient experience", "waiting rooms"]
    assert post.old_urls == [
        "https://ward-notes.example.org/2019/03/04/quieter-waiting-room/",
        "https://ward-notes.example.org/?p=11",  # its guid, the shortlink
    ]
    assert post.date == datetime.datetime(2019, 3, 4, 9, 30, tzinfo=datetime.UTC)


def test_wxr_comments_keep_parent_status_and_kind():
    comments = {c.source_id: c for c in posts("wordpress.xml")["11"].comments}
    assert comments["102"].parent_id == "101"
    assert comments["103"].status == "pending"
    assert comments["104"].status == "spam"
    assert comments["105"].kind == "pingback"


def test_wxr_under_the_https_namespace_of_version_1_0_is_read():
    read = posts("wordpress-1.0-https.xml")
    assert read["22"].status == "private"
    assert read["23"].password == "letmein"
    assert read["24"].status == "future"


def test_a_never_published_wordpress_draft_has_no_date():
    assert posts("wordpress.xml")["12"].date is None


def test_the_source_of_an_export_is_the_blog_it_came_from():
    assert open_export(fixture("wordpress.xml")).source == "https://ward-notes.example.org"
    assert open_export(fixture("blogger-takeout.atom")).source == "blog-777"
    assert open_export(fixture("blogger-classic.xml")).source == "blog-888"


def test_takeout_comments_are_handed_to_their_post_with_their_reply_parent():
    post = posts("blogger-takeout.atom")["500"]
    comments = {c.source_id: c for c in post.comments}
    assert set(comments) == {"1001", "1002", "1003", "1004"}
    assert comments["1002"].parent_id == "1001"
    assert comments["1003"].status == "pending"
    assert comments["1004"].status == "spam"


def test_takeout_post_keeps_labels_filename_and_state():
    read = posts("blogger-takeout.atom")
    assert read["500"].tags == ["staff", "night shift"]
    assert "/2018/06/what-night-shift-asked-for.html" in read["500"].old_urls
    assert read["500"].slug == "what-night-shift-asked-for"
    assert read["501"].status == "draft"
    assert read["600"].kind == "page"


def test_classic_blogger_reply_parent_comes_from_its_related_link():
    comments = {c.source_id: c for c in posts("blogger-classic.xml")["42"].comments}
    assert comments["9001"].parent_id == ""
    assert comments["9002"].parent_id == "9001"


def test_classic_blogger_draft_is_a_draft():
    assert posts("blogger-classic.xml")["43"].status == "draft"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing.xml", "no such file"),
        ("empty.xml", "the file is empty"),
        ("truncated.xml", "not well-formed XML"),
        ("garbage.txt", "not well-formed XML"),
        ("not-an-export.html", "not a WordPress or Blogger export"),
        ("plain-rss.xml", "not a WordPress export"),
        ("billion-laughs.xml", "declares XML entities"),
        ("external-entity.xml", "declares XML entities"),
    ],
)
def test_bad_files_are_refused_with_one_clear_message(name, message):
    with pytest.raises(ImportFailed) as error:
        open_export(fixture(name))
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_a_folder_is_not_an_export(tmp_path):
    with pytest.raises(ImportFailed, match="not a file"):
        open_export(tmp_path)
