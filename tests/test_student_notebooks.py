"""The student copies (scripts/student_notebooks.py): what the Binder and JupyterHub launch
buttons open holds no solution and no MyST markup, keeps every exercise under the website's
number, and runs exactly the code of the instructor's notebooks.

Solutions are found with the tests' own pattern (``source_passages`` in conftest.py), not with
the script's parser, so a parser that missed a solution would be caught.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
_MYST = re.compile(r"^\s*(`{3,}|:{3,})\{|\{[\w:-]+\}`|^:(label|class|nonumber):|^\(\s*[\w:.-]+\s*\)=\s*$", re.M)
_LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")


def words(text: str) -> str:
    return " ".join(re.findall(r"[A-Za-z0-9]+", text)).lower()


def markdown_cells(path: Path) -> list[str]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]


def student_text(tree: Path) -> str:
    texts = []
    for path in tree.rglob("*"):
        if path.is_file() and path.suffix in {".ipynb", ".md", ".txt", ".py", ".csv", ".json", ".toml"}:
            texts.append(words(path.read_text(encoding="utf-8", errors="ignore")))
    return "\n".join(texts)


def student_notebooks(tree: Path) -> list[Path]:
    return sorted(tree.rglob("*.ipynb"))


def test_the_sources_have_exercises_and_solutions(source_passages):
    notebooks = source_passages.notebooks
    assert sum(len(source_passages.fenced(p, "solution")) for p in notebooks) >= 10


def test_no_solution_text_is_in_the_student_tree(student_tree, source_passages):
    text = student_text(student_tree)
    leaks, checked = [], 0
    for path in source_passages.notebooks:
        for number, lines in enumerate(source_passages.solutions(path), start=1):
            assert lines, f"{path} solution {number} has no line of its own to look for"
            checked += len(lines)
            leaks += [f"{path} solution {number}: {line!r}" for line in lines if line in text]
    assert checked >= 20
    assert not leaks, "solution text in the student tree:\n" + "\n".join(leaks)


def test_every_exercise_is_kept(student_tree, source_passages):
    missing = []
    for path in source_passages.notebooks:
        copy = words("\n".join(markdown_cells(student_tree / path)))
        missing += [f"{path}: {line!r}" for line in source_passages.exercises(path) if line not in copy]
    assert not missing, "exercise text missing from the student copies:\n" + "\n".join(missing)


def test_exercises_carry_the_numbers_the_website_shows(student_tree, source_passages):
    site = REPO / "_build" / "html"
    if not (site / "index.html").is_file():
        if os.environ.get("CI") == "true":
            pytest.fail("the site is not built: run ./course test")
        pytest.skip("the site is not built: run ./course site")
    pages = 0
    for path in source_passages.notebooks:
        html = (site / path.with_suffix(".html")).read_text(encoding="utf-8")
        on_site = re.findall(r'caption-number">(Exercise [0-9.]+)', html)
        in_copy = re.findall(r"^> \*\*(Exercise [0-9.]+)", "\n".join(markdown_cells(student_tree / path)), re.M)
        assert in_copy == [name.strip() for name in on_site], path
        pages += bool(on_site)
    assert pages >= 5


def test_no_myst_markup_is_left_for_jupyterlab_to_show_raw(student_tree):
    raw = []
    for path in student_notebooks(student_tree):
        for cell in markdown_cells(path):
            raw += [f"{path.relative_to(student_tree)}: {m.group(0)!r}" for m in _MYST.finditer(cell)]
    for path in student_tree.glob("**/*.md"):
        raw += [f"{path.relative_to(student_tree)}: {m.group(0)!r}" for m in _MYST.finditer(path.read_text())]
    assert not raw, "MyST markup in the student copies:\n" + "\n".join(raw)


def test_code_cells_are_exactly_the_instructors(student_tree, source_passages):
    for path in source_passages.notebooks:
        source = [c for c in json.loads((REPO / path).read_text())["cells"] if c["cell_type"] == "code"]
        copy = [c for c in json.loads((student_tree / path).read_text())["cells"] if c["cell_type"] == "code"]
        assert copy == source, path


def test_links_in_the_student_pages_lead_to_files_of_the_tree(student_tree):
    links = 0
    for path in [*student_notebooks(student_tree), *student_tree.glob("**/*.md")]:
        if "data" in path.relative_to(student_tree).parts:
            continue
        text = "\n".join(markdown_cells(path)) if path.suffix == ".ipynb" else path.read_text()
        for match in _LINK.finditer(text):
            target = match.group("target")
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            links += 1
            assert (path.parent / target.split("#")[0]).is_file(), f"{path}: broken link {target}"
    assert links >= 10


def test_the_tree_holds_what_binder_needs_and_no_instructor_files(student_tree, source_passages):
    for needed in [
        "binder/requirements.txt",
        "binder/runtime.txt",
        "requirements.txt",
        "pyproject.toml",
        "README.md",
        "omcd/__init__.py",
        "omcd/models/gpu_cluster.py",
        "data/datapackage.json",
    ]:
        assert (student_tree / needed).is_file(), needed
    for left_out in ["teaching-notes", "tests", "scripts", "site_assets", "_config.yml", "_toc.yml", "course"]:
        assert not (student_tree / left_out).exists(), left_out
    assert set(source_passages.notebooks) <= {p.relative_to(student_tree) for p in student_notebooks(student_tree)}


def test_no_teaching_note_is_in_the_student_tree(student_tree, source_passages):
    text = student_text(student_tree)
    notes = sorted((REPO / "teaching-notes").glob("ch*.md"))
    assert notes
    for note in notes:
        prose = re.sub(r"^```\{code-cell\}.*?^```\s*$", "", note.read_text(), flags=re.S | re.M)
        lines = source_passages.secret(
            [" ".join(words(line).split()[:9]) for line in prose.splitlines() if len(words(line).split()) >= 9]
        )
        assert len(lines) >= 5, note
        leaked = [line for line in lines if line in text]
        assert not leaked, f"{note.name} in the student tree: {leaked[:3]}"


# The converter on small pieces of MyST --------------------------------------------------------


@pytest.fixture
def convert(student_script):
    page = student_script.Page(
        Path("chapters/03-cloud-economics/gpu-cluster-economics.ipynb"), chapter=3, first_exercise=2
    )
    return student_script.StudentMarkdown(page, REPO, student_script.book_pages(REPO)).convert


def test_a_solution_with_code_inside_a_longer_fence_is_removed_whole(convert):
    text = convert(
        "Before.\n\n````{solution} ex\n:class: dropdown\nSecret words here.\n```python\nx = 1\n```\n"
        "More secret.\n````\nAfter.\n"
    )
    assert "secret" not in text.lower() and "x = 1" not in text
    assert text.startswith("Before.") and text.rstrip().endswith("After.")


def test_colon_fences_options_in_yaml_and_titles(convert):
    text = convert(
        ":::{exercise} Price war\n---\nlabel: ex-a\n---\nWhat happens?\n:::\n:::{solution} ex-a\nHidden.\n:::\n"
    )
    assert "> **Exercise 3.2 (Price war)**" in text and "> What happens?" in text
    assert "Hidden" not in text and "label" not in text


def test_a_directive_inside_a_code_example_stays_text(convert):
    example = "```markdown\n```{solution} x\n```\n"
    assert "{solution}" in convert(example)


def test_roles_become_text_and_links(convert):
    text = convert(
        "A {term}`GPU-hour`, {term}`capex <Capex>`, {doc}`token-cost`, {doc}`the glossary <../../glossary>`"
        " and {math}`x^2`."
    )
    first_cell = markdown_cells(REPO / "chapters/03-cloud-economics/token-cost.ipynb")[0]
    title = re.search(r"^# (.+)$", first_cell, re.M).group(1).strip()
    assert text == f"A GPU-hour, capex, [{title}](token-cost.ipynb), [the glossary](../../glossary.md) and $x^2$."


def test_a_folder_that_is_not_empty_is_refused(student_script, tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(FileExistsError):
        student_script.write_student_tree(tmp_path)
    assert (tmp_path / "keep.txt").read_text() == "mine"
