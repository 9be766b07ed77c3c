"""The sitemap: every language's pages, each with its translations as hreflang alternates.

Wagtail's sitemap lists the default site's root page and what is below it, which is the default
language's tree only; each language has its own tree beside it. Django's sitemap template writes
`xhtml:link rel="alternate"` for the `alternates` of each URL.
"""

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Locale, Page

__all__ = ["LanguagesSitemap"]


class LanguagesSitemap(Sitemap):
    def items(self):
        roots = self.get_wagtail_site().root_page.get_translations(inclusive=True)
        under_a_root = Q()
        for root in roots:
            under_a_root |= Q(path__startswith=root.path)
        return (
            Page.objects.filter(under_a_root).live().public().order_by("path").defer_streamfields().specific()
        )

    def _urls(self, page, protocol, domain):
        languages = dict(Locale.objects.values_list("pk", "language_code"))
        urls, by_key, last_mods = [], {}, set()
        for item in self.paginator.page(page).object_list.iterator():
            for url_info in item.get_sitemap_urls(self.request):
                url_info = {**url_info, "alternates": []}
                urls.append(url_info)
                last_mods.add(url_info.get("lastmod"))
                by_key.setdefault(item.translation_key, []).append((languages.get(item.locale_id), url_info))
        for group in by_key.values():
            if len(group) > 1:
                alternates = [{"location": url["location"], "lang_code": code} for code, url in group]
                for _code, url in group:
                    url["alternates"] = alternates
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls
