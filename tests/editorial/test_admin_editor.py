"""The edit screen: drafts saved in place, the preview beside the text with the reader-style
header, the sticky change note and Save, the unsaved-changes script, and the conflict box."""

from kratom_info.editorial.models import AuditAction
from tests.editorial.base import EditorialTestCase, draft
from tests.editorial.test_admin import edit_url, review_url
from tests.factories import make_editor


class EditorScreenTests(EditorialTestCase):
    def form_data(self, based_on, body="New text [@k1].\n", **extra):
        return {
            "based_on": based_on,
            "title": "Dose",
            "summary": "Summary.",
            "main_message": "The main message.",
            "key_points": "One.\nTwo.",
            "body": body,
            "change_note": "Clarified.",
            **extra,
        }

    def test_saving_own_draft_twice_keeps_its_number(self):
        """Two saves of one's own draft through the screen: one revision, updated in place."""
        self.client.force_login(self.author)
        self.client.post(edit_url(self.article), self.form_data(0, "Kratom is a plnat [@k1].\n"))
        page = self.client.get(edit_url(self.article))
        self.assertContains(page, "Saving updates it in place")
        self.assertContains(page, 'value="Save draft"')
        revision = self.article.revisions.get()
        response = self.client.post(
            edit_url(self.article),
            self.form_data(1, "Kratom is a plant [@k1].\n", based_on_hash=revision.content_hash),
        )
        self.assertRedirects(response, review_url(revision))
        revision.refresh_from_db()
        self.assertEqual((self.article.revisions.count(), revision.number), (1, 1))
        self.assertIn("a plant", revision.body)
        self.assertEqual(
            revision.audit_events.order_by("pk").last().action, AuditAction.DRAFT_UPDATED
        )

    def test_layout_preview_beside_and_sticky_save(self):
        """Preview column with title, summary, main message and key points as readers see
        them; change note and Save in the sticky bar; our own script, no inline script."""
        draft(self.article, self.author, main_message="Go slow.", title="Dose guide")
        self.client.force_login(self.author)
        page = self.client.get(edit_url(self.article))
        html = page.content.decode()
        self.assertIn('class="markdownx editor-layout"', html)
        self.assertIn('<h1 data-preview="title">Dose guide</h1>', html)
        self.assertIn('<span data-preview="main_message">Go slow.</span>', html)
        self.assertIn("<li>Start low.</li>", html)
        self.assertIn('class="markdownx-preview article-body"', html)
        actions = html[html.index('id="editor-actions"') :]
        self.assertLess(actions.index('name="change_note"'), actions.index('name="_save"'))
        self.assertIn('src="/static/js/editor.js"', html)
        self.assertNotIn("<script>", html)
        self.assertIn("markdownx-editor", html)

    def test_conflict_box_shows_word_diff_and_opens_in_new_tab(self):
        """The conflict box shows the other person's change as a word diff, and the link to
        their version opens in a new tab."""
        first = draft(self.article, self.author, body="Kratom is a plant [@k1].\n")
        draft(self.article, make_editor("bob", "Author"), body="Kratom is a tree [@k1].\n")
        self.client.force_login(self.author)
        response = self.client.post(
            edit_url(self.article), self.form_data(first.number, body="My text [@k1].\n")
        )
        self.assertContains(response, 'id="conflict-diff"')
        self.assertContains(response, "[removed: </span>plant")
        self.assertContains(response, "[added: </span>tree")
        self.assertContains(response, 'target="_blank" rel="noopener">version 2</a>')
