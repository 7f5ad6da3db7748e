"""Write the student copy of the course: what the Binder and JupyterHub launch buttons open.

    python scripts/student_notebooks.py OUT_DIR     (or: ./course student [OUT_DIR])

The notebooks in this repository are the instructor's sources: their exercises and solutions are
MyST directives (sphinx-exercise) that the website renders, but that JupyterLab shows as raw
markup, every solution under its question. This script writes a tree for students in which

* every page of the book (notebooks, and the Markdown pages) reads as plain Markdown that
  JupyterLab renders: an exercise becomes a quoted block headed "Exercise 3.1" (numbered as on the
  website), an admonition a quoted block under its title, the glossary a list;
* every solution is removed;
* glossary terms (``{term}``) become plain text, links to pages (``{doc}``) become Markdown links
  to the notebook or page, other roles their text;
* code cells are unchanged, so the student runs exactly the code the tests run;
* what Binder needs is copied alongside (``binder/``, ``requirements.txt``, ``pyproject.toml``, the
  ``omcd`` package, ``data/``, licences), and instructor-only files are left out (teaching notes,
  tests, build scripts, the website's assets).

The Pages workflow publishes this tree to the ``student`` branch (:data:`STUDENT_BRANCH`), which
``repository.branch`` in ``_config.yml`` makes the launch buttons open. The instructor edition of
the website keeps the solutions; they stay in this repository's notebooks.

Only the standard library and PyYAML (to read ``_toc.yml``) are needed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
#: The branch the Pages workflow publishes the student tree to, and the launch buttons open.
STUDENT_BRANCH = "student"
#: Copied as they are: what Binder (repo2docker) and the notebooks need to run.
COPIED = ["binder", "omcd", "data", "pyproject.toml", "requirements.txt", "LICENSE", "LICENSE-TEXT.md", "CITATION.cff"]
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")
ADMONITIONS = {
    "admonition",
    "note",
    "tip",
    "hint",
    "important",
    "warning",
    "caution",
    "attention",
    "danger",
    "error",
    "seealso",
}

_OPEN = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:-]+)\}[ \t]*(?P<argument>.*?)\s*$")
_PLAIN_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")
_OPTION = re.compile(r"^:(?P<key>[\w-]+):(?:\s+(?P<value>.*))?$")
_ROLE = re.compile(r"\{(?P<role>[\w:-]+)\}`(?P<content>[^`]+)`")
_TARGET = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
_LABEL_LINE = re.compile(r"^\(\s*[\w:.-]+\s*\)=\s*$")
_COMMENT_LINE = re.compile(r"^%")


@dataclass
class Page:
    """One page of the book: where it is, and the numbers of its exercises on the website."""

    path: Path  # relative to the repository, with its suffix
    chapter: int | None = None
    first_exercise: int = 1
    exercise_labels: dict[str, str] = field(default_factory=dict)


# The book's pages and the numbering of its exercises ------------------------------------------


def book_pages(root: Path = REPO_ROOT) -> list[Page]:
    """Every page in ``_toc.yml``, in reading order, with the website's exercise numbers.

    sphinx-exercise numbers exercises per chapter of the numbered part (Exercise 3.2 is the second
    exercise of chapter 3, counted through its pages in order); this follows the same rule.
    """
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    pages = [Page(_source(root, toc["root"]))]
    chapter_number = 0
    for part in toc.get("parts", []):
        for chapter in part.get("chapters", []):
            files = [chapter["file"]] + [section["file"] for section in _sections(chapter)]
            number = None
            if part.get("numbered"):
                chapter_number += 1
                number = chapter_number
            count = 0
            for file in files:
                page = Page(_source(root, file), chapter=number, first_exercise=count + 1)
                count += len(_exercise_labels(_markdown_of(root / page.path)))
                pages.append(page)
    return pages


def _sections(entry: dict) -> list[dict]:
    found = []
    for section in entry.get("sections", []) or []:
        found.append(section)
        found += _sections(section)
    return found


def _source(root: Path, file: str) -> Path:
    for suffix in (".ipynb", ".md"):
        if (root / f"{file}{suffix}").is_file():
            return Path(f"{file}{suffix}")
    raise FileNotFoundError(f"_toc.yml lists {file}, but neither {file}.ipynb nor {file}.md exists")


def _markdown_of(path: Path) -> str:
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return "\n".join(_text(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return path.read_text(encoding="utf-8")


def _text(source: str | list[str]) -> str:
    return source if isinstance(source, str) else "".join(source)


def _exercise_labels(markdown: str) -> list[str]:
    """The labels of the exercises in a page, in order ('' for an exercise without a label)."""
    labels = []
    for block in _blocks(markdown.splitlines()):
        if isinstance(block, _Directive) and block.name == "exercise":
            labels.append(block.options.get("label", ""))
    return labels


# Parsing MyST directives --------------------------------------------------------------------


@dataclass
class _Directive:
    name: str
    argument: str
    options: dict[str, str]
    body: list[str]


@dataclass
class _Code:
    """A plain fenced code block, fences included: copied as it is."""

    lines: list[str]


def _blocks(lines: list[str]) -> list[str | _Directive | _Code]:
    """Split Markdown lines into plain lines and top-level directives (fenced ```{name} blocks).

    A directive ends at the first fence of its character at least as long as its own; plain code
    fences are copied as they are (a directive written inside a code example stays text).
    """
    blocks: list[str | _Directive | _Code] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        opened = _OPEN.match(line)
        plain = None if opened else _PLAIN_FENCE.match(line)
        if not opened and not plain:
            blocks.append(line)
            index += 1
            continue
        fence = (opened or plain).group("fence")
        closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        end = next((j for j in range(index + 1, len(lines)) if closing.match(lines[j])), len(lines))
        if plain:
            blocks.append(_Code(lines[index : end + 1]))
        else:
            options, body = _options(lines[index + 1 : end])
            blocks.append(_Directive(opened.group("name"), opened.group("argument"), options, body))
        index = end + 1
    return blocks


def _options(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """A directive's options (``:key: value`` lines or a ``---`` YAML block) and its body."""
    options: dict[str, str] = {}
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is not None:
            options = {str(k): str(v) for k, v in (yaml.safe_load("\n".join(lines[1:end])) or {}).items()}
            return options, lines[end + 1 :]
    index = 0
    while index < len(lines) and (match := _OPTION.match(lines[index])):
        options[match.group("key")] = (match.group("value") or "").strip()
        index += 1
    return options, lines[index:]


# Turning MyST into Markdown that JupyterLab renders --------------------------------------------


class StudentMarkdown:
    """Converts the MyST Markdown of one page for the student copy."""

    def __init__(self, page: Page, root: Path = REPO_ROOT, pages: list[Page] | None = None):
        self.page = page
        self.root = root
        self.pages = {p.path: p for p in (pages or [page])}
        self.next_exercise = page.first_exercise
        # Labels of every exercise of the book, for {ref} roles that point at one.
        self.exercise_names = {}
        for other in self.pages.values():
            labels = _exercise_labels(_markdown_of(root / other.path)) if (root / other.path).is_file() else []
            for offset, label in enumerate(labels):
                if label:
                    self.exercise_names[label] = _exercise_name(other, other.first_exercise + offset)

    def convert(self, markdown: str) -> str:
        out = self._lines(markdown.splitlines())
        text = "\n".join(out)
        text = re.sub(r"\n{3,}", "\n\n", text)
        return text.strip("\n") + ("\n" if markdown.endswith("\n") else "")

    def _lines(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        for block in _blocks(lines):
            if isinstance(block, _Directive):
                out += self._directive(block)
            elif isinstance(block, _Code):
                out += block.lines  # code examples are copied verbatim
            elif _LABEL_LINE.match(block) or _COMMENT_LINE.match(block):
                continue  # (label)= targets and % comments are not shown
            else:
                out.append(self.roles(block))
        return out

    def _directive(self, directive: _Directive) -> list[str]:
        name = directive.name.split(":")[-1]
        body = self._lines(directive.body)
        if name == "solution":
            return []
        if name == "exercise":
            title = _exercise_name(self.page, self.next_exercise)
            self.next_exercise += 1
            if directive.argument:
                title += f" ({self.roles(directive.argument)})"
            return ["", *_quoted([f"**{title}**", "", *body]), ""]
        if name in ADMONITIONS:
            title = directive.argument if name == "admonition" else name.capitalize()
            if name == "seealso":
                title = "See also"
            return ["", *_quoted([f"**{self.roles(title)}**", "", *body]), ""]
        if name in ("math", "eq"):
            return ["", "$$", *directive.body, "$$", ""]
        if name in ("figure", "image"):
            alt = directive.options.get("alt", "")
            caption = [line for line in body if line.strip()]
            return ["", f"![{alt}]({directive.argument})", *([""] + caption if caption else []), ""]
        if name in ("code-block", "code", "code-cell"):
            return ["", f"```{directive.argument}", *directive.body, "```", ""]
        if name == "glossary":
            return _glossary(body)
        # Any other directive: its title in bold, then its content.
        head = [f"**{self.roles(directive.argument)}**", ""] if directive.argument else []
        return ["", *head, *body, ""]

    def roles(self, text: str) -> str:
        return _ROLE.sub(self._role, text)

    def _role(self, match: re.Match) -> str:
        role = match.group("role").split(":")[-1]
        content = match.group("content")
        target = _TARGET.match(content)
        text, reference = (target.group("text"), target.group("target")) if target else (None, content)
        if role == "doc":
            return self._doc_link(text, reference)
        if role in ("ref", "numref") and reference in self.exercise_names:
            return text or self.exercise_names[reference]
        if role == "math":
            return f"${content}$"
        if role == "download":
            return f"[{text or reference}]({reference})"
        return text or reference  # term, ref, abbr, sub, sup and the rest: their text

    def _doc_link(self, text: str | None, reference: str) -> str:
        here = self.page.path.parent
        base = Path(reference.lstrip("/")) if reference.startswith("/") else here / reference
        base = Path(os.path.normpath(base))
        for suffix in (".ipynb", ".md"):
            target = base.with_name(base.name + suffix)
            if (self.root / target).is_file():
                title = text or _title(self.root / target) or base.name
                return f"[{title}]({Path(os.path.relpath(target, here)).as_posix()})"
        return text or reference


def _exercise_name(page: Page, number: int) -> str:
    return f"Exercise {page.chapter}.{number}" if page.chapter else f"Exercise {number}"


def _quoted(lines: list[str]) -> list[str]:
    return [f"> {line}".rstrip() for line in lines]


def _glossary(lines: list[str]) -> list[str]:
    """A MyST glossary (terms at the margin, definitions indented) as a list of bold terms."""
    out, terms, definition = [""], [], []

    def flush():
        if terms:
            out.append(f"- **{' / '.join(terms)}**: {' '.join(definition)}")
        terms.clear()
        definition.clear()

    for line in lines:
        if not line.strip():
            continue
        if line[:1].isspace():
            definition.append(line.strip())
        else:
            if definition:
                flush()
            terms.append(line.strip())
    flush()
    return out + [""]


def _title(path: Path) -> str | None:
    for line in _markdown_of(path).splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return None


# Writing the student tree -------------------------------------------------------------------


def student_notebook(notebook: dict, converter: StudentMarkdown) -> dict:
    """A copy of ``notebook`` whose Markdown cells are converted; code cells are unchanged."""
    copy = json.loads(json.dumps(notebook))
    for cell in copy["cells"]:
        if cell["cell_type"] == "markdown":
            cell["source"] = converter.convert(_text(cell["source"])).splitlines(keepends=True)
    copy["cells"] = [c for c in copy["cells"] if c["cell_type"] != "markdown" or _text(c["source"]).strip()]
    return copy


def write_student_tree(out: Path, root: Path = REPO_ROOT) -> list[Path]:
    """Write the student tree into ``out`` (created; must be empty). Returns the pages written."""
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty: give an empty or new folder")
    for name in COPIED:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, out / name, ignore=IGNORED)
        elif source.is_file():
            shutil.copy2(source, out / name)
        else:
            raise FileNotFoundError(f"{source} is missing: the student tree needs it")
    pages = book_pages(root)
    for page in pages:
        converter = StudentMarkdown(page, root, pages)
        target = out / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if page.path.suffix == ".ipynb":
            notebook = json.loads((root / page.path).read_text(encoding="utf-8"))
            text = json.dumps(student_notebook(notebook, converter), indent=1, ensure_ascii=False)
            target.write_text(text + "\n", encoding="utf-8")
        else:
            target.write_text(converter.convert((root / page.path).read_text(encoding="utf-8")), encoding="utf-8")
    (out / "README.md").write_text(_readme(pages), encoding="utf-8")
    return [page.path for page in pages]


def _readme(pages: list[Page]) -> str:
    notebooks = [p.path.as_posix() for p in pages if p.path.suffix == ".ipynb"]
    listed = "\n".join(f"- [{_title(REPO_ROOT / p) or p}]({p})" for p in notebooks)
    return f"""# Open Models, Cloud Demand: the notebooks for students

This is the students' copy of the course's notebooks, the one that the website's Binder and
JupyterHub launch buttons open. It is written by `scripts/student_notebooks.py` from the
course's main branch each time the website is published: do not edit it here.

In this copy the exercises have no solutions (your instructor has them), and every page reads as
plain Markdown in JupyterLab. The calculators are ipywidgets: run the notebook from the top
(Run > Run All Cells) and move the sliders.

To run the notebooks on your own computer, with Python 3.11:

```bash
python -m pip install -r requirements.txt
python -m pip install jupyterlab
jupyter lab
```

The notebooks:

{listed}

Code: MIT licence ([LICENSE](LICENSE)). Text, figures and data: CC BY 4.0
([LICENSE-TEXT.md](LICENSE-TEXT.md)).
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the student tree into (new or empty)")
    args = parser.parse_args(argv)
    try:
        written = write_student_tree(args.out)
    except (FileExistsError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Wrote the student tree to {args.out}: {len(written)} pages, no solutions.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
