from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "kratom_info.health"
    verbose_name = "Health checks"

    def ready(self):
        from kratom_info.health.middleware import PROBES
        from kratom_info.pagecache.wsgi import always_to_django

        # The probes must answer whatever state the page cache is in, and never from it.
        always_to_django(PROBES)
