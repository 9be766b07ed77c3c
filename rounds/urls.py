from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from core import security
from pagecache.keys import Group, cached_as

from . import views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", views.search, name="search"),
    path("sitemap.xml", cached_as(Group.LISTINGS)(sitemap), name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(settings.CSP_REPORT_PATH.strip("/") + "/", security.csp_report, name="csp_report"),
    path("glossary/", include("glossary.urls")),
    path("comments/", include("comments.urls")),
    path("changes/", include("changes.urls")),
    path("subscribe/", include("subscriptions.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page tree serves everything else, so it comes last.
urlpatterns += [path("", include(wagtail_urls))]
