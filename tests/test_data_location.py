"""Where omcd.data finds the course's data/: by the working directory, not by where the package's
files sit, so a notebook runs from its own folder whether the package is installed editable (in
the repository) or copied into site-packages (``pip install .``, as repo2docker may do).

tests/test_binder.py runs every notebook against such a non-editable install; these tests pin
the rule itself.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from omcd import data
from omcd.data import DATA_DIR_VARIABLE, DataNotFoundError, find_data_dir, scenario_values

PACKAGE_DATA = Path(data.__file__).resolve().parent.parent / "data"


@pytest.fixture(autouse=True)
def no_data_variable(monkeypatch):
    monkeypatch.delenv(DATA_DIR_VARIABLE, raising=False)


@pytest.fixture
def checkout(tmp_path) -> Path:
    """Another copy of the course: data/ and an empty chapter folder, as a student's clone."""
    root = tmp_path / "course"
    shutil.copytree(PACKAGE_DATA, root / "data")
    (root / "chapters" / "03-cloud-economics").mkdir(parents=True)
    return root


def set_pue(folder: Path, value: str) -> None:
    path = folder / "gpu_cluster_scenarios.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    (index,) = [i for i, line in enumerate(lines) if line.startswith("h100_2025,pue,")]
    cells = lines[index].split(",", 3)
    lines[index] = ",".join([cells[0], cells[1], value, cells[3]])
    path.write_text("".join(lines), encoding="utf-8")


def test_a_notebook_folder_finds_the_data_of_its_own_checkout(checkout, monkeypatch):
    # The copy's data differ from the package's: the working directory decides which is read.
    set_pue(checkout / "data", "1.23")
    monkeypatch.chdir(checkout / "chapters" / "03-cloud-economics")
    assert find_data_dir() == (checkout / "data").resolve()
    assert data.DATA_DIR == (checkout / "data").resolve()
    assert scenario_values("gpu_cluster", "h100_2025")["pue"] == 1.23


def test_the_repository_root_and_the_data_folder_itself_find_it(checkout, monkeypatch):
    for folder in (checkout, checkout / "data"):
        monkeypatch.chdir(folder)
        assert find_data_dir() == (checkout / "data").resolve()


def test_the_variable_names_the_folder_explicitly(checkout, monkeypatch, tmp_path):
    set_pue(checkout / "data", "1.31")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(checkout / "data"))
    assert find_data_dir() == (checkout / "data").resolve()
    assert scenario_values("gpu_cluster", "h100_2025")["pue"] == 1.31


def test_a_variable_pointing_nowhere_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(tmp_path / "nowhere"))
    with pytest.raises(DataNotFoundError, match=f"{DATA_DIR_VARIABLE}=.*nowhere.*datapackage.json"):
        find_data_dir()


def test_another_projects_data_folder_is_not_taken(tmp_path, monkeypatch):
    other = tmp_path / "other-project"
    (other / "data").mkdir(parents=True)
    (other / "data" / "datapackage.json").write_text(json.dumps({"name": "someone-elses-data"}))
    monkeypatch.chdir(other)
    assert find_data_dir() == PACKAGE_DATA.resolve()  # falls back to the package's checkout


def test_outside_any_checkout_with_a_copied_package_the_error_says_what_to_do(tmp_path, monkeypatch):
    # A package copied into site-packages, used from a folder outside any checkout.
    site_packages = tmp_path / "venv" / "lib" / "python3.11" / "site-packages"
    monkeypatch.setattr(data, "__file__", str(site_packages / "omcd" / "data.py"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    with pytest.raises(DataNotFoundError) as info:
        scenario_values("gpu_cluster", "h100_2025")
    message = str(info.value)
    assert str(elsewhere.resolve()) in message and str(site_packages) in message
    assert DATA_DIR_VARIABLE in message and "chapters/" in message
    assert isinstance(info.value, ValueError)  # notebooks and the build catch it as a data error
