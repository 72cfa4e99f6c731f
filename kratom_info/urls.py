from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from kratom_info import views as site_views
from kratom_info.articles import views as article_views
from kratom_info.moved_admin import moved_admin_screens

# Reader pages exist once per language: English at the addresses printed on handouts (no
# prefix, never redirected), Spanish under /es/. The language comes from the path alone
# (kratom_info.languages.PathLanguageMiddleware).
urlpatterns = i18n_patterns(
    path("", article_views.home, name="home"),
    # Before articles/: it adds /articles/<slug>/handout/ (and /h/, /clinics/).
    path("", include("kratom_info.handouts.urls")),
    # Before articles/: it adds /articles/<slug>/report/ (and /search/, /feed/, /sitemap.xml).
    path("", include("kratom_info.readers.urls")),
    path("articles/", include("kratom_info.articles.urls")),
    path("sources/", include("kratom_info.articles.source_urls")),
    path("tools/", include("kratom_info.tools.urls")),
    prefix_default_language=False,
) + [
    path("editorial/", include("kratom_info.editorial.urls")),
    path("editorial/", include("kratom_info.accounts.urls")),
    # Before admin/: the addresses of screens whose models moved out of the editorial app.
    moved_admin_screens("editorial", "source_review", "sourcechange"),
    moved_admin_screens("editorial", "profiles", "reviewerprofile"),
    path("admin/", admin.site.urls),
    path("robots.txt", site_views.robots_txt, name="robots_txt"),
    path("favicon.ico", site_views.favicon_ico, name="favicon_ico"),
]
