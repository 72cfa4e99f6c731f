from django.urls import path

import kratom_info.converters  # noqa: F401 (registers <number:...>)
from kratom_info.articles import views

app_name = "articles"

# These URLs are printed on clinic handouts: never change what they mean.
urlpatterns = [
    path("<slug:slug>/", views.article_detail, name="detail"),
    path("<slug:slug>/v<number:number>/", views.article_version, name="version"),
    path("<slug:slug>/history/", views.article_history, name="history"),
    path("<slug:slug>/diff/<number:old>/<number:new>/", views.article_diff, name="diff"),
]
