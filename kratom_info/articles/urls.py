from django.urls import path

from kratom_info.articles import views

app_name = "articles"

# These URLs are printed on clinic handouts: never change what they mean.
urlpatterns = [
    path("<slug:slug>/", views.article_detail, name="detail"),
    path("<slug:slug>/v<int:number>/", views.article_version, name="version"),
    path("<slug:slug>/history/", views.article_history, name="history"),
    path("<slug:slug>/diff/<int:old>/<int:new>/", views.article_diff, name="diff"),
]
