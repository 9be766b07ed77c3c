from django.urls import path

from core import converters  # noqa: F401 - registers "rowid" (ids too long are a 404)
from pagecache.keys import Group, cached_as

from . import feeds, helpful_views, views

app_name = "comments"


# Only our own views: xtd's URLs (and its REST API under api/, a second way to post that skips
# these rules) are deliberately not included.
urlpatterns = [
    path("<rowid:pk>/", views.permalink, name="comment"),
    path("post/", views.post_comment, name="post"),
    path("posted/<str:token>/", views.posted, name="posted"),
    path("reply/<rowid:pk>/", views.reply, name="reply"),
    path("report/<rowid:pk>/", views.report, name="report"),
    path("report/<rowid:pk>/token/", views.report_token_json, name="report_token"),
    path("helpful/<rowid:pk>/", helpful_views.mark, name="helpful"),
    path("helpful/<rowid:pk>/token/", helpful_views.token_json, name="helpful_token"),
    path("helpful/counts/<rowid:page_id>/", helpful_views.counts, name="helpful_counts"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    # The feeds are cached whole for anonymous readers; purges.py makes them stale.
    path("feed/", cached_as(Group.COMMENT_FEEDS)(feeds.SiteCommentsFeed()), name="feed"),
    path("feed/<rowid:page_id>/", cached_as(Group.COMMENT_FEEDS)(feeds.PostCommentsFeed()), name="post_feed"),
]
