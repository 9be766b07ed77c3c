"""RSS of published comments: one per post and one for the whole site.

Only what comments/visibility.py says readers may see: comments on live, public posts, published,
under published comments. A fixed number of queries whatever the number of comments.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from blog.models import BlogPage
from core.text import xml_text

from .cooking import stored_html
from .models import Comment
from .visibility import visible, visible_posts

ITEMS = 50


class SiteCommentsFeed(Feed):
    title = _("Rounds: latest comments")
    description = _("The latest published reader comments on Rounds.")

    def link(self) -> str:
        return settings.BASE_URL + "/"

    def _comments(self):
        return (
            visible()
            .select_related("moderation")
            .prefetch_related("content_object")
            .order_by("-submit_date", "-pk")
        )

    def items(self):
        return [c for c in self._comments()[:ITEMS] if c.content_object is not None]

    def item_title(self, item: Comment) -> str:
        # Escaped once more than XML needs: many feed readers render titles as HTML, and a
        # commenter's name is the reader's own text.
        title = _("%(name)s on “%(title)s”") % {"name": item.display_name, "title": item.content_object.title}
        return escape(xml_text(title))

    def item_description(self, item: Comment) -> str:
        # The stored HTML (cooking.py), less what XML cannot carry (control characters pass nh3).
        return xml_text(stored_html(item))

    def item_link(self, item: Comment) -> str:
        return settings.BASE_URL + item.permalink

    def item_pubdate(self, item: Comment):
        return item.submit_date


class PostCommentsFeed(SiteCommentsFeed):
    def get_object(self, request: HttpRequest, page_id: int) -> BlogPage:
        page = visible_posts().filter(pk=page_id).first()
        if page is None:
            raise Http404("No such post")
        return page

    def title(self, obj: BlogPage) -> str:
        return _("Comments on “%(title)s”") % {"title": obj.title}

    def description(self, obj: BlogPage) -> str:
        return _("Published reader comments on “%(title)s”.") % {"title": obj.title}

    def link(self, obj: BlogPage) -> str:
        return settings.BASE_URL + obj.url + "#comments"

    def items(self, obj: BlogPage):
        comments = (
            visible(Comment.objects.for_page(obj))
            .select_related("moderation")
            .order_by("-submit_date", "-pk")[:ITEMS]
        )
        for comment in comments:
            comment.content_object = obj  # one post: no lookup per item
        return comments
