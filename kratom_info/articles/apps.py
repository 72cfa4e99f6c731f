from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "kratom_info.articles"
    verbose_name = "Articles"

    def ready(self):
        from kratom_info.articles.affected_pages import article_pages_affected
        from kratom_info.pagecache.purge import pages_affected

        # The page cache sits below the apps: it asks which article pages a change shows on.
        pages_affected.connect(article_pages_affected, dispatch_uid="articles_pages_affected")
