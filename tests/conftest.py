"""Fixtures shared by the test modules: the student tree that the launch buttons open."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parent.parent
_FENCED = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{(?P<name>exercise|solution)\}[^\n]*\n(?P<body>.*?)^(?P=fence)\s*$", re.S | re.M
)


def load_student_script() -> ModuleType:
    """``scripts/student_notebooks.py`` as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("student_notebooks", REPO / "scripts" / "student_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def student_script() -> ModuleType:
    return load_student_script()


@pytest.fixture(scope="session")
def student_tree(student_script, tmp_path_factory) -> Path:
    """The student tree, written once per session by the script the Pages workflow runs.

    Read it, do not change it: a test that changes files makes its own with
    ``student_script.write_student_tree``.
    """
    out = tmp_path_factory.mktemp("student") / "course"
    student_script.write_student_tree(out)
    return out


@pytest.fixture(scope="session")
def kernel_for():
    """``kernel_for(python, name, folder)``: a context manager (see :func:`_kernel_for`)."""
    return _kernel_for


@contextlib.contextmanager
def _kernel_for(python: str | Path, name: str, folder: Path) -> Iterator[str]:
    """A Jupyter kernel ``name`` that runs ``python``, findable (through ``JUPYTER_PATH``) while
    the context lasts. Yields the kernel's name."""
    spec_dir = folder / "kernels" / name
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": name,
                "language": "python",
            }
        )
    )
    old = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = str(folder) + (os.pathsep + old if old else "")
    try:
        yield name
    finally:
        if old is None:
            os.environ.pop("JUPYTER_PATH", None)
        else:
            os.environ["JUPYTER_PATH"] = old


# Exercises and solutions of the instructor's notebooks, found with a pattern of this file's own
# (not with the student script's parser), so a parser that missed a solution would be caught.


def words(text: str) -> str:
    """``text`` as lower-case words separated by single spaces: markup and layout do not count
    (nor a MyST role's name: ``{math}`m` `` reads as ``m``)."""
    text = re.sub(r"\{[\w:-]+\}(?=`)", " ", text)
    return " ".join(re.findall(r"[A-Za-z0-9]+", text)).lower()


def markdown_cells(path: Path) -> list[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]


def _passages(body: str, length: int) -> list[str]:
    """Runs of ``length`` words from every line of ``body`` long enough to be telling."""
    found = []
    for line in body.splitlines():
        line_words = words(line).split()
        if len(line_words) >= length:
            found.append(" ".join(line_words[:length]))
    return found


class SourcePassages:
    """Passages of the exercises and solutions of the book's notebooks, and what is public."""

    def __init__(self, root: Path = REPO):
        self.root = root
        self.notebooks = sorted(
            p.relative_to(root) for p in (root / "chapters").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
        )
        self.public = self._public_text()

    def fenced(self, notebook: Path, name: str) -> list[str]:
        """Bodies of the ``{name}`` directives (exercise or solution) of a notebook, options removed."""
        bodies = []
        for cell in markdown_cells(self.root / notebook):
            for match in _FENCED.finditer(cell):
                if match.group("name") == name:
                    bodies.append(re.sub(r"^:[\w-]+:.*$", "", match.group("body"), flags=re.M))
        return bodies

    def exercises(self, notebook: Path, length: int = 7) -> list[str]:
        return [p for body in self.fenced(notebook, "exercise") for p in _passages(body, length)]

    def solutions(self, notebook: Path, length: int = 7) -> list[list[str]]:
        """For each solution of the notebook, its passages that the public pages do not also hold."""
        return [self.secret(_passages(body, length)) for body in self.fenced(notebook, "solution")]

    def secret(self, passages: list[str]) -> list[str]:
        return [p for p in passages if p not in self.public]

    def _public_text(self) -> str:
        """The words of every page with its solutions cut out, and of data/: what the website's
        student edition shows. A solution may repeat a sentence of it (a summary, a source's
        title); such a sentence is no leak."""
        texts = []
        for path in [
            *self.root.glob("*.md"),
            *self.root.glob("*.ipynb"),
            *(self.root / "chapters").rglob("*.md"),
            *(self.root / "chapters").rglob("*.ipynb"),
            *(self.root / "data").glob("*.*"),
        ]:
            text = "\n".join(markdown_cells(path)) if path.suffix == ".ipynb" else path.read_text(encoding="utf-8")
            texts.append(words(_FENCED.sub(lambda m: "" if m.group("name") == "solution" else m.group(0), text)))
        return "\n".join(texts)


@pytest.fixture(scope="session")
def source_passages() -> SourcePassages:
    return SourcePassages()
