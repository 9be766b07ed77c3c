from django.urls import path

from rounds.pagecache import Group, cached_as

from . import feeds, views

app_name = "changes"

urlpatterns = [
    path("", views.index, name="index"),
    path("topic/<slug:slug>/", views.by_topic, name="topic"),
    path("feed/", cached_as(Group.CHANGES)(feeds.ChangesFeed()), name="feed"),
]
