"""Engineering hygiene a contributor expects: pinned tools agree, every pin is kept up to date,
every committed text file is clean.

- ``.pre-commit-config.yaml`` runs ruff, nbstripout and the whitespace fixers at the versions pinned
  in ``requirements/test.txt`` (the ones ``./course test`` runs), and is a valid configuration.
- ``.github/dependabot.yml`` watches every folder that pins something: Python requirements, npm
  lock files and the GitHub Actions.
- Every tracked text file ends with one newline and has no trailing whitespace (what the
  pre-commit hooks enforce on each commit; data CSVs and npm lock files excepted, as there).
The lint and format checks themselves (``ruff check``, ``ruff format --check``) run in
``./course test`` before pytest; committed notebooks without outputs: tests/test_notebooks.py.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]


def pins(path: Path) -> dict[str, str]:
    """``name==version`` lines of a requirements file (lower-case names)."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s#;]+)", line.strip())
        if match:
            found[match.group(1).lower()] = match.group(2)
    return found


def tracked_files() -> list[str]:
    out = subprocess.run(["git", "ls-files"], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    return out.stdout.splitlines()


def hook_pins() -> dict[str, str]:
    config = yaml.safe_load((REPO_ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    found = {}
    for repo in config["repos"]:
        for hook in repo["hooks"]:
            for dependency in hook.get("additional_dependencies", []):
                name, _, version = dependency.partition("==")
                assert version, f"hook {hook['id']}: {dependency!r} is not pinned"
                assert found.setdefault(name.lower(), version) == version, f"{name} pinned twice differently"
    return found


def test_pre_commit_hooks_run_the_pinned_versions():
    hooks, tested = hook_pins(), pins(REPO_ROOT / "requirements" / "test.txt")
    assert {"ruff", "nbstripout", "pre-commit-hooks"} <= set(hooks), hooks
    for name, version in hooks.items():
        assert tested.get(name) == version, (
            f"{name}: .pre-commit-config.yaml pins {version}, requirements/test.txt {tested.get(name)}"
        )


def test_pre_commit_config_is_valid():
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_dependabot_watches_every_pin():
    config = yaml.safe_load((REPO_ROOT / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    watched = {(u["package-ecosystem"], u["directory"].rstrip("/") or "/") for u in config["updates"]}
    wanted = set()
    for path in tracked_files():
        parent = Path(path).parent.as_posix()
        folder = "/" if parent == "." else "/" + parent
        name = Path(path).name
        if name.endswith(".txt") and "requirements" in path and pins(REPO_ROOT / path):
            wanted.add(("pip", folder))
        elif name == "package.json":
            wanted.add(("npm", folder))
        elif path.startswith(".github/workflows/"):
            wanted.add(("github-actions", "/"))
    assert ("github-actions", "/") in wanted and ("pip", "/") in wanted, wanted
    assert wanted <= watched, f"no Dependabot entry for {sorted(wanted - watched)}"


_SKIPPED = re.compile(r"^(data/.*\.csv|scripts/[^/]+/package-lock\.json)$")


def test_every_text_file_ends_with_one_newline_and_has_no_trailing_whitespace():
    problems = []
    for path in tracked_files():
        if _SKIPPED.match(path):
            continue
        data = (REPO_ROOT / path).read_bytes()
        if b"\0" in data[:8000]:
            continue  # binary
        text = data.decode("utf-8")
        if text and (not text.endswith("\n") or text.endswith("\n\n")):
            problems.append(f"{path}: does not end with exactly one newline")
        lines = [i + 1 for i, line in enumerate(text.splitlines()) if line != line.rstrip()]
        if lines and not path.endswith(".md"):
            problems.append(f"{path}: trailing whitespace on lines {lines[:5]}")
        elif lines:  # Markdown: two trailing spaces are a line break, anything else is a slip
            slips = [
                i + 1
                for i, line in enumerate(text.splitlines())
                if line != line.rstrip() and line[len(line.rstrip()) :] != "  "
            ]
            if slips:
                problems.append(f"{path}: trailing whitespace on lines {slips[:5]}")
    assert not problems, "\n".join(problems)
