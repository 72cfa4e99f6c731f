from django.urls import path

from kratom_info.editorial import views

app_name = "editorial"

# Must match MARKDOWNX_URLS_PATH and MARKDOWNX_UPLOAD_URLS_PATH in settings.
urlpatterns = [
    path("markdownx/markdownify/", views.markdownify, name="markdownify"),
    path("markdownx/upload/", views.upload, name="upload"),
]
