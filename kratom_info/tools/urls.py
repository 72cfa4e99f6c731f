"""Reader tools. These addresses may be printed (the tracking sheet): never change their meaning."""

from django.urls import path

from kratom_info.pagecache.decorators import public_page
from kratom_info.tools import views

app_name = "tools"

# The check keeps nothing and is never cached (no-store); the other pages are public.
urlpatterns = [
    path("", public_page(views.tools_index), name="index"),
    path("tracking-sheet/", public_page(views.tracking_sheet), name="tracking_sheet"),
    path(
        "tracking-sheet/print/",
        public_page(views.tracking_sheet_print),
        name="tracking_sheet_print",
    ),
    path("tracking-sheet.csv", public_page(views.tracking_sheet_csv), name="tracking_sheet_csv"),
    path("check/", views.check, name="check"),
]
