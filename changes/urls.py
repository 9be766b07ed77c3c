from django.urls import path

from core import converters  # noqa: F401 - registers "rowid" (ids too long are a 404)
from pagecache.keys import Group, cached_as

from . import feeds, views

app_name = "changes"

urlpatterns = [
    path("", views.index, name="index"),
    path("<rowid:pk>/", views.permalink, name="change"),
    path("topic/<slug:slug>/", views.by_topic, name="topic"),
    path("feed/", cached_as(Group.CHANGES)(feeds.ChangesFeed()), name="feed"),
]
