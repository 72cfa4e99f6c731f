"""WSGI entry point for gunicorn: ``gunicorn kratom_info.wsgi``.

Cached public pages are answered before Django's request cycle (kratom_info/pagecache/wsgi.py).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kratom_info.settings")

django_application = get_wsgi_application()

from kratom_info.pagecache.wsgi import PageCacheApplication  # noqa: E402 (needs the app registry)

application = PageCacheApplication(django_application)
