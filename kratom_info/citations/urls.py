from django.urls import path

from kratom_info.citations import views

app_name = "citations"

urlpatterns = [
    path("", views.source_list, name="source_list"),
    path("<str:key>/", views.source_detail, name="source_detail"),
]
