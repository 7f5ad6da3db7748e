"""The student notebooks in a real JupyterLab, as a student gets them from the launch buttons.

JupyterLab is started from the student environment (``OMCD_STUDENT_PYTHON``: ./course test makes
``.venv-student`` from requirements.txt and adds JupyterLab from requirements/lab.txt, as Binder's
image serves JupyterLab beside the students' packages) on a free local port, without a token or
a browser, on a fresh student tree written by scripts/student_notebooks.py. In headless Chromium,
with every request to another host blocked, each notebook is opened, all its cells are run, and
the test checks that:

* no cell shows an error, a traceback or "Error displaying widget";
* moving one slider of each ipywidgets calculator (with the keyboard) changes its output;
* the page shows the exercises as rendered Markdown, with no raw MyST markup;
* no solution text is in the opened notebook (its cells, and the page as rendered).

In CI it never skips.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

NOTEBOOKS = sorted(
    p.relative_to(Path(__file__).resolve().parents[2])
    for p in (Path(__file__).resolve().parents[2] / "chapters").rglob("*.ipynb")
    if ".ipynb_checkpoints" not in p.parts
)
RUN_TIMEOUT_MS = 180_000
RAW_MYST = ["{exercise}", "{solution}", ":label:", ":class:", "{term}`", "{doc}`", "{admonition}"]

# The notebook under test is opened in the running JupyterLab (no reload) and kept as window.omcdNotebook.
_OPEN = """async path => {
  await window.jupyterapp.restored;
  window.omcdNotebook = await window.jupyterapp.commands.execute('docmanager:open', {path, factory: 'Notebook'});
  await window.omcdNotebook.context.ready;
  await window.omcdNotebook.sessionContext.ready; }"""
_KERNEL_IDLE = """() => { const kernel = window.omcdNotebook.sessionContext.session
  && window.omcdNotebook.sessionContext.session.kernel;
  return !!kernel && kernel.status === 'idle'; }"""
_RUN_ALL = """() => { window.jupyterapp.shell.activateById(window.omcdNotebook.id);
  return window.jupyterapp.commands.execute('notebook:run-all-cells'); }"""
_ALL_RUN = """() => { const nb = window.omcdNotebook;
  const cells = nb.content.widgets.filter(c => c.model.type === 'code');
  return cells.every(c => c.model.executionCount !== null)
    && nb.sessionContext.session.kernel.status === 'idle'; }"""
_SOURCES = """() => window.omcdNotebook.content.widgets.map(c => c.model.sharedModel.getSource()).join('\\n')"""
_CLOSE = """async () => { const nb = window.omcdNotebook; if (!nb) return;
  window.omcdNotebook = null; await nb.sessionContext.shutdown(); nb.context.model.dirty = false; nb.dispose(); }"""
_WIDGET_HTML = "el => JSON.stringify([...el.querySelectorAll('.widget-html')].map(e => e.innerHTML))"


def _words(text: str) -> str:
    return " ".join(re.findall(r"[A-Za-z0-9]+", text)).lower()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _student_python() -> str:
    python = os.environ.get("OMCD_STUDENT_PYTHON")
    problem = None
    if not python:
        problem = "OMCD_STUDENT_PYTHON is not set: run the tests with ./course test"
    elif subprocess.run([python, "-c", "import jupyterlab"], capture_output=True).returncode != 0:
        problem = f"JupyterLab is not installed in {python}: ./course test installs requirements/lab.txt"
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{problem}. The JupyterLab test must run in CI.", pytrace=False)
        pytest.skip(problem)
    return python


def _settings(folder: Path) -> Path:
    """JupyterLab user settings: every cell rendered (no windowing), no news pop-up."""
    for plugin, values in {
        "notebook-extension/tracker": {"windowingMode": "none"},
        "apputils-extension/notification": {"fetchNews": "false"},
    }.items():
        path = folder / "@jupyterlab" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    return folder


@pytest.fixture(scope="module")
def jupyterlab(student_script, tmp_path_factory):
    """JupyterLab serving a fresh student tree on 127.0.0.1: yields (base url, tree)."""
    python = _student_python()
    base = tmp_path_factory.mktemp("jupyterlab")
    tree = base / "course"
    student_script.write_student_tree(tree)
    port = _free_port()
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(base / "config"),
        "JUPYTER_DATA_DIR": str(base / "data"),
        "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
        "IPYTHONDIR": str(base / "ipython"),
    }
    env.pop("JUPYTER_PATH", None)
    command = [
        python,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--allow-root",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        f"--ServerApp.root_dir={tree}",
        "--LabApp.expose_app_in_browser=True",
        f"--LabApp.user_settings_dir={_settings(base / 'settings')}",
        f"--LabApp.workspaces_dir={base / 'workspaces'}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    log = (base / "server.log").open("w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                pytest.fail(f"JupyterLab stopped:\n{(base / 'server.log').read_text()[-3000:]}", pytrace=False)
            try:
                urllib.request.urlopen(f"{url}/api/status", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not answer within 60 s", pytrace=False)
                time.sleep(0.3)
        yield url, tree
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="module")
def lab_page(jupyterlab, browser):
    url, _ = jupyterlab
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    external: list[str] = []

    def route(route):
        if route.request.url.startswith(url):
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.external_requests = external
    page.goto(f"{url}/lab")
    page.wait_for_function("() => window.jupyterapp !== undefined")
    try:
        yield page
    finally:
        context.close()


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.as_posix() for p in NOTEBOOKS])
def test_student_notebook_in_jupyterlab(notebook, jupyterlab, lab_page, source_passages):
    url, tree = jupyterlab
    page = lab_page
    page.evaluate(_OPEN, notebook.as_posix())
    try:
        page.wait_for_function(_KERNEL_IDLE)
        page.evaluate(_RUN_ALL)
        page.wait_for_function(_ALL_RUN, timeout=RUN_TIMEOUT_MS)
        panel = page.locator(".jp-NotebookPanel:visible .jp-Notebook")

        # No error in any cell.
        errors = panel.locator('[data-mime-type="application/vnd.jupyter.error"]')
        assert errors.count() == 0, f"{notebook}: {errors.first.inner_text()[:2000]}"
        shown = panel.inner_text()
        assert "Error displaying widget" not in shown and "Traceback" not in shown, notebook

        # Each calculator's output follows its sliders.
        calculators = panel.locator(".jp-OutputArea-output:has(.widget-slider)")
        cells = json.loads((tree / notebook).read_text(encoding="utf-8"))["cells"]
        if any("Widget(" in "".join(c["source"]) for c in cells if c["cell_type"] == "code"):
            assert calculators.count() >= 1, f"{notebook} builds a calculator, but none is shown"
        for index in range(calculators.count()):
            calculator = calculators.nth(index)
            before = calculator.evaluate(_WIDGET_HTML)
            handle = calculator.locator(".noUi-handle").first
            at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
            handle.focus()
            page.keyboard.press("ArrowLeft" if at_max else "ArrowRight")
            page.wait_for_function(
                f"([el, before]) => ({_WIDGET_HTML})(el) !== before",
                arg=[calculator.element_handle(), before],
                timeout=15_000,
            )

        # Exercises are rendered Markdown; no raw MyST, no solution.
        shown = panel.inner_text()
        raw = [marker for marker in RAW_MYST if marker in shown]
        assert not raw, f"{notebook} shows raw MyST markup: {raw}"
        text = _words(shown + "\n" + page.evaluate(_SOURCES))
        exercises = source_passages.exercises(notebook)
        assert all(p in text for p in exercises), f"{notebook}: an exercise is not shown"
        if exercises:
            assert re.search(r"Exercise \d+\.\d+", shown), f"{notebook}: exercises are not numbered"
        leaks = [p for lines in source_passages.solutions(notebook) for p in lines if p in text]
        assert not leaks, f"{notebook} shows solution text: {leaks}"
        assert not page.external_requests, page.external_requests
    finally:
        page.evaluate(_CLOSE)
