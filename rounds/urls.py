from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from core import security
from pagecache.keys import Group, cached_as

from . import views
from .sitemaps import LanguagesSitemap


def sitemap_view(request):
    """Every language's pages, with hreflang alternates (rounds/sitemaps.py)."""
    return sitemap(request, sitemaps={"wagtail": LanguagesSitemap(request)})


urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", cached_as(Group.LISTINGS)(sitemap_view), name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(settings.CSP_REPORT_PATH.strip("/") + "/", security.csp_report, name="csp_report"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# What readers read, in each language: English at today's addresses, the others under their prefix
# (/es/glossary/). Wagtail's page tree serves everything else, so it comes last; it serves each
# locale's own tree under that locale's prefix.
urlpatterns += i18n_patterns(
    path("search/", views.search, name="search"),
    path("glossary/", include("glossary.urls")),
    path("changes/", include("changes.urls")),
    path("comments/", include("comments.urls")),
    path("subscribe/", include("subscriptions.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
