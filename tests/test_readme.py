"""Every manage.py command the README prints exists and accepts the options as printed."""

import re
import shlex

import pytest
from django.core.management import get_commands, load_command_class

from tests.production import ROOT

README = (ROOT / "README.md").read_text()
FENCED = re.compile(r"^```[a-z]*\n(.*?)^```$", flags=re.S | re.M)
# Lines of code blocks, and inline code spans in the prose, that run manage.py (placeholders
# such as <command> aside).
LINES = [
    line for block in FENCED.findall(README) for line in block.splitlines() if "manage.py " in line
]
SPANS = re.findall(r"`([^`]*manage\.py [^`<]*)`", FENCED.sub("", README), flags=re.S)
COMMANDS = sorted({" ".join(text.split()) for text in SPANS + LINES})


def test_readme_shows_the_production_commands():
    """The commands this test checks include the production first run."""
    names = {shlex.split(c)[shlex.split(c).index("manage.py") + 1] for c in COMMANDS}
    assert {"create_editor", "import_content", "migrate", "check", "collectstatic"} <= names


@pytest.mark.parametrize("command", COMMANDS)
def test_command_exists_and_parses(command):
    """The command exists and its arguments parse exactly as printed."""
    words = shlex.split(command)
    start = words.index("manage.py") + 1
    name, args = words[start], words[start + 1 :]
    if name not in get_commands():
        pytest.fail(f"README mentions `manage.py {name}`, which does not exist")
    parser = load_command_class(get_commands()[name], name).create_parser("manage.py", name)
    parser.parse_args(args)
