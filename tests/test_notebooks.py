"""Every notebook runs top to bottom in a fresh kernel of the students' environment, and every
ipywidgets control it creates changes the calculator's output when moved.

The kernel runs the Python named by ``OMCD_STUDENT_PYTHON``: ``./course test`` makes that
environment from ``requirements.txt`` alone, as Binder does. In CI it is required.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(p for p in (ROOT / "chapters").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
PROBE = "import json\nfrom omcd.widgets._base import exercise_all\nprint(json.dumps(exercise_all()))"


@pytest.fixture(scope="session")
def student_kernel(tmp_path_factory, kernel_for):
    python = os.environ.get("OMCD_STUDENT_PYTHON")
    if not python:
        if os.environ.get("CI") == "true":
            pytest.fail("OMCD_STUDENT_PYTHON is not set: run the tests with ./course test")
        python = sys.executable
    with kernel_for(python, "omcd-student", tmp_path_factory.mktemp("jupyter")) as name:
        yield name


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[str(p.relative_to(ROOT)) for p in NOTEBOOKS])
def test_notebook_is_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert not dirty, f"{path.name}: cells {dirty} carry outputs; clear them before committing"


@pytest.mark.notebooks
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[str(p.relative_to(ROOT)) for p in NOTEBOOKS])
def test_notebook_runs_and_its_widgets_respond(path, student_kernel):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, kernel_name=student_kernel, timeout=300, resources={"metadata": {"path": str(path.parent)}}
    )
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)  # raises CellExecutionError on the first failing cell
        probe = nbformat.v4.new_code_cell(PROBE)
        nb.cells.append(probe)
        client.execute_cell(probe, len(nb.cells) - 1)
    text = "".join(o.get("text", "") for o in probe.outputs if o.get("name") == "stdout")
    report = json.loads(text)
    creates_widgets = any("Widget(" in c.source for c in nb.cells if c.cell_type == "code")
    if creates_widgets:
        assert report, f"{path.name} creates a calculator but none is alive after the run"
    dead = [r for r in report if not (r["chart_changed"] or r["table_changed"])]
    assert not dead, f"moving these controls changed nothing: {dead}"
    errors = [r for r in report if r["message"]]
    assert not errors, f"these controls produced an error message: {errors}"
