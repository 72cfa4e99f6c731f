from django.conf import settings


def site(request):
    """Site-wide values every template may show."""
    return {
        "contact_email": settings.CONTACT_EMAIL,
        "site_url": settings.SITE_URL,
        "site_name": settings.SITE_NAME,
    }
