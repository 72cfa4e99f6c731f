"""Editorial wording rules for article bodies: people-first language, jargon, naloxone.

English rules first, then their Spanish forms (``*_es``) for the translations in content/es/.

Each rule is a plain function ``rule(body, line_offset=0) -> list[(line, message)]`` so that
``check_content`` and the editorial submit gate can run the same list. ``line_offset`` is added
to the 1-based body line, so a caller can report file lines (front matter included).
Rules look at the words a reader sees: citation markers, link targets and code are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kratom_info.citations.syntax import MARKER_RE

Problem = tuple[int, str]
Rule = Callable[[str, int], list[Problem]]

_FENCE_RE = re.compile(r"^\s*(```|~~~)")
# One level of brackets in a link's text, matched in linear time (see content_checks.LINK_TEXT).
_LINK_RE = re.compile(r"(!?\[(?:[^\[\]]|\[[^\[\]]*\])*\])\([^)\s]+(?:\s+\"[^\"]*\")?\)")
_CODE_RE = re.compile(r"`[^`]*`")
_AUTOLINK_RE = re.compile(r"<https?://[^>]+>|https?://\S+")
_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s")


def _visible_lines(body: str) -> list[tuple[int, str]]:
    """(line number, visible text) for every line outside code fences: no citation markers,
    link targets, inline code or bare URLs."""
    lines = []
    in_fence = False
    for number, line in enumerate(body.replace("\r\n", "\n").split("\n"), start=1):
        if _FENCE_RE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        text = MARKER_RE.sub("", line)
        text = _LINK_RE.sub(r"\1", text)
        text = _AUTOLINK_RE.sub("", text)
        text = _CODE_RE.sub("", text)
        lines.append((number, text))
    return lines


# "user" or "users" as a word. A hyphenated compound about things, not people
# ("user-friendly", "user-facing"), is allowed; "non-users" and "kratom users" are not.
_USERS_RE = re.compile(r"(?<![\w-])(?:non-)?users?\b(?!-)", re.IGNORECASE)


def _labels_people(
    body: str, line_offset: int, pattern: re.Pattern, examples: str
) -> list[Problem]:
    """Each visible word matching ``pattern`` (a drug label for people), with people-first
    ``examples``."""
    return [
        (
            number + line_offset,
            f"'{match.group(0)}' labels people by a drug: write people-first, e.g. {examples}",
        )
        for number, text in _visible_lines(body)
        for match in pattern.finditer(text)
    ]


def _jargon(body: str, line_offset: int, words: dict[str, tuple[re.Pattern, str]]) -> list[Problem]:
    """Each visible use of a jargon word in ``words`` (word -> (pattern, plain hint))."""
    return sorted(
        (number + line_offset, f"jargon {match.group(0)!r} ({word}): {hint}")
        for number, text in _visible_lines(body)
        for word, (pattern, hint) in words.items()
        for match in pattern.finditer(text)
    )


def people_first_language(body: str, line_offset: int = 0) -> list[Problem]:
    """Flag "user(s)" used for people: write "people who use kratom" instead."""
    return _labels_people(
        body, line_offset, _USERS_RE, "'people who use kratom' or 'people who did not use kratom'"
    )


# Word -> plain words a reader knows. Matched as whole words, case-insensitively.
JARGON: dict[str, tuple[str, str]] = {
    "kappa": (r"\bkappa\b", "name what it does, e.g. 'two other opioid receptors'"),
    "delta": (r"\bdelta\b", "name what it does, e.g. 'two other opioid receptors'"),
    "biased": (r"\bbiased\b", "say what happens, e.g. 'sends signals in an unusual way'"),
    "odds": (r"\bodds\b", "say 'more likely' or 'twice as likely'"),
    "median": (r"\bmedian\b", "say 'typical' or 'for half of the people'"),
    "-fold": (r"\b\w+-fold\b", "say 'times', e.g. '16 times more'"),
    "compared with no treatment": (
        r"\bcompared (?:with|to) no treatment\b",
        "say 'than getting no help at all'",
    ),
    "agonist": (r"\b(?:partial )?agonists?\b", "say 'turns on' the receptor"),
    "antagonist": (r"\bantagonists?\b", "say 'blocks' the receptor"),
    "statistically significant": (
        r"\bstatistically significant\b",
        "say 'a real difference, not chance'",
    ),
    "efficacy": (r"\befficacy\b", "say 'how well it works'"),
    "cross-sectional": (r"\bcross-sectional\b", "say 'a one-time survey' or 'a snapshot'"),
    "placebo": (r"\bplacebos?\b", "say 'a dummy pill' or 'a dummy drink'"),
}
_JARGON_RES = {
    word: (re.compile(pattern, re.IGNORECASE), hint) for word, (pattern, hint) in JARGON.items()
}


def plain_words(body: str, line_offset: int = 0) -> list[Problem]:
    """Flag jargon that has a plain alternative, naming the word and suggesting one."""
    return _jargon(body, line_offset, _JARGON_RES)


_EMERGENCY_RE = re.compile(
    r"\bemergency services\b|\b911\b|\bemergency (?:care|help)\b|\bcall for help\b",
    re.IGNORECASE,
)
_NALOXONE_RE = re.compile(r"\bnaloxone\b|\bnarcan\b", re.IGNORECASE)


def _emergency_lines_without_naloxone(
    body: str, emergency_re: re.Pattern, naloxone_re: re.Pattern
) -> list[int]:
    """The first emergency line of every section (text under one heading) that matches
    ``emergency_re`` but never ``naloxone_re``."""
    sections: list[list[tuple[int, str]]] = [[]]
    for number, text in _visible_lines(body):
        if _HEADING_RE.match(text):
            sections.append([])
        sections[-1].append((number, text))
    lines = []
    for section in sections:
        emergency = [number for number, text in section if emergency_re.search(text)]
        if emergency and not any(naloxone_re.search(text) for _, text in section):
            lines.append(emergency[0])
    return lines


def naloxone_in_emergency_steps(body: str, line_offset: int = 0) -> list[Problem]:
    """Every section (text under one heading) that tells readers to call for emergency help
    also mentions naloxone: most kratom-positive overdose deaths involved other opioids, and
    naloxone reverses them. Reports the first emergency line of each such section."""
    return [
        (
            line + line_offset,
            "emergency steps without naloxone: say what naloxone is, that it is safe "
            "to give if unsure, and to give it and then call 911 anyway",
        )
        for line in _emergency_lines_without_naloxone(body, _EMERGENCY_RE, _NALOXONE_RE)
    ]


# Spanish equivalents of the rules above, for content/es/. Messages stay in English (they are
# for editors); the suggested wording is Spanish.

# "usuario(s)/usuaria(s)" and "adicto(s)/adicta(s)" label people by a drug. Spanish has no
# compound like "user-friendly", so every use is flagged.
_USUARIOS_RE = re.compile(r"\b(?:usuari[oa]s?|adict[oa]s?)\b", re.IGNORECASE)


def people_first_language_es(body: str, line_offset: int = 0) -> list[Problem]:
    """Flag "usuarios" (or "adictos") used for people: write "personas que usan kratom"."""
    return _labels_people(
        body, line_offset, _USUARIOS_RE, "'personas que usan kratom' or 'personas con dependencia'"
    )


# The Spanish forms of the jargon list, with plain Spanish a reader knows.
JARGON_ES: dict[str, tuple[str, str]] = {
    "kappa": (r"\bkappa\b", "name what it does, e.g. 'otros dos receptores de opioides'"),
    "delta": (r"\bdelta\b", "name what it does, e.g. 'otros dos receptores de opioides'"),
    "sesgado": (
        r"\bsesgad[oa]s?\b",
        "say what happens, e.g. 'envía señales de una forma poco común'",
    ),
    "mediana": (r"\bmediana\b", "say 'lo típico' or 'para la mitad de las personas'"),
    "razón de probabilidades": (
        r"\b(?:razón de (?:probabilidades|momios)|odds)\b",
        "say 'más probable' or 'el doble de probable'",
    ),
    "agonista": (r"\b(?:agonistas?|antagonistas?)\b", "say it 'activa' or 'bloquea' the receptor"),
    "estadísticamente significativo": (
        r"\bestadísticamente significativ[oa]s?\b",
        "say 'una diferencia real, no por azar'",
    ),
    "eficacia": (r"\beficacia\b", "say 'qué tan bien funciona'"),
    "transversal": (
        r"\b(?:estudio|encuesta)s? transversal(?:es)?\b",
        "say 'una encuesta hecha una sola vez'",
    ),
    "placebo": (r"\bplacebos?\b", "say 'una pastilla falsa' or 'una bebida falsa'"),
}
_JARGON_ES_RES = {
    word: (re.compile(pattern, re.IGNORECASE), hint) for word, (pattern, hint) in JARGON_ES.items()
}


def plain_words_es(body: str, line_offset: int = 0) -> list[Problem]:
    """Flag Spanish jargon that has a plain alternative, naming the word and suggesting one."""
    return _jargon(body, line_offset, _JARGON_ES_RES)


_EMERGENCY_ES_RE = re.compile(
    r"\b911\b|\bservicios? de emergencias?\b|\b(?:ayuda|atención) de emergencia\b"
    r"|\bllam[ea] a emergencias\b|\bpid[ae] ayuda\b",
    re.IGNORECASE,
)
_NALOXONA_RE = re.compile(r"\bnaloxona\b|\bnarcan\b", re.IGNORECASE)


def naloxone_in_emergency_steps_es(body: str, line_offset: int = 0) -> list[Problem]:
    """The Spanish form of ``naloxone_in_emergency_steps``: every section that tells readers to
    call 911 or emergency services also mentions naloxona (Narcan)."""
    return [
        (
            line + line_offset,
            "emergency steps without naloxona: say what naloxona (Narcan) is, that it is safe "
            "to give if unsure, and to give it and then call 911 anyway",
        )
        for line in _emergency_lines_without_naloxone(body, _EMERGENCY_ES_RE, _NALOXONA_RE)
    ]


BODY_RULES: tuple[Rule, ...] = (people_first_language, plain_words, naloxone_in_emergency_steps)
# Short plain fields (summary, main message, key points) get the wording rules only.
PLAIN_FIELD_RULES: tuple[Rule, ...] = (people_first_language, plain_words)
BODY_RULES_ES: tuple[Rule, ...] = (
    people_first_language_es,
    plain_words_es,
    naloxone_in_emergency_steps_es,
)
PLAIN_FIELD_RULES_ES: tuple[Rule, ...] = (people_first_language_es, plain_words_es)


def run_rules(
    body: str, line_offset: int = 0, rules: tuple[Rule, ...] = BODY_RULES
) -> list[Problem]:
    """Every problem from every rule, in line order."""
    return sorted(problem for rule in rules for problem in rule(body, line_offset))
