"""Search over the live version of every published article in the page's language, read from the
stored index (:mod:`kratom_info.readers.search_index`), so its cost follows the page it shows,
not the number of articles.

Results are paged (RESULTS_PER_PAGE a page); each points at the matching section of the live
page (its heading anchor) with a highlighted excerpt, made for the results shown only. Words
are compared by their Snowball stem in the page's language; a query word whose stem no article
has is replaced by the closest word of the stored vocabulary ("kratum" finds kratom), and the
page says so. On PostgreSQL the tsvector column (GIN index) in the article's language selects
and ranks the articles; on SQLite the FTS5 table of the same stems does. Either way only live
versions are searched: drafts, unpublished articles and superseded versions are never indexed.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from html import escape

from django.db import connection, transaction
from django.db.models import Q
from django.utils.safestring import SafeString, mark_safe

from kratom_info.articles.models import Article
from kratom_info.readers.models import SearchDocument, SearchSection, SearchWord
from kratom_info.readers.search_index import FTS_TABLE
from kratom_info.readers.search_text import LANGUAGES, WORD_RE, fold, stem, words

MAX_QUERY_LENGTH = 200
# Words searched for at most; each unknown one costs a look-up in the vocabulary.
MAX_QUERY_WORDS = 8
RESULTS_PER_PAGE = 10
EXCERPT_WORDS = 32
# How close a vocabulary word must be to a misspelt one (difflib's ratio).
CORRECTION_CUTOFF = 0.75
# Field weights for SQLite's bm25 (title, top of the page, body), as PostgreSQL's A, B, C.
FTS_WEIGHTS = (10.0, 4.0, 1.0)


@dataclass(frozen=True)
class Section:
    """What choosing and linking a section needs of a stored SearchSection."""

    pk: int
    position: int
    anchor: str
    heading: str
    heading_stems: str
    text_stems: str


@dataclass
class SearchHit:
    article: Article
    title: str
    section: Section
    excerpt: SafeString
    score: float

    @property
    def url(self) -> str:
        base = self.article.get_absolute_url()
        return f"{base}#{self.section.anchor}" if self.section.anchor else base


@dataclass
class SearchResults:
    query: str
    terms: list[str]
    corrections: dict[str, str]
    hits: list[SearchHit]
    matched_all_terms: bool = True
    total: int = 0
    page: int = 1
    per_page: int = RESULTS_PER_PAGE
    ignored_words: list[str] = field(default_factory=list)

    @property
    def corrected_query(self) -> str:
        return " ".join(self.terms)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def previous_page(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def next_page(self) -> int | None:
        return self.page + 1 if self.page < self.pages else None

    @property
    def first_number(self) -> int:
        """The position of the first hit on this page among all of them (1-based)."""
        return (self.page - 1) * self.per_page + 1


def _query_words(query: str, language: str) -> list[str]:
    seen: dict[str, None] = {}
    stop_words = LANGUAGES[language].stop_words
    for word in words(query[:MAX_QUERY_LENGTH].lower()):
        if word not in stop_words:
            seen.setdefault(word, None)
    return list(seen)


def _close_lengths(length: int) -> tuple[int, int]:
    """The lengths a word can have and still be CORRECTION_CUTOFF close to one of ``length``
    letters (difflib's ratio is at most 2 * shorter / (both lengths))."""
    shortest = math.ceil(length * CORRECTION_CUTOFF / (2 - CORRECTION_CUTOFF))
    longest = math.floor(length * (2 - CORRECTION_CUTOFF) / CORRECTION_CUTOFF)
    return shortest, longest


def _correct(query_words: list[str], language: str) -> tuple[list[str], dict[str, str]]:
    """Replace each word whose stem no live article has with the closest word one does, from
    the stored vocabulary (only words of a length that could be close are read). Words are
    compared without their accents ("abstinensia" finds "abstinencia"), and the word shown is
    the one the articles use. ("adiccion" needs no correction: its stem is that of
    "adicción".)"""
    stems = {word: stem(word, language) for word in query_words}
    vocabulary = SearchWord.objects.filter(language=language)
    known = set(vocabulary.filter(stem__in=set(stems.values())).values_list("stem", flat=True))
    unknown = [word for word in query_words if stems[word] not in known and len(word) >= 4]
    corrections: dict[str, str] = {}
    if unknown:
        lengths = Q()
        for word in unknown:
            lengths |= Q(length__range=_close_lengths(len(word)))
        by_folded: dict[str, str] = {}
        for word, folded in (
            vocabulary.filter(lengths).order_by("word").values_list("word", "folded")
        ):
            by_folded[folded] = word
        for word in unknown:
            low, high = _close_lengths(len(word))
            candidates = sorted(f for f in by_folded if low <= len(f) <= high)
            close = difflib.get_close_matches(fold(word), candidates, n=1, cutoff=CORRECTION_CUTOFF)
            if close:
                corrections[word] = by_folded[close[0]]
    return [corrections.get(word, word) for word in query_words], corrections


def _sqlite_page(
    term_stems: list[str], language: str, *, match_all: bool, offset: int
) -> tuple[list[int], int]:
    """Ids of one page of matching documents (best first) and how many match in all, from the
    FTS5 table alone: joined to other tables, SQLite would run the match once per document."""
    terms = (" AND " if match_all else " OR ").join(f'"{s}"' for s in term_stems)
    match = f'language:"{language}" AND ({terms})'
    weights = ", ".join(str(weight) for weight in (0.0, *FTS_WEIGHTS))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "  # noqa: S608 (constants)
            f"ORDER BY bm25({FTS_TABLE}, {weights}), rowid LIMIT %s OFFSET %s",
            [match, RESULTS_PER_PAGE, offset],
        )
        ids = [row[0] for row in cursor.fetchall()]
        total = len(ids)  # all of them, unless the page is full or not the first
        if len(ids) == RESULTS_PER_PAGE or offset:
            cursor.execute(
                f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608
                [match],
            )
            total = cursor.fetchone()[0]
    return ids, total


def _postgres_page(
    terms: list[str], language: str, *, match_all: bool, offset: int
) -> tuple[list[int], int]:
    """The same on PostgreSQL: the language's own GIN index of ``vector`` (a partial index,
    one per language, readers' migration 0004) selects the documents, and ts_rank on their
    small ``rank_vector`` ranks them (a match in the title weighs most, then one at the top of
    the page; body matches alone come in the site's order). Ranking on the whole vector would
    decompress every matching article's vector: most of the cost once thousands match.
    """
    config = LANGUAGES[language].text_search_config
    query = (" && " if match_all else " || ").join(
        ["plainto_tsquery(%s::regconfig, %s)"] * len(terms)
    )
    query_params = [part for term in terms for part in (config, term)]
    documents, articles = SearchDocument._meta.db_table, Article._meta.db_table
    matching = f"FROM {documents} d WHERE d.language = %s AND d.vector @@ ({query})"
    matching_params = [language, *query_params]
    with transaction.atomic(), connection.cursor() as cursor:
        # The planner does not count the cost of reading each row's vector out of line, and
        # can prefer testing every row's vector to the GIN index: many times slower. Nor
        # are parallel workers worth starting for a few milliseconds of work. Undone by the
        # rollback if a query fails, by the last line otherwise (the caller's transaction, if
        # any, goes on with the defaults).
        cursor.execute(
            "SELECT set_config('enable_seqscan', 'off', true), "
            "set_config('max_parallel_workers_per_gather', '0', true)"
        )
        # Ranked first, joined to the articles (for the order among equal ranks) after: the
        # matches are sorted as (id, article, rank), not as whole rows.
        cursor.execute(
            f"WITH ranked AS MATERIALIZED (SELECT d.id, d.article_id, "  # noqa: S608 (constants)
            f"ts_rank(d.rank_vector, ({query})) AS rank {matching}) "
            f"SELECT ranked.id FROM ranked JOIN {articles} a ON a.id = ranked.article_id "
            'ORDER BY ranked.rank DESC, a."order", a.slug LIMIT %s OFFSET %s',
            [*query_params, *matching_params, RESULTS_PER_PAGE, offset],
        )
        ids = [row[0] for row in cursor.fetchall()]
        total = len(ids)  # all of them, unless the page is full or not the first
        if len(ids) == RESULTS_PER_PAGE or offset:
            cursor.execute(f"SELECT count(*) {matching}", matching_params)  # noqa: S608
            total = cursor.fetchone()[0]
        cursor.execute(
            "SELECT set_config(name, reset_val, true) FROM pg_settings "
            "WHERE name IN ('enable_seqscan', 'max_parallel_workers_per_gather')"
        )
    return ids, total


def _matching_page(terms, term_stems, language, *, match_all, page):
    """(ids, total, page) of the page asked for, or of the last page when it is past the end."""
    find = _postgres_page if connection.vendor == "postgresql" else _sqlite_page
    what = terms if connection.vendor == "postgresql" else term_stems
    ids, total = find(what, language, match_all=match_all, offset=(page - 1) * RESULTS_PER_PAGE)
    if not ids and page > 1:
        _, total = find(what, language, match_all=match_all, offset=0)
        page = max(1, math.ceil(total / RESULTS_PER_PAGE))
        ids, total = find(what, language, match_all=match_all, offset=(page - 1) * RESULTS_PER_PAGE)
    return ids, total, page


def _section_score(section: Section, term_stems: list[str]) -> float:
    heading = section.heading_stems.split()
    every = heading + section.text_stems.split()
    counts = {s: every.count(s) for s in term_stems}
    matched = {s for s, n in counts.items() if n}
    if not matched:
        return 0.0
    score = len(matched) * 10 + sum(math.log1p(n) for n in counts.values())
    return score + 3 * len(set(heading) & matched)


def _excerpt(text: str, text_stems: str, term_stems: set[str]) -> SafeString:
    """About EXCERPT_WORDS words of a section's text around its first match, matches in
    <mark>, marked from the stems stored with the section: only the words shown are read."""
    stems = text_stems.split()
    first = next((n for n, found in enumerate(stems) if found in term_stems), 0)
    start = max(0, first - EXCERPT_WORDS // 3)
    shown = []
    more = False
    for n, match in enumerate(WORD_RE.finditer(text)):
        if n >= start + EXCERPT_WORDS:
            more = True
            break
        if n >= start:
            shown.append((n, match))
    if not shown:
        return mark_safe("")  # noqa: S308 (empty)
    # From the whitespace before the first word shown to the one after the last, so that the
    # punctuation next to them stays.
    begin = text.rfind(" ", 0, shown[0][1].start()) + 1
    end = text.find(" ", shown[-1][1].end())
    end = len(text) if end < 0 or not more else end
    out = ["… " if start > 0 else ""]
    last = begin
    for n, match in shown:
        out.append(escape(text[last : match.start()]))
        word = escape(match.group(0))
        marked = n < len(stems) and stems[n] in term_stems
        out.append(f"<mark>{word}</mark>" if marked else word)
        last = match.end()
    out.append(escape(text[last:end]))
    if more:
        out.append(" …")
    return mark_safe("".join(out))  # noqa: S308 (every piece of text is escaped above)


def _hits(ids: list[int], term_stems: list[str]) -> list[SearchHit]:
    """The hits for documents ``ids`` in that order, each at its best-matching section (the
    top of the page when only PostgreSQL's own stemming matched it). The sections' stems are
    read to choose; only the chosen sections' text, for their excerpts."""
    by_document: dict[int, list[Section]] = {}
    rows = SearchSection.objects.filter(document_id__in=ids).values_list(
        "pk", "document_id", "position", "anchor", "heading", "heading_stems", "text_stems"
    )
    for pk, document_id, position, anchor, heading, heading_stems, text_stems in rows:
        by_document.setdefault(document_id, []).append(
            Section(pk, position, anchor, heading, heading_stems, text_stems)
        )
    chosen = []
    for document_id in ids:
        candidates = by_document.get(document_id)
        if candidates:
            scored = [(_section_score(s, term_stems), -s.position, s) for s in candidates]
            score, _, best = max(scored, key=lambda item: item[:2])
            chosen.append((document_id, score, best))
    texts = dict(
        SearchSection.objects.filter(pk__in=[best.pk for _, _, best in chosen]).values_list(
            "pk", "text"
        )
    )
    documents = SearchDocument.objects.select_related("article").only(
        "title", "article__slug", "article__language"
    )
    documents = documents.in_bulk([document_id for document_id, _, _ in chosen])
    wanted = set(term_stems)
    return [
        SearchHit(
            documents[document_id].article,
            documents[document_id].title,
            best,
            _excerpt(texts.get(best.pk, ""), best.text_stems, wanted),
            score,
        )
        for document_id, score, best in chosen
    ]


def search(query: str, language: str = "en", page: int = 1) -> SearchResults:
    """Search the live versions in ``language`` for ``query`` (its first MAX_QUERY_LENGTH
    characters and MAX_QUERY_WORDS words), with that language's stemmer and stop words, and
    return page ``page`` of the results (the last one when it is past the end). Every word
    must match; when no article has them all, articles with any of them are shown, and the page
    says so."""
    if language not in LANGUAGES:
        raise ValueError(f"No search for language {language!r}; known: {', '.join(LANGUAGES)}.")
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    query_words = _query_words(query, language)
    query_words, ignored = query_words[:MAX_QUERY_WORDS], query_words[MAX_QUERY_WORDS:]
    results = SearchResults(query=query, terms=[], corrections={}, hits=[], ignored_words=ignored)
    if not query_words:
        return results
    results.terms, results.corrections = _correct(query_words, language)
    term_stems = list(dict.fromkeys(stem(term, language) for term in results.terms))
    page = max(1, page)
    for match_all in (True, False) if len(term_stems) > 1 else (True,):
        ids, total, page = _matching_page(
            results.terms, term_stems, language, match_all=match_all, page=page
        )
        if ids:
            results.hits = _hits(ids, term_stems)
            results.total, results.page, results.matched_all_terms = total, page, match_all
            break
    return results
