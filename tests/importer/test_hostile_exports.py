"""An export file is untrusted input: importing one never takes over an address the site already
answers, never leads readers to what they may not see, and never stalls or crashes the import."""

import pytest
from wagtail.contrib.redirects.models import Redirect

from blog.models import BlogPage
from tests.factories import BlogPageFactory

from .conftest import run_import
from .exports import export, post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("link", ["/admin/", "/glossary/", "/search/", "/static/x.css", "/comments/1/"])
def test_an_old_link_the_url_conf_answers_is_not_taken_over(site, client, tmp_path, link):
    summary = run_import(export(tmp_path, post("5", link=f"https://old.example.org{link}")))
    assert not Redirect.objects.filter(old_path=Redirect.normalise_path(link)).exists()
    assert "1 old address the site already answers" in summary
    assert "/blog/post-5/" not in client.get(link.rstrip("/")).get("Location", "")


def test_an_existing_posts_path_is_not_taken_over_in_either_slash_form(site, client, tmp_path):
    BlogPageFactory(parent=site["index"], slug="visiting-hours")
    summary = run_import(export(tmp_path, post("5", link="https://old.example.org/blog/visiting-hours")))
    assert not Redirect.objects.filter(old_path="/blog/visiting-hours").exists()
    assert "1 old address the site already answers" in summary
    assert client.get("/blog/visiting-hours")["Location"] == "/blog/visiting-hours/"  # APPEND_SLASH


def test_a_draft_posts_path_is_not_taken_over(site, tmp_path):
    BlogPageFactory(parent=site["index"], slug="not-yet", live=False)
    run_import(export(tmp_path, post("5", link="https://old.example.org/blog/not-yet/")))
    assert not Redirect.objects.filter(old_path="/blog/not-yet").exists()


def test_a_redirect_made_here_is_not_taken_over(site, tmp_path):
    other = BlogPageFactory(parent=site["index"])
    Redirect.objects.create(old_path="/old-home", redirect_page=other)
    run_import(export(tmp_path, post("5", link="https://old.example.org/old-home/")))
    assert Redirect.objects.get(old_path="/old-home").redirect_page_id == other.pk


def test_a_free_old_path_and_the_shortlink_still_redirect_and_a_rerun_keeps_them(site, client, tmp_path):
    path = export(tmp_path, post("5", link="https://old.example.org/2020/01/quiet/"))
    run_import(path)
    assert client.get("/2020/01/quiet/").status_code == 301
    assert client.get("/?p=5").status_code == 301
    assert "Skipped: nothing" in run_import(path)


@pytest.mark.parametrize("status", ["draft", "private"])
def test_a_redirect_never_names_a_post_readers_may_not_see(site, client, tmp_path, status):
    run_import(
        export(tmp_path, post("5", status=status, slug="secret-plans", link="https://old.example.org/sp/"))
    )
    assert BlogPage.objects.filter(slug="secret-plans").exists()
    for path in ("/sp/", "/?p=5"):
        response = client.get(path)
        assert response.status_code in (200, 404)
        assert "secret-plans" not in response.get("Location", "")


def test_a_private_posts_redirect_leads_a_logged_in_reader_there(site, client, tmp_path, admin_user):
    run_import(
        export(tmp_path, post("5", status="private", slug="for-staff", link="https://old.example.org/fs/"))
    )
    client.force_login(admin_user)
    assert client.get("/fs/")["Location"].endswith("/blog/for-staff/")
