"""Fixtures shared by the test modules: the student tree that the launch buttons open."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Iterator

import pytest

REPO = Path(__file__).resolve().parent.parent


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
    (spec_dir / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": name, "language": "python"}))
    old = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = str(folder) + (os.pathsep + old if old else "")
    try:
        yield name
    finally:
        if old is None:
            os.environ.pop("JUPYTER_PATH", None)
        else:
            os.environ["JUPYTER_PATH"] = old
