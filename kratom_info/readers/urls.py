from django.urls import path

from kratom_info.readers import feeds, views

app_name = "readers"

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("editorial-policy/", views.editorial_policy, name="policy"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("feed/", feeds.ChangesFeed(), name="changes_feed"),
    path("feed/articles/<slug:slug>/", feeds.ArticleFeed(), name="article_feed"),
    path("articles/<slug:slug>/report/", views.report_error, name="report"),
    path("articles/<slug:slug>/report/thanks/", views.report_thanks, name="report_thanks"),
]
