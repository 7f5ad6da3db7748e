"""Sphinx extension (listed in ``_config.yml``): the charts' code, only where it is used.

* A page whose body holds a chart or a calculator written by :mod:`omcd.display` gets
  ``_static/omcd-calculators.js`` as a classic, deferred script; every other page loads no chart
  code at all. The script loads the Vega runtime itself (see ``site_assets/omcd-calculators.js``).
* Writes that runtime into the site (``_static/omcd/vega-runtime.js``), so charts never load a
  script from another host. It is Vega's browser build (``vega/build/vega.min.js``) followed by
  ``vega-interpreter``, which evaluates Vega's expressions without ``eval`` (so the pages can
  run under a Content-Security-Policy without ``'unsafe-eval'``): both from the npm registry,
  pinned by ``scripts/vega-runtime/package-lock.json`` and installed by ``./course`` (``npm ci``
  into ``.venv/vega-runtime``; ``OMCD_VEGA_RUNTIME`` points at its ``node_modules``).

  Why not ``vl_convert.javascript_bundle()`` (PyPI), the bundle the course first served: it
  carries the Vega-Lite compiler and Vega-Embed (898 KB, 305 KB compressed, against 521 KB and
  180 KB for Vega alone), which the site no longer needs since every chart is compiled to Vega at
  build time (:mod:`omcd.charts._compile`); and it exposes neither Vega's namespace nor the
  expression interpreter (``window.vega`` is null in it, and its ``snippet`` argument cannot
  reach them), so its charts need ``eval``. Measured with vl-convert-python 1.9.0.
  ``vega-interpreter`` ships only as an ES module importing three helpers from ``vega-util``,
  which Vega's browser build also exports: it is adapted here into a classic script (a page
  opened from disk cannot import a module) that reads them from ``window.vega``.
* Compiles the Vega expressions of every chart of the built pages to JavaScript functions,
  ``_static/omcd/expressions/<chart name>.js`` (``scripts/vega-runtime/compile-expressions.mjs``,
  run with Debian's ``node``). A page loads its charts' files with the runtime and evaluates
  their expressions as those functions: Vega would compile them itself with ``Function()``,
  which the policy refuses, and vega-interpreter, which the page falls back on for an expression
  it does not find, walks each expression's syntax tree for every row, about twice as slow
  (a GPU-cluster move: 11.3 ms median in Vega interpreted, 4.3 ms compiled).
* Marks, on a page with a calculator, its sections and the section's child that holds the
  calculator (:data:`PAGE_CLASS`, :data:`WIDE_CLASS`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

from omcd.display import BUNDLE_PATH, EXPRESSIONS_DIR, SCRIPT_PATH

MARKERS = ('class="omcd-calc"', 'class="omcd-chart"')
#: Classes for ``site_assets/omcd.css``, which gives a calculator the page's full width while the
#: prose around it keeps its reading width: :data:`PAGE_CLASS` on the top sections of a page with
#: a calculator, :data:`WIDE_CLASS` on each section's child that holds one. Set here, at build
#: time, rather than found in the browser with ``:has()``: the rule
#: ``.bd-article:has(figure.omcd-calc) section > :not(section):not(:has(figure.omcd-calc))`` made
#: Chromium restyle most of the article whenever a calculator changed a number, about 3 ms of each
#: slider move (measured with a trace on the 2-core machine).
PAGE_CLASS = "omcd-calc-page"
WIDE_CLASS = "omcd-wide"


def _add_calculator_script(app: Sphinx, pagename, templatename, context, doctree) -> None:
    body = context.get("body") or ""
    if any(marker in body for marker in MARKERS):
        app.add_js_file(SCRIPT_PATH.removeprefix("_static/"), loading_method="defer")


def _mark_wide_children(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Give :data:`WIDE_CLASS` to each child of a section that holds a calculator, and
    :data:`PAGE_CLASS` to the page's top sections if it holds any."""
    found = False
    for raw in doctree.findall(nodes.raw):
        if 'class="omcd-calc"' not in raw.astext():
            continue
        node = raw
        while node.parent is not None and not isinstance(node.parent, nodes.section):
            node = node.parent
        if node.parent is not None and WIDE_CLASS not in node["classes"]:
            node["classes"].append(WIDE_CLASS)
        found = True
    if found:
        for section in doctree.children:
            if isinstance(section, nodes.section) and PAGE_CLASS not in section["classes"]:
                section["classes"].append(PAGE_CLASS)


class VegaRuntimeMissing(ExtensionError):
    """The Vega runtime is not installed where the build looks for it."""


_IMPORT = re.compile(r"^import \{ ([\w, ]+) \} from 'vega-util';$", re.M)
_EXPORT = re.compile(r"^export \{ expression as expressionInterpreter \};$", re.M)


def runtime_dir() -> Path:
    """The ``node_modules`` folder holding ``vega`` and ``vega-interpreter``."""
    folder = os.environ.get("OMCD_VEGA_RUNTIME")
    path = (
        Path(folder) if folder else Path(__file__).resolve().parent.parent / ".venv" / "vega-runtime" / "node_modules"
    )
    if not (path / "vega" / "build" / "vega.min.js").is_file():
        raise VegaRuntimeMissing(
            f"the Vega runtime is not installed in {path}: build the site with ./course site, "
            "which installs it from scripts/vega-runtime/ (npm ci)"
        )
    return path


def classic_interpreter(module_source: str) -> str:
    """vega-interpreter's ES module as a classic script that sets ``vega.expressionInterpreter``."""
    imports = _IMPORT.findall(module_source)
    if len(imports) != 1 or len(_EXPORT.findall(module_source)) != 1:
        raise VegaRuntimeMissing(
            "vega-interpreter's module no longer has the one import from vega-util and the "
            "one export this adapter expects: check scripts/vega-runtime's pinned version"
        )
    body = _EXPORT.sub("", _IMPORT.sub("", module_source))
    body = re.sub(r"^//# sourceMappingURL=.*$", "", body, flags=re.M)
    return (
        f"(function (vega) {{\n'use strict';\nconst {{ {imports[0]} }} = vega;\n{body}\n"
        "vega.expressionInterpreter = expression;\n})(window.vega);\n"
    )


def runtime_source(folder: Path) -> str:
    """The file the site serves: Vega's browser build, then the adapted interpreter."""
    vega = (folder / "vega" / "build" / "vega.min.js").read_text(encoding="utf-8")
    interpreter = (folder / "vega-interpreter" / "build" / "vega-interpreter.js").read_text(encoding="utf-8")
    return vega.rstrip() + "\n" + classic_interpreter(interpreter)


def _write_vega_runtime(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    folder = runtime_dir()
    versions = ", ".join(
        f"{name} {json.loads((folder / name / 'package.json').read_text())['version']}"
        for name in ("vega", "vega-interpreter")
    )
    target = Path(app.outdir) / BUNDLE_PATH
    stamp = target.with_suffix(".version")
    if target.exists() and stamp.exists() and stamp.read_text() == versions:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(runtime_source(folder), encoding="utf-8")
    stamp.write_text(versions)


#: The node script that compiles the charts' expressions (see its header).
COMPILER = Path(__file__).resolve().parent.parent / "scripts" / "vega-runtime" / "compile-expressions.mjs"
_SPEC = re.compile(r'<script type="application/json" class="omcd-spec">(.*?)</script>', re.S)


def site_charts(outdir: Path) -> dict[str, list[dict]]:
    """Every chart of the built pages: its name and its Vega views, as the pages hold them."""
    charts: dict[str, dict[str, dict]] = {}
    for path in sorted(Path(outdir).rglob("*.html")):
        if "_static" in path.parts:
            continue
        for match in _SPEC.finditer(path.read_text(encoding="utf-8")):
            meta = json.loads(match.group(1).replace("<\\/", "</"))
            views = charts.setdefault(meta["name"], {})
            for view in meta["views"]:
                views.setdefault(json.dumps(view, sort_keys=True), view)
    return {name: list(views.values()) for name, views in sorted(charts.items())}


def compile_expressions(charts: dict[str, list[dict]], target: Path, folder: Path | None = None) -> None:
    """Write ``target/<name>.js`` for each chart: its Vega expressions as functions."""
    node = shutil.which("node")
    if node is None:
        raise VegaRuntimeMissing("node is not installed: ./course installs it (Debian's nodejs) with the Vega runtime")
    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob("*.js"):
        old.unlink()
    done = subprocess.run(
        [node, str(COMPILER), str(folder or runtime_dir()), str(target)],
        input=json.dumps(charts),
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        raise ExtensionError(f"compiling the charts' Vega expressions failed:\n{done.stderr.strip()}")


def _write_expressions(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    folder = runtime_dir()
    charts = site_charts(Path(app.outdir))
    target = Path(app.outdir) / EXPRESSIONS_DIR
    stamp = target / "inputs.sha256"
    digest = hashlib.sha256()
    for part in (
        json.dumps(charts, sort_keys=True),
        COMPILER.read_text(),
        (folder / "vega" / "package.json").read_text(),
    ):
        digest.update(part.encode("utf-8"))
    if (
        stamp.exists()
        and stamp.read_text() == digest.hexdigest()
        and all((target / f"{n}.js").exists() for n in charts)
    ):
        return
    compile_expressions(charts, target, folder)
    stamp.write_text(digest.hexdigest())


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", _add_calculator_script)
    app.connect("doctree-resolved", _mark_wide_children)
    app.connect("builder-inited", lambda app: runtime_dir())  # fail early, before executing notebooks
    app.connect("build-finished", _write_vega_runtime)
    app.connect("build-finished", _write_expressions)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
