"""Shared fixtures for the readers tests: a small published site."""

from tests.factories import make_article, make_revision, make_source, make_translation

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


STOPPING_ES = (
    "El kratom es un árbol del sudeste de Asia [@alpha2020].\n\n"
    "## Dejar el kratom\n\n"
    "La abstinencia puede traer dolores, sudores y mucho cansancio [@beta2021]. Una retirada "
    "lenta suele ser más llevadera [@beta2021].\n\n"
    "## Dependencia\n\n"
    "La dependencia puede aparecer con el consumo diario [@alpha2020]. Ante una sobredosis de "
    "opioides, la naloxona salva vidas [@alpha2020].\n"
)
SLEEP_ES = "El kratom puede cambiar el sueño [@beta2021].\n"


def make_spanish_site():
    """make_small_site() plus live Spanish translations of both articles (``stopping_es``, with
    its version ``es_v1``, and ``sleep_es``) and a Spanish draft."""
    site = make_small_site()
    stopping_es = make_translation(site["stopping"], title="Dejar el kratom")
    site["es_v1"] = make_revision(stopping_es, STOPPING_ES, title="Dejar el kratom",
                                  translates=site["v2"], publish=True)  # fmt: skip
    make_revision(stopping_es, STOPPING_ES + "\nPalabras secretas de borrador: zarzamoral.\n",
                  title="Dejar el kratom", translates=site["v2"])  # fmt: skip
    site["sleep"].refresh_from_db()
    sleep_es = make_translation(site["sleep"], title="El sueño")
    make_revision(sleep_es, SLEEP_ES, title="El sueño",
                  translates=site["sleep"].live_revision, publish=True)  # fmt: skip
    site.update(stopping_es=stopping_es, sleep_es=sleep_es)
    return site
