"""The README's set-up, as a newcomer follows it and as CI runs it (.ci/run)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
INSTALL_AND_RUN = 'pip install -e ".[test]" && sourcetrace run'
TESTS = "python -m pytest"
VENV = "python3 -m venv .venv && . .venv/bin/activate"
CHROMIUM = "apt-get update && apt-get install -y chromium"


def quick_start() -> str:
    return README.split("## Quick start", 1)[1].split("\n## ", 1)[0]


def test_the_two_commands_ci_runs_stand_together_in_one_block() -> None:
    blocks = re.findall(r"```bash\n(.*?)```", quick_start(), re.DOTALL)
    assert f"{INSTALL_AND_RUN}\n{TESTS}\n" in blocks
    assert INSTALL_AND_RUN in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_virtual_environment_and_chromium_are_steps_before_the_install() -> None:
    text = quick_start()
    assert VENV in text and CHROMIUM in text
    assert text.index(VENV) < text.index(INSTALL_AND_RUN)
    assert text.index(CHROMIUM) < text.index(INSTALL_AND_RUN)


def test_the_virtual_environment_is_not_committed() -> None:
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert ".venv/" in ignored
