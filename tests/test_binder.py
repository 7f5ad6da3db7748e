"""The student tree as Binder builds it: a fresh environment made the way repo2docker does, with
the course package installed non-editable, runs every notebook from its own folder.

The steps, in a new virtual environment and a new copy of the student tree (what the launch
buttons open, written by scripts/student_notebooks.py):

1. ``pip install -r binder/requirements.txt`` from the tree's root: repo2docker's own command for
   a repository with a ``binder/`` folder (it runs it in the copied repository);
2. ``pip install .``: what repo2docker runs for a ``pyproject.toml`` with ``[project]`` and
   ``[build-system]`` tables when there is no ``binder/`` folder, and what a JupyterHub image
   built from the repository may do. The course package is then a copy in site-packages, so the
   notebooks find ``data/`` only by the working-directory rule of ``omcd.data``;
3. every notebook runs top to bottom in a kernel of that environment, from its own folder.

pip's cache is used (repo2docker passes ``--no-cache-dir``; here the packages are not downloaded
again). In CI this test never skips.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

pytestmark = pytest.mark.binder

PIP = ["-m", "pip", "install", "--quiet", "--disable-pip-version-check"]


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{' '.join(map(str, command))} failed in {cwd}:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def binder_image(student_script, tmp_path_factory):
    """(student tree, python of the fresh environment), built once for the module."""
    base = tmp_path_factory.mktemp("binder")
    tree = base / "home" / "course"  # repo2docker copies the repository into the user's home
    student_script.write_student_tree(tree)
    venv = base / "venv"
    run([sys.executable, "-m", "venv", str(venv)], cwd=base)
    python = venv / "bin" / "python"
    run([str(python), *PIP, "-r", "binder/requirements.txt"], cwd=tree)
    run([str(python), *PIP, "--no-deps", "."], cwd=tree)
    return tree, python


@pytest.fixture(scope="module")
def binder_kernel(binder_image, tmp_path_factory, kernel_for):
    _, python = binder_image
    with kernel_for(python, "omcd-binder", tmp_path_factory.mktemp("binder-jupyter")) as name:
        yield name


def test_the_package_is_a_copy_outside_the_tree(binder_image):
    tree, python = binder_image
    where = run([str(python), "-c", "import omcd; print(omcd.__file__)"], cwd=tree / "chapters").stdout.strip()
    assert "site-packages" in where and not Path(where).is_relative_to(tree), where


def test_the_build_command_finds_the_data_from_a_chapter_folder(binder_image):
    tree, python = binder_image
    result = run([str(python), "-m", "omcd.data"], cwd=tree / "chapters" / "03-cloud-economics")
    assert result.stdout.startswith("data ok:")


def test_outside_the_tree_the_error_says_where_it_looked(binder_image, tmp_path):
    _, python = binder_image
    result = subprocess.run(
        [str(python), "-c", "from omcd.data import scenario_values\nscenario_values('gpu_cluster', 'h100_2025')"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "DataNotFoundError" in result.stderr and "OMCD_DATA_DIR" in result.stderr


def notebooks(tree: Path) -> list[Path]:
    return sorted(p for p in tree.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def test_every_notebook_runs_from_its_own_folder(binder_image, binder_kernel):
    tree, _ = binder_image
    found = notebooks(tree)
    assert len(found) >= 9
    for path in found:
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(
            nb, kernel_name=binder_kernel, timeout=300, resources={"metadata": {"path": str(path.parent)}}
        )
        client.execute()  # raises CellExecutionError, naming the cell, on the first failure
        errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
        assert not errors, f"{path.relative_to(tree)}: {errors}"
