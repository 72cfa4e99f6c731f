"""schema.org JSON-LD for search engines and other machines: ``MedicalWebPage`` on article pages
and ``WebSite`` on the home page, built as Python dicts from the same records the page shows.

The JSON sits in a ``<script type="application/ld+json">`` data block. Browsers never execute a
data block, so the Content-Security-Policy (``script-src 'self'``) neither blocks nor needs to
allow it; escaping ``<``, ``>`` and ``&`` keeps any text (a title, a source) from ending the block.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from kratom_info.articles.models import Article, Revision

LANGUAGE = "en"
ABOUT_KRATOM = {"@type": "Substance", "name": "Kratom", "alternateName": "Mitragyna speciosa"}
DOI_PREFIX = "https://doi.org/"
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _site() -> dict[str, Any]:
    return {"@type": "WebSite", "name": settings.SITE_NAME, "url": absolute(reverse("home"))}


def website_data() -> dict[str, Any]:
    """The home page: the site, its language and how to search it."""
    return {
        "@context": "https://schema.org",
        **_site(),
        "inLanguage": translation.get_language() or LANGUAGE,
        "description": "Plain-language, cited and reviewed information about kratom.",
        "potentialAction": {
            "@type": "SearchAction",
            "target": absolute(reverse("readers:search")) + "?q={search_term_string}",
            "query-input": "required name=search_term_string",
        },
    }


def _person(name: str, job_title: str = "") -> dict[str, str]:
    person = {"@type": "Person", "name": name}
    if job_title:
        person["jobTitle"] = job_title
    return person


class _ReferenceParser(HTMLParser):
    """Reads the frozen reference list of a revision: for each entry its text and the
    addresses it links to (the back links to the text are left out)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.entries: list[dict[str, Any]] = []
        self._in_entry = self._in_link = False
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "li" and (attributes.get("id") or "").startswith("ref-"):
            self.entries.append({"text": "", "links": []})
            self._in_entry = True
        elif self._in_entry and tag == "span" and attributes.get("class") == "backlinks":
            self._skip += 1
        elif self._in_entry and not self._skip and tag == "a" and attributes.get("href"):
            self.entries[-1]["links"].append(attributes["href"])
            self._in_link = True

    def handle_endtag(self, tag):
        if tag == "li":
            self._in_entry = False
        elif tag == "span" and self._skip:
            self._skip -= 1
        elif tag == "a":
            self._in_link = False

    def handle_data(self, data):
        if self._in_entry and not self._skip and not self._in_link:
            self.entries[-1]["text"] += data


def citations_from_references(references_html: str) -> list[dict[str, Any]]:
    """schema.org citations from the reference list the page shows. A permanent link's
    references are frozen, so its structured data never drifts when a source is edited."""
    parser = _ReferenceParser()
    parser.feed(references_html)
    parser.close()
    citations = []
    for entry in parser.entries:
        work: dict[str, Any] = {"@type": "CreativeWork", "name": " ".join(entry["text"].split())}
        doi = next((link for link in entry["links"] if link.startswith(DOI_PREFIX)), "")
        if doi:
            work["@type"] = "ScholarlyArticle"
            work["sameAs"] = doi
        if entry["links"]:
            work["url"] = entry["links"][0]
        citations.append(work)
    return citations


def article_page_data(
    *, article: Article, revision: Revision, is_permalink: bool
) -> dict[str, Any]:
    """An article page: what it is about, who it is for, when it was published, changed and
    reviewed, by whom, and every source it cites (from the page's own reference list). No
    query when the view annotated ``first_published_at``; else one for the first version."""
    first_published = getattr(revision, "first_published_at", None) or (
        Revision.objects.public()
        .filter(article_id=article.pk)
        .order_by("number")
        .values_list("published_at", flat=True)
        .first()
    )
    url = revision.get_absolute_url() if is_permalink else article.get_absolute_url()
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "url": absolute(url),
        "name": revision.title,
        "headline": revision.title,
        "description": revision.summary,
        "inLanguage": article.language,
        "version": str(revision.public_number),
        "datePublished": (first_published or revision.published_at).isoformat(),
        "dateModified": revision.published_at.isoformat(),
        "audience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        "about": ABOUT_KRATOM,
        "isPartOf": _site(),
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME,
                      "url": absolute(reverse("home"))},
    }  # fmt: skip
    if revision.author_name:
        data["author"] = _person(revision.author_name)
    publication = getattr(revision, "publication", None)
    if publication is not None:
        data["lastReviewed"] = publication.reviewed_on.isoformat()
        data["reviewedBy"] = _person(publication.reviewer_name, publication.reviewer_role)
    data["citation"] = citations_from_references(revision.references_html)
    if revision.translates_id is not None:
        # A translation names the English version it translates.
        data["translationOfWork"] = {
            "@type": "MedicalWebPage",
            "url": absolute(revision.translates.get_absolute_url()),
            "inLanguage": revision.translates.article.language,
            "version": str(revision.translates.public_number),
        }
    return data


def json_ld_script(data: dict[str, Any]) -> SafeString:
    """The data as a JSON-LD block that no text inside it can break out of."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308
