from django.urls import path

from kratom_info.accounts import views

app_name = "accounts"

# Included under /editorial/ (the address invitation e-mails already carry).
urlpatterns = [
    # An invited person's one-time link: choose a password (kratom_info.accounts.people).
    path(
        "invitation/<uidb64>/<token>/",
        views.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
]
