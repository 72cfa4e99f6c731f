from django.test import TestCase

from tests.factories import make_user
from tests.handouts.helpers import make_published_article


class ShortCodeAdminTests(TestCase):
    def test_admin_lists_codes_read_only(self):
        """Staff see every short code in the admin but cannot add, change or delete one."""
        article = make_published_article("dose")
        self.client.force_login(make_user(is_staff=True, is_superuser=True))
        response = self.client.get("/admin/handouts/shortcode/")
        self.assertContains(response, article.short_code.code)
        self.assertEqual(self.client.get("/admin/handouts/shortcode/add/").status_code, 403)
        delete_url = f"/admin/handouts/shortcode/{article.short_code.pk}/delete/"
        self.assertEqual(self.client.get(delete_url).status_code, 403)
