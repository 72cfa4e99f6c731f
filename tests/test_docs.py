"""The README and the guides in docs/ say what the project does: every manage.py command they
print exists and parses as printed, every link and #anchor between them resolves, and the
recipes an operator copies (the systemd unit, an encoded DATABASE_URL) are correct."""

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import dj_database_url
import pytest
from django.core.management import get_commands, load_command_class

from tests.production import ROOT

README = ROOT / "README.md"
GUIDES = sorted((ROOT / "docs").glob("*.md"))
# Every page a reader of the docs lands on (content/README.md sits beside the files it describes).
DOCS = [README, *GUIDES, ROOT / "content" / "README.md"]
TEXTS = {path: path.read_text() for path in DOCS}
OPERATING = TEXTS[ROOT / "docs" / "operating.md"]

FENCED = re.compile(r"^```([a-z]*)\n(.*?)^```$", flags=re.S | re.M)


def commands_in(text: str) -> list[str]:
    """Lines of code blocks, and inline code spans in the prose, that run manage.py
    (placeholders such as <command> aside)."""
    lines = [
        line
        for _, block in FENCED.findall(text)
        for line in block.splitlines()
        if "manage.py " in line
    ]
    spans = re.findall(r"`([^`]*manage\.py [^`<]*)`", FENCED.sub("", text), flags=re.S)
    return [" ".join(command.split()) for command in spans + lines]


COMMANDS = sorted(
    {(path.relative_to(ROOT).as_posix(), cmd) for path in DOCS for cmd in commands_in(TEXTS[path])}
)


def test_readme_is_a_front_door_with_the_two_commands():
    """README stays short and prints the two commands exactly; the guides it links exist."""
    text = TEXTS[README]
    assert len(text.splitlines()) <= 150
    serve = "bash scripts/serve   # the site with the bundled content on SQLite at "
    assert serve + "http://127.0.0.1:8000\n" in text
    assert "bash scripts/test    # the whole test suite\n" in text
    for name in ("operating", "editing", "content", "architecture"):
        assert f"(docs/{name}.md)" in text


def test_docs_show_the_production_commands():
    """The commands this test checks include the production first run and the release steps."""
    names = {
        words[words.index("manage.py") + 1]
        for _, command in COMMANDS
        for words in [shlex.split(command)]
    }
    assert {"create_editor", "import_content", "migrate", "check", "collectstatic"} <= names
    assert {"export_site", "makemessages", "compilemessages", "review_due"} <= names


@pytest.mark.parametrize(("doc", "command"), COMMANDS)
def test_command_exists_and_parses(doc, command):
    """The command exists and its arguments parse exactly as printed."""
    words = shlex.split(command)
    start = words.index("manage.py") + 1
    name, args = words[start], words[start + 1 :]
    if name not in get_commands():
        pytest.fail(f"{doc} mentions `manage.py {name}`, which does not exist")
    parser = load_command_class(get_commands()[name], name).create_parser("manage.py", name)
    parser.parse_args(args)


# --- Links and anchors -------------------------------------------------------------------------

LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(text: str) -> set[str]:
    seen: dict[str, int] = {}
    found = set()
    for heading in re.findall(r"^#{1,6} (.+)$", FENCED.sub("", text), flags=re.M):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def links(text: str) -> list[str]:
    prose = re.sub(r"`[^`\n]*`", "", FENCED.sub("", text))
    return LINK.findall(prose)


def test_slugs_match_githubs():
    """The anchor rule matches what GitHub renders for the headings these docs use."""
    assert slug("A revision's life") == "a-revisions-life"
    assert slug("Use (a): the fast front for readers") == "use-a-the-fast-front-for-readers"
    assert slug("Reader tools: `tools/*.yaml`") == "reader-tools-toolsyaml"
    assert anchors("# A\n## A\n```\n# not a heading\n```\n") == {"a", "a-1"}


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_every_relative_link_and_anchor_resolves(doc):
    """Each link to a file in the repository points at one that exists, and each #anchor at a
    heading of the page it names."""
    broken = []
    for target in links(TEXTS[doc]):
        if re.match(r"[a-z]+:", target):  # https:, mailto:
            continue
        path_part, _, anchor = target.partition("#")
        path = (doc.parent / path_part).resolve() if path_part else doc
        if not path.exists():
            broken.append(f"{target}: no such file")
        elif anchor and anchor not in anchors(path.read_text()):
            broken.append(f"{target}: no heading #{anchor} in {path.relative_to(ROOT)}")
    assert not broken, f"{doc.relative_to(ROOT)}: " + "; ".join(broken)


def test_the_link_check_finds_a_broken_anchor():
    """A link to a heading that is not there is reported (the check above can fail)."""
    text = "## Backups\n\nSee [b](#backups), [x](#restores) and `[y](#in-code)`.\n"
    assert links(text) == ["#backups", "#restores"]
    assert "restores" not in anchors(text) and "backups" in anchors(text)


# --- Recipes in docs/operating.md --------------------------------------------------------------


def code_blocks(text: str, language: str) -> list[str]:
    return [block for lang, block in FENCED.findall(text) if lang == language]


def systemd_unit() -> str:
    (unit,) = [block for block in code_blocks(OPERATING, "ini") if "[Service]" in block]
    return unit


def test_systemd_unit_runs_the_documented_gunicorn_by_absolute_path():
    """ExecStart names the program by its absolute path inside WorkingDirectory, with the same
    arguments as the plain-gunicorn commands."""
    unit = systemd_unit()
    settings = dict(re.findall(r"^(\w+)=(.*)$", unit, flags=re.M))
    program, *args = shlex.split(settings["ExecStart"])
    assert program.startswith("/")
    assert program == settings["WorkingDirectory"] + "/.venv/bin/gunicorn"
    (gunicorn_line,) = {
        line
        for block in code_blocks(OPERATING, "sh")
        for line in block.splitlines()
        if line.startswith(".venv/bin/gunicorn ")
    }
    assert args == shlex.split(gunicorn_line)[1:]
    assert settings["Restart"] == "always"


def verify_unit(tmp_path: Path, text: str) -> subprocess.CompletedProcess:
    path = tmp_path / "kratom_info.service"
    path.write_text(text)
    return subprocess.run(  # noqa: S603
        [shutil.which("systemd-analyze"), "verify", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze not installed")
def test_systemd_accepts_the_unit_and_refuses_a_relative_exec_start(tmp_path):
    """systemd-analyze verify accepts the documented unit (pointed at this checkout, run as the
    current user) and rejects the same unit with the relative path it replaced."""
    import getpass

    unit = systemd_unit()
    user = getpass.getuser()
    here = (
        unit.replace("/srv/kratom_info", str(ROOT))
        .replace("User=kratom", f"User={user}")
        .replace("Group=kratom", "")
    )
    (ROOT / ".venv" / "bin" / "gunicorn").resolve(strict=True)
    accepted = verify_unit(tmp_path, here)
    assert accepted.returncode == 0, accepted.stderr
    relative = re.sub(r"^ExecStart=\S+/\.venv", "ExecStart=.venv", here, flags=re.M)
    refused = verify_unit(tmp_path, relative)
    assert refused.returncode != 0 and "absolute path" in refused.stderr


def test_database_url_example_is_percent_encoded_as_printed():
    """The encoding one-liner prints what the example URL holds, that URL gives the password
    back, and the same password unencoded does not parse (as the guide says)."""
    (one_liner,) = [
        line
        for block in code_blocks(OPERATING, "sh")
        for line in block.splitlines()
        if "urllib.parse.quote" in line
    ]
    words = shlex.split(one_liner)
    assert words[:2] == ["python3", "-c"]
    password = words[3]
    printed = subprocess.run(  # noqa: S603
        [sys.executable, "-c", words[2], password], capture_output=True, text=True, check=True
    ).stdout.strip()
    encoded_url = r"DATABASE_URL=(postgres://kratom:[^@\s`]*%[^@\s`]*@[^\s`]+)"
    (url,) = set(re.findall(encoded_url, OPERATING))
    assert printed in url
    parsed = dj_database_url.parse(url)
    assert parsed["PASSWORD"] == password == "p@ss:w/rd"  # noqa: S105 (the guide's example)
    assert (parsed["USER"], parsed["HOST"], parsed["PORT"], parsed["NAME"]) == (
        "kratom",
        "localhost",
        5432,
        "kratom",
    )
    with pytest.raises(dj_database_url.ParseError):
        dj_database_url.parse(url.replace(printed, password))


def test_scripts_point_to_sections_that_exist():
    """Where a script's message sends the reader (docs/<guide>.md, "Heading"), that heading
    is there."""
    pointers = [
        (script.name, guide, heading)
        for script in (ROOT / "scripts").iterdir()
        if script.is_file()
        for guide, heading in re.findall(
            r'(docs/\w+\.md), \\"([^"\\]+)\\"', script.read_text(errors="replace")
        )
    ]
    assert pointers, "the scripts no longer name a section of docs/"
    for script, guide, heading in pointers:
        assert slug(heading) in anchors((ROOT / guide).read_text()), (script, guide, heading)
