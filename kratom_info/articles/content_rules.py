"""Editorial wording rules for article bodies: people-first language, jargon, naloxone, the
crisis line beside any mention of self-harm, the order of the emergency steps, no advice that
trusts a 7-OH label, an animal poison line where pets meet Poison Help, and Spanish words that
mislead.

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


visible_lines = _visible_lines


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
# The shared emergency-steps block (content/blocks/emergency-steps.md, written out on import)
# names naloxone itself, and is checked on its own: its block line counts as the mention.
_STEPS_BLOCK_LINE = r"|^\s*\{\{\s*emergency-steps\s*\}\}\s*$"
_NALOXONE_RE = re.compile(r"\bnaloxone\b|\bnarcan\b" + _STEPS_BLOCK_LINE, re.IGNORECASE)


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
            "to give if unsure, and to call 911 and give it right away",
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
_NALOXONA_RE = re.compile(r"\bnaloxona\b|\bnarcan\b" + _STEPS_BLOCK_LINE, re.IGNORECASE)


def naloxone_in_emergency_steps_es(body: str, line_offset: int = 0) -> list[Problem]:
    """The Spanish form of ``naloxone_in_emergency_steps``: every section that tells readers to
    call 911 or emergency services also mentions naloxona (Narcan)."""
    return [
        (
            line + line_offset,
            "emergency steps without naloxona: say what naloxona (Narcan) is, that it is safe "
            "to give if unsure, and to call 911 and give it right away",
        )
        for line in _emergency_lines_without_naloxone(body, _EMERGENCY_ES_RE, _NALOXONA_RE)
    ]


# Where a text mentions suicide or self-harm, the crisis line is printed right there, not only
# in the footer: a reader in crisis may never scroll that far.
_SELF_HARM_RE = re.compile(
    r"\bsuicid\w*|\bself-harm\w*|\b(?:harm|hurt|kill)(?:ing)? yourself\b"
    r"|\bend(?:ing)? your (?:own )?life\b",
    re.IGNORECASE,
)
_SELF_HARM_ES_RE = re.compile(
    r"\bsuicid\w*|\bautolesi\w*|\bhacerse daño\b|\blastimarse\b|\bdañarse\b"
    r"|\bquitarse la vida\b|\bponer fin a su vida\b",
    re.IGNORECASE,
)
_CRISIS_LINE_RE = re.compile(r"\b988\b")
# Spanish speakers reach Spanish-speaking counselors by pressing 2 after dialling 988.
_CRISIS_LINE_ES_RE = re.compile(r"\b988\b.*\b(?:marque|oprima|presione) (?:el )?2\b", re.IGNORECASE)
_LIST_ITEM_RE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")


def _paragraphs(body: str) -> list[tuple[int, str]]:
    """(first line, visible text) of every paragraph, list item, table row and heading."""
    paragraphs: list[tuple[int, list[str]]] = []
    open_paragraph = False
    for number, text in _visible_lines(body):
        starts_alone = _HEADING_RE.match(text) or text.lstrip().startswith("|")
        if not text.strip():
            open_paragraph = False
            continue
        if not open_paragraph or starts_alone or _LIST_ITEM_RE.match(text):
            paragraphs.append((number, []))
        paragraphs[-1][1].append(text)
        open_paragraph = not starts_alone
    return [(number, " ".join(lines)) for number, lines in paragraphs]


def _self_harm_without_crisis_line(
    body: str, line_offset: int, self_harm_re: re.Pattern, crisis_re: re.Pattern, hint: str
) -> list[Problem]:
    return [
        (number + line_offset, f"mentions self-harm without the crisis line right there: {hint}")
        for number, text in _paragraphs(body)
        if self_harm_re.search(text) and not crisis_re.search(text)
    ]


def crisis_line_beside_self_harm(body: str, line_offset: int = 0) -> list[Problem]:
    """Every paragraph or list item that mentions suicide or self-harm says, in it, to call or
    text 988 (the 988 Suicide & Crisis Lifeline)."""
    return _self_harm_without_crisis_line(
        body, line_offset, _SELF_HARM_RE, _CRISIS_LINE_RE, "add 'call or text 988' to it"
    )


def crisis_line_beside_self_harm_es(body: str, line_offset: int = 0) -> list[Problem]:
    """The Spanish form: the paragraph says to call 988 and press 2 for Spanish."""
    return _self_harm_without_crisis_line(
        body,
        line_offset,
        _SELF_HARM_ES_RE,
        _CRISIS_LINE_ES_RE,
        "add 'llame al 988 y marque 2 para español' to it",
    )


# The order of the emergency steps: call 911 and give naloxone at once, neither waiting for the
# other (CDC's overdose response). "Give naloxone, then call 911" or "call 911 anyway" makes the
# call wait for the naloxone, the wording issue 23 replaced; it is reported wherever it comes back.
_NALOXONE_THEN_CALL_RE = re.compile(
    r"\b(?:naloxone|narcan)\b[^.;]*?\bthen\s+call\b"
    r"|\bcall\s+(?:911|emergency\s+services)\s+anyway\b"
    r"|\bafter\s+(?:you\s+)?(?:give|giving)\s+(?:naloxone|narcan)\b[^.;]*?\bcall\b",
    re.IGNORECASE,
)
_NALOXONA_THEN_CALL_RE = re.compile(
    r"\b(?:naloxona|narcan)\b[^.;]*?\b(?:luego|después)\s+(?:llame|llamar|pida)\b"
    r"|\bllame\s+(?:al\s+911|a\s+(?:los\s+servicios\s+de\s+)?emergencias?)\s+de\s+todos\s+modos\b",
    re.IGNORECASE,
)


def _paragraph_rule(name: str, pattern: re.Pattern, message: str, doc: str) -> Rule:
    """A rule that reports every paragraph, list item or table row matching ``pattern``."""

    def rule(body: str, line_offset: int = 0) -> list[Problem]:
        return [
            (number + line_offset, message)
            for number, text in _paragraphs(body)
            if pattern.search(text)
        ]

    rule.__name__ = rule.__qualname__ = name
    rule.__doc__ = doc
    return rule


call_and_naloxone_at_once = _paragraph_rule(
    "call_and_naloxone_at_once",
    _NALOXONE_THEN_CALL_RE,
    "naloxone first, call later: say 'call 911 and give naloxone (Narcan) right away if you "
    "have it', so neither step waits for the other",
    "No step makes calling 911 wait for naloxone: current guidance is to call and give "
    "naloxone right away, at the same time.",
)
call_and_naloxone_at_once_es = _paragraph_rule(
    "call_and_naloxone_at_once_es",
    _NALOXONA_THEN_CALL_RE,
    "naloxona first, call later: say 'llame al 911 y dele naloxona (Narcan) ya si la tiene', "
    "so neither step waits for the other",
    "The Spanish form of ``call_and_naloxone_at_once``.",
)


# 7-OH products are often not labelled as 7-OH (hill2025_7oh), so advice that relies on the
# label ("avoid products that list 7-OH") protects no one; the site tells readers to treat any
# tablet, shot, gummy, spray or extract sold as kratom as possibly 7-OH.
_TRUSTS_7OH_LABEL_RE = re.compile(
    r"\b(?:avoid|skip|do\s+not\s+(?:buy|use|take))\b[^.;]*?\bproducts?\b[^.;]*?"
    r"\b(?:that\s+)?(?:lists?|listing|labell?ed|say|says|marked)\b[^.;]*?\b7-OH\b"
    r"|\b(?:check|read)\s+the\s+label\s+for\s+7-OH\b"
    r"|\bif\s+(?:it|the\s+label)\s+(?:lists?|says?|names?)\s+7-OH\b",
    re.IGNORECASE,
)
_TRUSTS_7OH_LABEL_ES_RE = re.compile(
    r"\b(?:evite|no\s+(?:compre|use|tome))\b[^.;]*?\bproductos?\b[^.;]*?"
    r"\bque\s+(?:digan|dicen|indiquen|indican|mencionen|mencionan)\b[^.;]*?\b7-OH\b"
    r"|\b(?:revise|lea|mire)\s+(?:en\s+)?la\s+etiqueta\s+(?:por\s+si\s+dice\s+|si\s+dice\s+)?7-OH\b"
    r"|\bsi\s+(?:la\s+etiqueta\s+)?(?:dice|menciona|indica)\s+7-OH\b",
    re.IGNORECASE,
)


no_trust_in_7oh_labels = _paragraph_rule(
    "no_trust_in_7oh_labels",
    _TRUSTS_7OH_LABEL_RE,
    "relies on a 7-OH label, which often does not say so: tell readers to treat any tablet, "
    "shot, gummy, spray or extract sold as kratom as possibly 7-OH",
    "Advice on 7-OH never relies on the label naming it.",
)
no_trust_in_7oh_labels_es = _paragraph_rule(
    "no_trust_in_7oh_labels_es",
    _TRUSTS_7OH_LABEL_ES_RE,
    "relies on a 7-OH label, which often does not say so: tell readers to treat any tableta, "
    "shot, gomita, aerosol o extracto sold as kratom as possibly 7-OH",
    "The Spanish form of ``no_trust_in_7oh_labels``.",
)


# Poison Help (1-800-222-1222) is for people; US poison centers send animal cases to an animal
# poison service or a vet. A paragraph that gives Poison Help where pets are concerned also says
# where to call for a pet.
_PETS_RE = re.compile(r"\b(?:pets?|dogs?|cats?)\b", re.IGNORECASE)
_MASCOTAS_RE = re.compile(r"\b(?:mascotas?|perros?|gatos?)\b", re.IGNORECASE)
_POISON_HELP_RE = re.compile(r"\bpoison\s+(?:help|control)\b|\b222-1222\b", re.IGNORECASE)
_POISON_HELP_ES_RE = re.compile(
    r"\bpoison\s+help\b|\b222-1222\b|\bcontrol\s+de\s+envenenamientos\b", re.IGNORECASE
)
_ANIMAL_HELP_RE = re.compile(
    r"\bvet(?:erinarian)?s?\b|\banimal\s+poison\b|\bASPCA\b", re.IGNORECASE
)
_ANIMAL_HELP_ES_RE = re.compile(
    r"\bveterinari[oa]s?\b|\benvenenamientos\s+de\s+animales\b|\bASPCA\b", re.IGNORECASE
)


def _pets_without_animal_help(
    body: str, line_offset: int, pets_re, poison_re, animal_re, hint: str
) -> list[Problem]:
    return [
        (number + line_offset, f"Poison Help beside pets without an animal line: {hint}")
        for number, text in _paragraphs(body)
        if pets_re.search(text) and poison_re.search(text) and not animal_re.search(text)
    ]


def animal_poison_line_beside_pets(body: str, line_offset: int = 0) -> list[Problem]:
    """A paragraph that gives Poison Help where pets are concerned also says to call a vet or
    an animal poison service: Poison Help is for people."""
    return _pets_without_animal_help(
        body,
        line_offset,
        _PETS_RE,
        _POISON_HELP_RE,
        _ANIMAL_HELP_RE,
        "Poison Help is for people; for a pet, say to call a vet or the ASPCA Animal Poison "
        "Control Center",
    )


def animal_poison_line_beside_pets_es(body: str, line_offset: int = 0) -> list[Problem]:
    """The Spanish form of ``animal_poison_line_beside_pets``."""
    return _pets_without_animal_help(
        body,
        line_offset,
        _MASCOTAS_RE,
        _POISON_HELP_ES_RE,
        _ANIMAL_HELP_ES_RE,
        "Poison Help es para personas; para una mascota, say 'llame a su veterinario' or the "
        "ASPCA animal poison line",
    )


# Spanish words that mislead a US Latino reader, with the word to use (issue 23's style notes).
MISLEADING_ES: dict[str, tuple[str, str]] = {
    "calmantes": (
        r"\bcalmantes?\b",
        "say 'sedantes': many US Spanish speakers read 'calmantes' as painkillers",
    ),
}
_MISLEADING_ES_RES = {
    word: (re.compile(pattern, re.IGNORECASE), hint)
    for word, (pattern, hint) in MISLEADING_ES.items()
}


def clear_spanish_words(body: str, line_offset: int = 0) -> list[Problem]:
    """Flag Spanish words that many US readers take for something else."""
    return sorted(
        (number + line_offset, f"misleading word {match.group(0)!r}: {hint}")
        for number, text in _visible_lines(body)
        for _word, (pattern, hint) in _MISLEADING_ES_RES.items()
        for match in pattern.finditer(text)
    )


BODY_RULES: tuple[Rule, ...] = (
    people_first_language,
    plain_words,
    naloxone_in_emergency_steps,
    crisis_line_beside_self_harm,
    call_and_naloxone_at_once,
    no_trust_in_7oh_labels,
    animal_poison_line_beside_pets,
)
# Short plain fields (summary, main message, key points) get the wording rules only, and the
# 7-OH label rule (key points are printed on handouts).
PLAIN_FIELD_RULES: tuple[Rule, ...] = (people_first_language, plain_words, no_trust_in_7oh_labels)
BODY_RULES_ES: tuple[Rule, ...] = (
    people_first_language_es,
    plain_words_es,
    naloxone_in_emergency_steps_es,
    crisis_line_beside_self_harm_es,
    call_and_naloxone_at_once_es,
    no_trust_in_7oh_labels_es,
    animal_poison_line_beside_pets_es,
    clear_spanish_words,
)
# Cited texts outside articles (the check tool's notes, bands and levels of care) that may
# send readers to 911 or mention self-harm.
SAFETY_RULES: tuple[Rule, ...] = (
    naloxone_in_emergency_steps,
    crisis_line_beside_self_harm,
    call_and_naloxone_at_once,
    no_trust_in_7oh_labels,
)
SAFETY_RULES_ES: tuple[Rule, ...] = (
    naloxone_in_emergency_steps_es,
    crisis_line_beside_self_harm_es,
    call_and_naloxone_at_once_es,
    no_trust_in_7oh_labels_es,
)
PLAIN_FIELD_RULES_ES: tuple[Rule, ...] = (
    people_first_language_es,
    plain_words_es,
    no_trust_in_7oh_labels_es,
    clear_spanish_words,
)


# What makes a section "emergency steps", by language (the sections the shared block must be in).
EMERGENCY_RES: dict[str, re.Pattern] = {"en": _EMERGENCY_RE, "es": _EMERGENCY_ES_RE}


def run_rules(
    body: str, line_offset: int = 0, rules: tuple[Rule, ...] = BODY_RULES
) -> list[Problem]:
    """Every problem from every rule, in line order."""
    return sorted(problem for rule in rules for problem in rule(body, line_offset))
