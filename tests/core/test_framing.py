"""Nothing is framed, except the admin's previews, which only our own origin may frame: the page
editor shows its live preview in an iframe of the same origin."""

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY
from django.http import HttpResponse
from django.test import RequestFactory

from core.security import SiteCSPMiddleware

from .test_headers import policy


def preview_url(post) -> str:
    return f"/admin/pages/{post.pk}/edit/preview/"


def test_the_editors_preview_may_be_framed_by_our_own_origin(admin_client, post):
    form = admin_client.get(f"/admin/pages/{post.pk}/edit/")
    assert form.status_code == 200
    response = admin_client.get(preview_url(post) + "?mode=")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert policy(response[HEADER_REPORT_ONLY])["frame-ancestors"] == "'self'"


def test_the_previewed_page_keeps_the_public_policy_and_only_our_origin_may_frame_it(post):
    """Wagtail renders a preview through every middleware for the page's public path."""
    response = post.make_preview_request()
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    directives = policy(response[HEADER])
    assert directives["frame-ancestors"] == "'self'"
    assert directives["script-src"] == "'self'"


def test_the_page_editor_itself_may_not_be_framed(admin_client, post):
    response = admin_client.get(f"/admin/pages/{post.pk}/edit/")
    assert response["X-Frame-Options"] == "DENY"
    assert policy(response[HEADER_REPORT_ONLY])["frame-ancestors"] == "'none'"


@pytest.mark.django_db
def test_a_public_view_cannot_loosen_framing_by_asking_for_sameorigin():
    def view(request):
        return HttpResponse("hello", headers={"X-Frame-Options": "SAMEORIGIN"})

    response = SiteCSPMiddleware(view)(RequestFactory().get("/blog/"))
    assert response["X-Frame-Options"] == "DENY"
    assert policy(response[HEADER])["frame-ancestors"] == "'none'"
