"""Scoring the warning-signs check: pure functions, no database, no logging, no storage.

The answers exist only in the request that carries them; these functions turn them into a
result and nothing here keeps a reference to them afterwards.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.views.decorators.debug import sensitive_variables

from kratom_info.tools.content import Band, CheckContent, Question

YES, NO = "yes", "no"
FIELD_PREFIX = "q-"


def field_name(question: Question) -> str:
    return f"{FIELD_PREFIX}{question.id}"


class IncompleteAnswers(ValueError):
    """Some questions were not answered yes or no; ``missing`` lists them in form order."""

    def __init__(self, missing: list[Question], answers: dict[str, bool]):
        self.missing, self.answers = missing, answers
        # The message names question ids only, never an answer.
        super().__init__(f"{len(missing)} question(s) not answered")


@sensitive_variables()
def read_answers(content: CheckContent, data: Mapping[str, str]) -> dict[str, bool]:
    """{question id: answered yes} from submitted form data. Fields other than the questions'
    are ignored; a question without a yes or no raises IncompleteAnswers (which carries the
    valid answers, so the form can be shown again as it was filled in)."""
    answers: dict[str, bool] = {}
    missing: list[Question] = []
    for question in content.questions:
        value = data.get(field_name(question))
        if value in (YES, NO):
            answers[question.id] = value == YES
        else:
            missing.append(question)
    if missing:
        raise IncompleteAnswers(missing, answers)
    return answers


@dataclass(frozen=True)
class CheckResult:
    count: int
    total: int
    yes: tuple[Question, ...]
    band: Band
    article_slugs: tuple[str, ...]


@sensitive_variables()
def score(content: CheckContent, answers: Mapping[str, bool]) -> CheckResult:
    """Count the "yes" answers, pick the band that covers the count, and list the articles that
    fit: those of each "yes" question in form order, then the band's, without repeats; the
    default articles when that leaves none."""
    unknown = set(answers) - {question.id for question in content.questions}
    if unknown:
        raise ValueError(f"answers to unknown questions: {', '.join(sorted(unknown))}")
    yes = tuple(question for question in content.questions if answers.get(question.id))
    count = len(yes)
    band = next(band for band in content.bands if band.covers(count))
    slugs = [slug for question in yes for slug in question.articles] + list(band.articles)
    article_slugs = tuple(dict.fromkeys(slugs)) or content.default_articles
    return CheckResult(
        count=count,
        total=len(content.questions),
        yes=yes,
        band=band,
        article_slugs=article_slugs,
    )
