"""Reader tools. These addresses may be printed (the tracking sheet): never change their meaning."""

from django.urls import path

from kratom_info.tools import views

app_name = "tools"

urlpatterns = [
    path("", views.tools_index, name="index"),
    path("tracking-sheet/", views.tracking_sheet, name="tracking_sheet"),
    path("tracking-sheet/print/", views.tracking_sheet_print, name="tracking_sheet_print"),
    path("tracking-sheet.csv", views.tracking_sheet_csv, name="tracking_sheet_csv"),
    path("check/", views.check, name="check"),
]
