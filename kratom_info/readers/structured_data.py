"""schema.org JSON-LD for search engines and other machines: ``MedicalWebPage`` on article pages
and ``WebSite`` on the home page, built as Python dicts from the same records the page shows.

The JSON sits in a ``<script type="application/ld+json">`` data block, on article pages at the
end of the body: after the reference list it repeats, so compression sends the repeated titles
and links as back-references (about 1.7 KB less gzip on the longest pages). Browsers never
execute a data block, so the Content-Security-Policy (``script-src 'self'``) neither blocks nor
needs to allow it; escaping ``<``, ``>`` and ``&`` keeps any text (a title, a source) from
ending the block.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from kratom_info.articles.models import Article, Revision
from kratom_info.articles.rendering import reference_entries, reference_locators
from kratom_info.languages import url_in

LANGUAGE = "en"
ABOUT_KRATOM = {"@type": "Substance", "name": "Kratom", "alternateName": "Mitragyna speciosa"}
AUDIENCE = {"@type": "MedicalAudience", "audienceType": "Patient"}
DOI_PREFIX = "https://doi.org/"


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _page(viewname: str) -> str:
    """The absolute address of a page in the current language."""
    return absolute(url_in(translation.get_language() or LANGUAGE, viewname))


def _site() -> dict[str, Any]:
    return {
        "@type": "WebSite",
        "name": settings.SITE_NAME,
        "url": _page("home"),
    }


def website_data() -> dict[str, Any]:
    """The home page: the site, its language and how to search it."""
    return {
        "@context": "https://schema.org",
        **_site(),
        "inLanguage": translation.get_language() or LANGUAGE,
        "description": "Plain-language, cited and reviewed information about kratom.",
        "potentialAction": {
            "@type": "SearchAction",
            "target": _page("readers:search") + "?q={search_term_string}",
            "query-input": "required name=search_term_string",
        },
    }


def _person(name: str, job_title: str = "") -> dict[str, str]:
    person = {"@type": "Person", "name": name}
    if job_title:
        person["jobTitle"] = job_title
    return person


_LINK_RE = re.compile(r'<a [^>]*href="(https?://[^"]+)"')
_TAG_RE = re.compile(r"<[^>]+>")
# An entry reads "Authors (Year). Title. <i>Container</i> ...": the title follows the year.
_AFTER_YEAR_RE = re.compile(r" \(\d{4}[^)]*\)\. ")


def reference_title(entry: str) -> str:
    """The cited work's title, read from a reference list entry as
    :meth:`~kratom_info.citations.models.Source.citation_html` writes it: after the year and
    before the container in italics (or the next full stop when there is none). The whole
    entry as plain text when it does not have that shape."""
    after_year = _AFTER_YEAR_RE.search(entry)
    title = entry[after_year.end() :] if after_year else entry
    title = title.partition(". <i>")[0] if ". <i>" in title else title.partition(". ")[0]
    return " ".join(html.unescape(_TAG_RE.sub("", title)).split()).rstrip(".")


def citations_from_references(references_html: str) -> list[dict[str, Any]]:
    """schema.org citations from the reference list the page shows: each entry's DOI as
    ``sameAs`` when it has one, and its first link as ``url`` (every source has a DOI, a PubMed
    id or an address), named by its title (the rest of the entry is on the page itself, and
    the whole page goes to every reader). A permanent link's references are frozen, so its
    structured data never drifts when a source is edited.

    Where the text cites a place in the source (``[@key, table 2]``), each place is a part of
    the work (``hasPart``, named as readers see it): the claim's support, pinpointed."""
    citations = []
    places = reference_locators(references_html)
    # Each entry without its back-links, which only lead back into the page.
    for number, entry in reference_entries(references_html).items():
        links = [html.unescape(link) for link in _LINK_RE.findall(entry)]
        if not links:
            continue
        doi = next((link for link in links if link.startswith(DOI_PREFIX)), "")
        work: dict[str, Any] = {
            "@type": "ScholarlyArticle" if doi else "CreativeWork",
            "name": reference_title(entry),
        }
        if doi:
            work["sameAs"] = doi
        work["url"] = links[0]
        if number in places:
            work["hasPart"] = [
                {"@type": "CreativeWork", "name": html.unescape(place)} for place in places[number]
            ]
        citations.append(work)
    return citations


def article_page_data(
    *, article: Article, revision: Revision, is_permalink: bool
) -> dict[str, Any]:
    """An article page: what it is about, who it is for, which version in which language, when
    it was published, changed and reviewed, by whom, and every source it cites (from the page's
    own reference list). No query.

    A permanent link (``/vN/``) names the live page as its ``url`` and ``mainEntityOfPage``,
    as its canonical link does: it is a version of that page, told apart by ``version``."""
    first_published = article.first_published_at or revision.published_at
    canonical = absolute(article.get_absolute_url())
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "url": canonical,
        "mainEntityOfPage": canonical,
        "name": revision.title,
        "headline": revision.title,
        "description": revision.summary,
        "inLanguage": article.language,
        "version": str(revision.public_number),
        # Whole seconds: search engines read no finer, and every byte of the page is sent.
        "datePublished": first_published.isoformat(timespec="seconds"),
        "dateModified": revision.published_at.isoformat(timespec="seconds"),
        "audience": AUDIENCE,
        "about": ABOUT_KRATOM,
        "isPartOf": _site(),
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME, "url": _page("home")},
    }
    publication = revision.review_record
    if publication is not None and publication.author_name:
        data["author"] = _person(publication.author_name, publication.author_role)
    elif revision.author_name:
        data["author"] = _person(revision.author_name)
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
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # str.replace, not str.translate: the same escapes, many times faster on a long block.
    text = text.replace("&", "\\u0026").replace("<", "\\u003C").replace(">", "\\u003E")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308
