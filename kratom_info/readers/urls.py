from django.urls import path

from kratom_info.pagecache.decorators import public_page
from kratom_info.readers import feeds, views

app_name = "readers"

# Every page here except the report form (which sets a CSRF cookie) is public and cached.
urlpatterns = [
    # The words and the results page: the only parameters it reads (the page cache's key).
    path("search/", public_page(views.search_page, query=("q", "page")), name="search"),
    path("editorial-policy/", public_page(views.editorial_policy), name="policy"),
    # Django's sitemap views read the file's page number, ?p=N.
    path("sitemap.xml", public_page(views.sitemap, query=("p",)), name="sitemap"),
    path(
        "sitemap-<slug:section>.xml",
        public_page(views.sitemap_section, query=("p",)),
        name="sitemap_section",
    ),
    path("feed/", public_page(feeds.ChangesFeed()), name="changes_feed"),
    path("feed/articles/<slug:slug>/", public_page(feeds.ArticleFeed()), name="article_feed"),
    path("articles/<slug:slug>/report/", views.report_error, name="report"),
    path(
        "articles/<slug:slug>/report/thanks/",
        public_page(views.report_thanks),
        name="report_thanks",
    ),
]
