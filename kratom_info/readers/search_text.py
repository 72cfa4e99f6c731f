"""How search reads text, the same when an article is indexed and when a reader searches: words,
their Snowball stem in the page's language (withdrawal, withdrawals and withdraw are one word;
so are dependencia and dependencias), stop words, accents, and an article's sections.

Spanish accents: the Snowball Spanish stemmer drops acute accents from every stem, in Python
and in PostgreSQL alike, so "naloxona" and "nalóxona", "adiccion" and "adicción" are one word.
Stop words are compared as typed (accents kept), so "té" (tea) is searched and "te" is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import snowballstemmer

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
# Words shorter than this are never offered as a correction, nor corrected.
VOCABULARY_MIN_LENGTH = 3


@dataclass(frozen=True)
class SearchLanguage:
    """How one language's words are compared: its Snowball stemmer, its stop words and the
    PostgreSQL text search configuration that uses the same stemmer. The configurations
    (created by readers' migration 0002) are PostgreSQL's 'english' and 'spanish' with their
    stop word lists left out, so that words PostgreSQL thinks too common but readers search for
    ("mucho", "about") are found; the stop words above are left out of the query instead."""

    stemmer: str
    stop_words: frozenset[str]
    text_search_config: str
    postgres_base_config: str


LANGUAGES = {
    "en": SearchLanguage("english", STOP_WORDS, "kratom_english", "english"),
    "es": SearchLanguage("spanish", STOP_WORDS_ES, "kratom_spanish", "spanish"),
}
_stemmers = {code: snowballstemmer.stemmer(lang.stemmer) for code, lang in LANGUAGES.items()}


def stem(word: str, language: str = "en") -> str:
    return _stemmers[language].stemWord(word.lower().replace("’", "'"))


class Stems:
    """Stems of many words in one language, each distinct word stemmed once (an article
    repeats most of its words)."""

    def __init__(self, language: str):
        self.language = language
        self._known: dict[str, str] = {}

    def __call__(self, word: str) -> str:
        found = self._known.get(word)
        if found is None:
            found = self._known[word] = stem(word, self.language)
        return found

    def of(self, text: str) -> str:
        """The stems of every word of ``text``, space-separated, in order."""
        return " ".join(self(word) for word in words(text))


_BARE_VOWELS = str.maketrans("áéíóúüÁÉÍÓÚÜ", "aeiouuaeiouu")


def fold(word: str) -> str:
    """``word`` in lower case without the accents Spanish puts on vowels (ñ is a letter of its
    own and stays), to compare what people type with or without accents."""
    return word.lower().translate(_BARE_VOWELS)


def words(text: str) -> list[str]:
    return WORD_RE.findall(text)


@dataclass
class SectionText:
    """One part of an article: the top (title, summary, main message, key points and any text
    before the first heading) or the text under an h2/h3 heading, with the heading's anchor."""

    anchor: str
    heading: str
    text: str


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


_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:!?)])")


def _clean(text: str) -> str:
    # Without its citation numbers, "dependence [1]." would read "dependence ."
    return _SPACE_BEFORE_PUNCTUATION.sub(r"\1", " ".join(text.split()))


def lead_of(revision) -> str:
    """What readers see above the body: summary, main message and key points."""
    return " ".join([revision.summary, revision.main_message, *revision.key_points])


def sections_of(revision) -> list[SectionText]:
    """The sections of a revision, from its stored fields and rendering only (so a migration's
    historical model will do)."""
    top = SectionText(anchor="", heading=revision.title, text=lead_of(revision))
    sections = [top]
    splitter = _SectionSplitter()
    splitter.feed(revision.body_html)
    splitter.close()
    for anchor, heading, text in splitter.sections:
        if not anchor:  # text before the first heading belongs with the top of the page
            top.text = f"{top.text} {_clean(text)}"
        else:
            sections.append(SectionText(anchor, " ".join(heading.split()), _clean(text)))
    top.text = _clean(top.text)
    return sections
