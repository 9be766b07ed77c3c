from django.urls import path

from . import feeds, views

app_name = "comments"

# Only our own views: xtd's URLs (and its REST API under api/, a second way to post that skips
# these rules) are deliberately not included.
urlpatterns = [
    path("post/", views.post_comment, name="post"),
    path("posted/<str:token>/", views.posted, name="posted"),
    path("reply/<int:pk>/", views.reply, name="reply"),
    path("report/<int:pk>/", views.report, name="report"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("feed/", feeds.SiteCommentsFeed(), name="feed"),
    path("feed/<int:page_id>/", feeds.PostCommentsFeed(), name="post_feed"),
]
