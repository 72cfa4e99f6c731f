"""The Spanish evidence type and public note of a source: frozen into Spanish reference lists at
submission (English ones keep the English note), and changed only through a reviewed proposal
like every other source field."""

from django.urls import reverse

from kratom_info.citations.models import Source
from kratom_info.editorial.models import AuditAction, AuditEvent
from kratom_info.editorial.services import FourEyesViolation
from kratom_info.source_review.models import SourceChange
from kratom_info.source_review.services import source_change_approve, source_change_propose
from tests.editorial.base import EditorialTestCase
from tests.factories import make_editor, make_reviewed_live, make_submitted, make_translation
from tests.source_review.test_source_admin import form_data, review_url

NOTE_EN = "Possible conflict of interest: the authors worked for a consultancy."
NOTE_ES = "Posible conflicto de intereses: los autores trabajaban para una consultora."
NEW_NOTE_ES = "Posible conflicto de intereses: los autores trabajaban para una empresa consultora."


class SpanishTextTestCase(EditorialTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        Source.objects.filter(key="k1").update(
            public_note=NOTE_EN,
            public_note_es=NOTE_ES,
            evidence_type="narrative review",
            evidence_type_es="revisión narrativa",
        )
        cls.source = Source.objects.get(key="k1")
        cls.english = make_reviewed_live(
            cls.article, author=cls.author, reviewer=cls.reviewer, publisher=cls.publisher
        )
        cls.spanish = make_translation(cls.article)

    def propose_spanish_note(self, note=NEW_NOTE_ES, *, user=None):
        return source_change_propose(
            user=user or self.author,
            source=Source.objects.get(key="k1"),
            values={"public_note_es": note},
            note="Plainer word.",
        )


class FrozenReferenceTests(SpanishTextTestCase):
    def test_spanish_revision_freezes_the_spanish_note_english_keeps_english(self):
        """Submission renders the reference list in the article's language."""
        spanish = make_submitted(
            self.spanish, "El kratom es una planta [@k1].\n", author=self.author, translates=1
        )
        self.assertIn(f'<span class="source-note">{NOTE_ES}</span>', spanish.references_html)
        self.assertNotIn(NOTE_EN, spanish.references_html)
        self.assertIn("A study called k1", spanish.references_html)  # titles stay as published
        english = self.english
        self.assertIn(f'<span class="source-note">{NOTE_EN}</span>', english.references_html)
        self.assertNotIn(NOTE_ES, english.references_html)

    def test_missing_spanish_note_is_frozen_as_english_marked_lang_en(self):
        Source.objects.filter(key="k1").update(public_note_es="")
        spanish = make_submitted(
            self.spanish, "El kratom es una planta [@k1].\n", author=self.author, translates=1
        )
        self.assertIn(
            f'<span class="source-note" lang="en">{NOTE_EN}</span>', spanish.references_html
        )

    def test_approved_change_to_the_spanish_note_leaves_submitted_versions_alone(self):
        """Like every source change: versions already submitted keep their reference list."""
        spanish = make_submitted(
            self.spanish, "El kratom es una planta [@k1].\n", author=self.author, translates=1
        )
        source_change_approve(change=self.propose_spanish_note(), user=self.reviewer)
        spanish.refresh_from_db()
        self.assertIn(NOTE_ES, spanish.references_html)
        self.assertNotIn(NEW_NOTE_ES, spanish.references_html)


class SpanishNoteChangeTests(SpanishTextTestCase):
    def test_proposal_changes_nothing_until_someone_else_approves(self):
        """The proposal records the Spanish note as a change; readers keep the old note; the
        proposer cannot approve it, a reviewer can, and the audit names the field."""
        boss = make_editor("boss", "Author", is_superuser=True)
        change = self.propose_spanish_note(user=boss)
        self.assertEqual(change.values["public_note_es"], NEW_NOTE_ES)
        self.assertEqual(change.based_on["public_note_es"], NOTE_ES)
        self.assertEqual(Source.objects.get(key="k1").public_note_es, NOTE_ES)
        self.assertContains(self.client.get("/es/sources/k1/"), NOTE_ES)
        with self.assertRaises(FourEyesViolation):
            source_change_approve(change=change, user=boss)
        self.assertEqual(Source.objects.get(key="k1").public_note_es, NOTE_ES)
        source_change_approve(change=change, user=self.reviewer)
        self.assertEqual(Source.objects.get(key="k1").public_note_es, NEW_NOTE_ES)
        approved = AuditEvent.objects.get(action=AuditAction.SOURCE_APPROVED)
        self.assertIn("public_note_es", approved.detail)
        self.assertIn(NEW_NOTE_ES[:40], approved.detail)

    def test_approval_refreshes_the_cached_spanish_source_page(self):
        """Approval bumps the page-cache generation: the cached Spanish page shows the new
        note at once, the English page keeps the English one."""
        url = "/es/sources/k1/"
        self.assertNotContains(self.client.get(url), NEW_NOTE_ES)
        self.assertNotContains(self.client.get(url), NEW_NOTE_ES)  # now from the cache
        source_change_approve(change=self.propose_spanish_note(), user=self.reviewer)
        self.assertContains(self.client.get(url), NEW_NOTE_ES)
        english = self.client.get("/sources/k1/")
        self.assertContains(english, NOTE_EN)
        self.assertNotContains(english, NEW_NOTE_ES)

    def test_review_screen_shows_the_spanish_note_change(self):
        change = self.propose_spanish_note()
        self.client.force_login(self.reviewer)
        response = self.client.get(review_url(change))
        self.assertContains(response, '<tr class="field-changed" id="field-public_note_es">')
        self.assertContains(response, '<tr class="field-unchanged" id="field-evidence_type_es">')
        self.assertContains(response, "Public note (Spanish)")

    def test_propose_form_carries_the_spanish_fields_and_the_admin_stays_read_only(self):
        """Authors propose the Spanish texts in the same form; nobody edits them directly."""
        self.client.force_login(self.author)
        propose_url = reverse("admin:citations_source_propose", args=[self.source.pk])
        page = self.client.get(propose_url)
        self.assertContains(page, 'name="public_note_es"')
        self.assertContains(page, 'name="evidence_type_es"')
        response = self.client.post(
            propose_url,
            form_data(self.source, evidence_type_es="revisión narrativa de la literatura"),
        )
        change = SourceChange.objects.get()
        self.assertRedirects(response, review_url(change))
        self.assertEqual(change.values["evidence_type_es"], "revisión narrativa de la literatura")
        self.assertEqual(Source.objects.get(key="k1").evidence_type_es, "revisión narrativa")
        boss = make_editor("boss", "Publisher", is_superuser=True)
        self.client.force_login(boss)
        source_page = self.client.get(
            reverse("admin:citations_source_change", args=[self.source.pk])
        )
        self.assertNotContains(source_page, 'name="public_note_es"')
        self.assertNotContains(source_page, 'name="_save"')
