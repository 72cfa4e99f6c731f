from django.conf import settings
from django.utils.translation import pgettext

from kratom_info.languages import default_alternates


def site(request):
    """Site-wide values every template may show."""
    return {
        "contact_email": settings.CONTACT_EMAIL,
        "site_url": settings.SITE_URL,
        "site_name": settings.SITE_NAME,
        # Article views pass their own (a translation may not exist); this covers the rest.
        "alternates": default_alternates(request),
        # The day, month and year as each language writes them ("3 de marzo de 2026").
        "long_date": pgettext("date format", "j F Y"),
    }
