"""Search over the live version of every published article in the page's language.

Results point at the matching section of the live page (its heading anchor) with a highlighted
excerpt. Words are compared by their Snowball stem in the page's language (withdrawal,
withdrawals and withdraw are one word; so are dependencia and dependencias); a query word that
no article contains is replaced by the closest word that one does ("kratum" finds kratom), and
the page says so. On PostgreSQL the database's full-text search in that language (the same
Snowball stemmer) selects and ranks the articles; on SQLite the same is done in Python. Either
way only live versions are searched: drafts, unpublished articles and superseded versions never
appear.

Spanish accents: the Snowball Spanish stemmer drops acute accents from every stem, in Python
and in PostgreSQL alike, so "naloxona" and "nalóxona", "adiccion" and "adicción" are one word.
Stop words are compared as typed (accents kept), so "té" (tea) is searched and "te" is not.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import snowballstemmer
from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from kratom_info.articles.models import Article, Revision

MAX_QUERY_LENGTH = 200
EXCERPT_WORDS = 32
WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# Words too common to search for; everything else counts.
STOP_WORDS = frozenset(
    "a an and are as at be but by can do does for from has have how i if in is it its me my "
    "no not of on or so that the their them they this to was we what when where which who why "
    "will with you your".split()
)
# The same for Spanish, as people type them: with their accents and, where the bare form is
# not another word worth finding, without ("que" and "qué"; but "té", tea, is not one).
STOP_WORDS_ES = frozenset(
    "a al algo como cómo con cual cuál cuando cuándo de del donde dónde e el él ella ellas "
    "ellos en entre era es esa ese eso esta está estas estos este esto fue ha han hay la las "
    "le les lo los me mi mis muy nada ni no nos o os para pero por porque qué que quien quién "
    "se sí si sin sobre su sus también te tu tú tus un una unas uno unos usted ustedes y ya "
    "yo".split()
)


@dataclass(frozen=True)
class SearchLanguage:
    """How one language's words are compared: its Snowball stemmer, its stop words and the
    PostgreSQL text search configuration that uses the same stemmer."""

    stemmer: str
    stop_words: frozenset[str]
    text_search_config: str


LANGUAGES = {
    "en": SearchLanguage(stemmer="english", stop_words=STOP_WORDS, text_search_config="english"),
    "es": SearchLanguage(stemmer="spanish", stop_words=STOP_WORDS_ES, text_search_config="spanish"),
}
_stemmers = {code: snowballstemmer.stemmer(lang.stemmer) for code, lang in LANGUAGES.items()}


def stem(word: str, language: str = "en") -> str:
    return _stemmers[language].stemWord(word.lower().replace("’", "'"))


_BARE_VOWELS = str.maketrans("áéíóúüÁÉÍÓÚÜ", "aeiouuaeiouu")


def fold(word: str) -> str:
    """``word`` in lower case without the accents Spanish puts on vowels (ñ is a letter of its
    own and stays), to compare what people type with or without accents."""
    return word.lower().translate(_BARE_VOWELS)


def words(text: str) -> list[str]:
    return WORD_RE.findall(text)


@dataclass
class Section:
    """One part of a live article: the top (title, summary, main message, key points) or the
    text under an h2/h3 heading, with the heading's anchor."""

    anchor: str
    heading: str
    text: str
    language: str = "en"
    stems: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.stems = [stem(word, self.language) for word in words(f"{self.heading} {self.text}")]


class _SectionSplitter(HTMLParser):
    """Splits stored article HTML at each h2/h3 that carries an id. Citation numbers are left
    out of the text: they are not words a reader searches for."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sections: list[list[str]] = []  # [anchor, heading, text]
        self._in_heading = False
        self._skip_depth = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("h2", "h3") and attributes.get("id"):
            self.sections.append([attributes["id"], "", ""])
            self._in_heading = True
        elif tag == "sup" and "citation" in (attributes.get("class") or ""):
            self._skip_depth += 1
        elif tag in ("p", "li", "td", "th", "br") and self.sections:
            self.sections[-1][2] += " "

    def handle_endtag(self, tag):
        if tag in ("h2", "h3"):
            self._in_heading = False
        elif tag == "sup" and self._skip_depth:
            self._skip_depth -= 1

    def handle_data(self, data):
        if self._skip_depth:
            return
        if not self.sections:
            self.sections.append(["", "", ""])
        self.sections[-1][1 if self._in_heading else 2] += data


_section_cache: dict[tuple[int, str], list[Section]] = {}
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:!?)])")


def sections_of(revision: Revision, language: str = "en") -> list[Section]:
    """The sections of a revision (written in ``language``). Submitted revisions never change,
    so they are split once."""
    key = (revision.pk, revision.content_hash)
    cached = _section_cache.get(key) if revision.is_frozen else None
    if cached is not None:
        return cached
    top_text = " ".join([revision.summary, revision.main_message, *revision.key_points])
    sections = [Section(anchor="", heading=revision.title, text=top_text, language=language)]
    splitter = _SectionSplitter()
    splitter.feed(revision.body_html)
    splitter.close()
    for anchor, heading, text in splitter.sections:
        # Without its citation numbers, "dependence [1]." would read "dependence ."
        text = _SPACE_BEFORE_PUNCTUATION.sub(r"\1", " ".join(text.split()))
        if not anchor:  # text before the first heading belongs with the top of the page
            sections[0].text += " " + text
            sections[0].__post_init__()
        else:
            sections.append(
                Section(
                    anchor=anchor, heading=" ".join(heading.split()), text=text, language=language
                )
            )
    if revision.is_frozen:
        _section_cache[key] = sections
    return sections


@dataclass
class SearchHit:
    article: Article
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

    @property
    def corrected_query(self) -> str:
        return " ".join(self.terms)


def _query_words(query: str, language: str = "en") -> list[str]:
    seen: dict[str, None] = {}
    stop_words = LANGUAGES[language].stop_words
    for word in words(query[:MAX_QUERY_LENGTH].lower()):
        if word not in stop_words:
            seen.setdefault(word, None)
    return list(seen)


def _correct(
    query_words: list[str], vocabulary: set[str], vocab_stems: set[str], language: str = "en"
) -> tuple[list[str], dict[str, str]]:
    """Replace each word no article contains with the closest one that an article does.
    Words are compared without their accents ("abstinensia" finds "abstinencia"), and the word
    shown is the one the articles use. ("adiccion" needs no correction: its stem is that of
    "adicción".)"""
    terms, corrections = [], {}
    by_folded = {fold(word): word for word in sorted(vocabulary)}
    candidates = sorted(by_folded)
    for word in query_words:
        if stem(word, language) in vocab_stems or len(word) < 4:
            terms.append(word)
            continue
        close = difflib.get_close_matches(fold(word), candidates, n=1, cutoff=0.75)
        if close:
            corrections[word] = by_folded[close[0]]
            terms.append(by_folded[close[0]])
        else:
            terms.append(word)
    return terms, corrections


def _excerpt(section: Section, term_stems: set[str]) -> SafeString:
    """About EXCERPT_WORDS words of the section around its first match, matches in <mark>."""
    tokens = re.split(r"(\s+)", section.text.strip())
    word_positions = [i for i, token in enumerate(tokens) if token and not token.isspace()]
    first = next(
        (
            n
            for n, i in enumerate(word_positions)
            if any(stem(w, section.language) in term_stems for w in words(tokens[i]))
        ),
        0,
    )
    start = max(0, first - EXCERPT_WORDS // 3)
    chosen = word_positions[start : start + EXCERPT_WORDS]
    if not chosen:
        return mark_safe("")  # noqa: S308 (empty)
    out = ["… " if start > 0 else ""]
    for i in range(chosen[0], chosen[-1] + 1):
        token = tokens[i]
        if token.isspace():
            out.append(" ")
            continue
        # Mark the matching words inside the token, keeping its punctuation outside <mark>.
        last = 0
        for match in WORD_RE.finditer(token):
            out.append(escape(token[last : match.start()]))
            text = escape(match.group(0))
            matched = stem(match.group(0), section.language) in term_stems
            out.append(f"<mark>{text}</mark>" if matched else text)
            last = match.end()
        out.append(escape(token[last:]))
    if chosen[-1] < word_positions[-1]:
        out.append(" …")
    return mark_safe("".join(out))  # noqa: S308 (every piece of text is escaped above)


def _score_sections(sections: list[Section], term_stems: list[str]) -> tuple[set[str], list]:
    """Which stems the article contains, and (score, section) for each section that matches."""
    present: set[str] = set()
    scored = []
    for position, section in enumerate(sections):
        counts = {s: section.stems.count(s) for s in term_stems}
        heading_stems = {stem(w, section.language) for w in words(section.heading)}
        matched = {s for s, n in counts.items() if n}
        present |= matched
        if matched:
            score = len(matched) * 10 + sum(math.log1p(n) for n in counts.values())
            score += 3 * len(heading_stems & matched)
            scored.append((score, -position, section))
    return present, scored


def _postgres_order(
    article_ids: list[int], terms: list[str], *, match_all: bool, language: str = "en"
) -> list[int]:
    """PostgreSQL full-text search: the ids of the live articles whose live version matches,
    best ranked first (title weighs most, then summary and main message, then the body)."""
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    config = LANGUAGES[language].text_search_config
    vector = (
        SearchVector("live_revision__title", weight="A", config=config)
        + SearchVector("live_revision__summary", "live_revision__main_message", weight="B",
                       config=config)
        + SearchVector("live_revision__body", weight="C", config=config)
    )  # fmt: skip
    query = None
    for term in terms:
        part = SearchQuery(term, config=config)
        query = part if query is None else (query & part if match_all else query | part)
    return list(
        Article.objects.filter(pk__in=article_ids)
        .annotate(document=vector)
        .filter(document=query)  # to_tsvector(...) @@ the query: every word, or any word
        .annotate(rank=SearchRank(vector, query))
        .order_by("-rank", "order", "slug")
        .values_list("pk", flat=True)
    )


def search(query: str, language: str = "en") -> SearchResults:
    """Search the live versions in ``language`` for ``query``, with that language's stemmer
    and stop words. Every word must match; when no article has them all, articles with any of
    them are shown, and the page says so."""
    if language not in LANGUAGES:
        raise ValueError(f"No search for language {language!r}; known: {', '.join(LANGUAGES)}.")
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    query_words = _query_words(query, language)
    if not query_words:
        return SearchResults(query=query, terms=[], corrections={}, hits=[])
    articles = list(Article.objects.published(language))
    indexed = [(article, sections_of(article.live_revision, language)) for article in articles]
    vocabulary = {
        w.lower()
        for _, sections in indexed
        for section in sections
        for w in words(f"{section.heading} {section.text}")
        if len(w) > 2
    }
    vocab_stems = {stem(w, language) for w in vocabulary}
    terms, corrections = _correct(query_words, vocabulary, vocab_stems, language)
    term_stems = list(dict.fromkeys(stem(term, language) for term in terms))

    results = SearchResults(query=query, terms=terms, corrections=corrections, hits=[])
    for match_all in (True, False):
        hits = []
        for article, sections in indexed:
            present, scored = _score_sections(sections, term_stems)
            if not scored or (match_all and present != set(term_stems)):
                continue
            score, _, best = max(scored, key=lambda item: item[:2])
            hits.append(SearchHit(article, best, _excerpt(best, set(term_stems)), score))
        order = []
        if connection.vendor == "postgresql":
            order = _postgres_order(
                [a.pk for a in articles], terms, match_all=match_all, language=language
            )
        if order:
            by_id = {hit.article.pk: hit for hit in hits}
            ranked = [by_id[pk] for pk in order if pk in by_id]
            # An article PostgreSQL matches only through its Markdown (say, a link's address)
            # still counts, shown from its top section.
            for pk in order:
                if pk not in by_id:
                    article, sections = next(item for item in indexed if item[0].pk == pk)
                    top = sections[0]
                    ranked.append(SearchHit(article, top, _excerpt(top, set(term_stems)), 0))
            hits = ranked
        else:
            # SQLite; or PostgreSQL, whose stop word lists are longer than ours, left out every
            # word as too common ("mucho", "about"): the ranking done here stands.
            hits.sort(key=lambda hit: (-hit.score, hit.article.order, hit.article.slug))
        if hits:
            results.hits = hits
            results.matched_all_terms = match_all
            break
    return results
