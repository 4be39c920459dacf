"""Every command the README's front page shows is checked: make targets exist (``make -n``),
``.venv/bin/smartcity`` sub-commands answer ``--help``, scripts exist and are executable; the
README links to docs/ files that exist and every docs/ file is linked; the front page stays short;
no internal issue numbers in docs or code."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
TEXT = README.read_text(encoding="utf-8")
MAX_LINES = 210  # "a newcomer reads it in five minutes": depth goes to docs/

ASSIGNMENT = re.compile(r"^[A-Z_][A-Z0-9_]*=\S*$")


def bash_blocks(text: str) -> list[str]:
    """The command lines of every ```bash block (comments and continuations joined)."""
    lines = []
    for block in re.findall(r"^```(?:bash|sh|console)\n(.*?)^```", text, flags=re.S | re.M):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.split(" #", 1)[0].strip()
            if line and not line.startswith("#"):
                lines.append(line)
    return lines


def inline_commands(text: str) -> list[str]:
    """Inline code spans that are commands of ours (make, .venv/bin/smartcity, scripts/...)."""
    spans = re.findall(r"`([^`\n]+)`", re.sub(r"^```.*?^```", "", text, flags=re.S | re.M))
    return [
        s
        for s in spans
        if re.match(r"^(?:[A-Z_]+=\S+ )*(?:make [a-z]|\.venv/bin/smartcity |scripts/\S+\.(?:sh|py))", s)
    ]


def words(command: str) -> list[str]:
    """The command's words without leading ``VAR=value`` assignments."""
    argv = shlex.split(command)
    while argv and ASSIGNMENT.match(argv[0]):
        argv.pop(0)
    return argv


CLI_DOC = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")  # the README's list of sub-commands
COMMANDS = sorted({c for c in bash_blocks(TEXT) + inline_commands(TEXT) + bash_blocks(CLI_DOC)})


def test_the_front_page_is_short():
    assert TEXT.count("\n") <= MAX_LINES


def test_the_readme_shows_commands():
    assert any(words(c)[:2] == ["make", "run"] for c in COMMANDS)
    assert any(words(c)[:2] == ["make", "test"] for c in COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_command(command):
    argv = words(command)
    if not argv or argv[0] in {"export", "cd", "git"}:  # the shell's own, and `git clone <this repository>`
        return
    if argv[0] == "make":
        for target in [a for a in argv[1:] if not a.startswith("-") and "=" not in a]:
            proc = subprocess.run(
                ["make", "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60
            )
            assert proc.returncode == 0, f"make {target}: {proc.stderr}"
        return
    if argv[0] == ".venv/bin/smartcity":
        sub = []
        for word in argv[1:]:
            if not re.fullmatch(r"[a-z][a-z-]*", word):
                break
            sub.append(word)
        assert sub, command
        exe = ROOT / ".venv" / "bin" / "smartcity"
        proc = subprocess.run(
            [str(exe), *sub, "--help"], cwd=ROOT, capture_output=True, text=True, timeout=120
        )
        assert proc.returncode == 0 and "usage" in proc.stdout.lower(), (
            f"{command}: {proc.stdout}{proc.stderr}"
        )
        return
    if argv[0].startswith("scripts/"):
        path = ROOT / argv[0]
        assert path.is_file(), argv[0]
        assert path.stat().st_mode & 0o111, f"{argv[0]} is not executable"
        return
    pytest.fail(f"the README shows a command no test checks: {command!r} (add a check here)")


def _links(text: str) -> list[str]:
    return [t.split("#")[0] for t in re.findall(r"\]\(([^)\s]+)\)", text) if not re.match(r"[a-z]+:", t)]


def test_readme_links_exist_and_every_doc_is_linked():
    links = [link for link in _links(TEXT) if link]
    for link in links:
        assert (ROOT / link).exists(), f"README links to a missing {link}"
    docs = {f"docs/{p.name}" for p in (ROOT / "docs").glob("*.md")}
    assert docs, "no docs/*.md"
    assert docs <= set(links), f"docs not linked from the README: {sorted(docs - set(links))}"


@pytest.mark.parametrize("doc", sorted((ROOT / "docs").glob("*.md")), ids=lambda p: p.name)
def test_links_inside_docs_exist(doc):
    for link in _links(doc.read_text(encoding="utf-8")):
        if link:
            assert (doc.parent / link).exists(), f"{doc.name} links to a missing {link}"


def test_no_internal_issue_numbers():
    """Code and docs speak of the project, not of the issues that asked for it."""
    files = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    pattern = re.compile(r"\bissues? \d+\b|\(issue\b", re.I)
    hits = []
    for name in files:
        path = ROOT / name
        if (
            name == "tests/test_readme.py"
            or not path.is_file()
            or path.suffix in {".gz", ".png", ".parquet", ".zip"}
        ):
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        hits += [f"{name}:{n}" for n, line in enumerate(text.splitlines(), 1) if pattern.search(line)]
    assert not hits, hits
