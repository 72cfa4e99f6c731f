"""Shared fixtures for the readers tests: a small published site."""

from tests.factories import make_article, make_revision, make_source

BODY_V1 = (
    "Kratom is a tree from Southeast Asia [@alpha2020].\n\n"
    "## Stopping\n\nSome people withdraw slowly and feel aches [@beta2021].\n"
)
BODY_V2 = (
    "Kratom is a tree from Southeast Asia [@alpha2020].\n\n"
    "## Stopping\n\nWithdrawal can bring aches and poor sleep [@beta2021].\n\n"
    "## Tolerance over time\n\nNeeding more for the same effect is tolerance [@alpha2020].\n"
)


def make_small_site():
    """Two published articles (one with two versions), a draft and a draft-only article."""
    make_source("alpha2020", authors="Garcia-Romeu A, Cox DJ", year=2020, title="Alpha study")
    make_source("beta2021", authors="Beta B", year=2021, title="Beta </script> study", doi="",
                url="https://www.nih.gov/beta")  # fmt: skip
    stopping = make_article("stopping", title="Stopping kratom", order=1)
    v1 = make_revision(stopping, BODY_V1, title="Stopping kratom", change_note="First version.",
                       publish=True)  # fmt: skip
    v2 = make_revision(stopping, BODY_V2, title="Stopping kratom",
                       change_note="Added a section on tolerance.", publish=True)  # fmt: skip
    draft = make_revision(stopping, BODY_V2 + "\nZanzibarine secret draft words.\n",
                          title="Stopping kratom")  # fmt: skip
    sleep = make_article("sleep", title="Sleep", order=2)
    make_revision(sleep, "Kratom may change sleep [@beta2021].\n", title="Sleep", publish=True)
    hidden = make_article("hidden", title="Hidden")
    make_revision(hidden, "Quokkamancy withdrawal text.\n", title="Hidden")
    return {"stopping": stopping, "v1": v1, "v2": v2, "draft": draft, "sleep": sleep}
