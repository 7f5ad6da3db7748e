"""The classroom tools (omcd/classroom.py): ``./course serve --lan`` and ``./course zip``.

``serve --lan`` is started as ``./course`` starts it (``python -m omcd.classroom serve --lan``)
on a free port. This sandbox forbids sending traffic to any address but loopback, this
machine's own network address included, so the page is fetched over 127.0.0.1 and the test
checks what makes it reachable at the printed address: the listening socket is bound to every
interface (0.0.0.0), and the printed address is one of this machine's network addresses.

The zip's browser check (every site-wide check on the unpacked copy opened from ``file://``) is
in tests/browser/test_zip.py.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import psutil
import pytest
from qr_decode import decode, terminal_code

from omcd.classroom import ZIP_FOLDER, lan_addresses, make_zip
from omcd.devtools import REPO_ROOT, SITE_DIR

STARTUP_SECONDS = 20


@pytest.fixture()
def tiny_site(tmp_path: Path) -> Path:
    """A built site in miniature, with the files a real build leaves that must not be shipped."""
    site = tmp_path / "html"
    (site / "chapters").mkdir(parents=True)
    (site / "_sources" / "chapters").mkdir(parents=True)
    (site / "_static").mkdir()
    (site / "index.html").write_text('<meta http-equiv="Refresh" content="0; url=intro.html" />')
    (site / "intro.html").write_text("<html><body><p>Open Models, Cloud Demand</p></body></html>")
    (site / "chapters" / "page.html").write_text("<html><body>Chapter</body></html>")
    (site / "_static" / "omcd.css").write_text("body {}")
    (site / "_sources" / "chapters" / "page.ipynb").write_text('{"solution": "secret"}')
    (site / ".buildinfo").write_text("config: x")
    return site


def _start_serve(site: Path) -> tuple[subprocess.Popen, str]:
    """Start ``serve --lan`` on a free port; return the process and what it printed up to the
    line that gives the address on this machine."""
    process = subprocess.Popen(
        [sys.executable, "-m", "omcd.classroom", "serve", "--lan", "--port", "0", "--site", str(site)],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
    )
    lines, deadline = [], time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if line.startswith("On this machine:") or "no network address other than" in line:
            # The banner's last lines follow; read them too.
            lines.extend(process.stdout.readline() for _ in range(2 if line.startswith("On") else 1))
            break
    return process, "".join(lines)


def test_serve_lan_listens_on_every_interface_and_prints_the_address_and_its_qr_code(tiny_site):
    process, printed = _start_serve(tiny_site)
    try:
        local = re.search(r"http://127\.0\.0\.1:(\d+)/", printed)
        assert local, f"no local address printed:\n{printed}"
        port = int(local.group(1))
        listening = [
            c.laddr for c in psutil.Process(process.pid).net_connections(kind="inet") if c.status == psutil.CONN_LISTEN
        ]
        assert [(a.ip, a.port) for a in listening] == [("0.0.0.0", port)], (
            f"serve --lan must listen on every interface: {listening}"
        )
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/intro.html", timeout=10) as response:
            assert response.status == 200
            assert "Open Models, Cloud Demand" in response.read().decode()
        addresses = lan_addresses()
        if addresses:
            url = f"http://{addresses[0]}:{port}/"
            assert f"  {url}\n" in printed, printed
            code = printed.split("or scan this code:")[1].split("On this machine:")[0].strip("\n")
            assert decode(terminal_code(code)) == url  # the QR code on screen opens the address
        else:  # a machine with no network: the message says what to do
            assert "join the\nclassroom's Wi-Fi" in printed
        assert "No internet needed" in printed or not addresses
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_lan_says_when_the_port_is_taken(tiny_site):
    import socket

    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "omcd.classroom", "serve", "--lan", "--port", str(port), "--site", str(tiny_site)],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 1
    assert f"cannot serve on port {port}" in result.stderr and "--port" in result.stderr
    assert "Traceback" not in result.stderr


def _unzipped(archive: Path, target: Path) -> Path:
    with zipfile.ZipFile(archive) as z:
        names = z.namelist()
        assert all(n.startswith(ZIP_FOLDER + "/") for n in names), "the zip must unpack into one folder"
        z.extractall(target)
    return target / ZIP_FOLDER


def test_zip_holds_the_site_and_nothing_it_must_not_ship(tiny_site, tmp_path):
    folder = _unzipped(make_zip(tiny_site, tmp_path / "site.zip"), tmp_path / "out")
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert files == ["README.txt", "_static/omcd.css", "chapters/page.html", "index.html", "intro.html"]
    assert "open index.html" in (folder / "README.txt").read_text()


def test_zip_refuses_an_unbuilt_site_or_the_instructor_edition(tmp_path, tiny_site):
    with pytest.raises(FileNotFoundError, match="build the site first"):
        make_zip(tmp_path / "nothing", tmp_path / "a.zip")
    (tiny_site / "teaching-notes").mkdir()
    with pytest.raises(ValueError, match="instructor edition"):
        make_zip(tiny_site, tmp_path / "b.zip")


def test_zip_of_the_built_student_site_has_every_page_and_no_solution(tmp_path):
    if not (SITE_DIR / "index.html").is_file():
        if os.environ.get("CI") == "true":
            pytest.fail("the site is not built: run ./course test")
        pytest.skip("the site is not built: run ./course site")
    from test_editions import SECRETS, site_text

    from omcd.devtools import site_pages

    folder = _unzipped(make_zip(SITE_DIR, tmp_path / "site.zip"), tmp_path / "out")
    assert (folder / "index.html").is_file()
    missing = [p for p in site_pages() if not (folder / p).is_file()]
    assert not missing, f"pages missing from the zip: {missing}"
    assert not list(folder.rglob("_sources")) and not list(folder.rglob("*.ipynb"))
    assert not (folder / "teaching-notes").exists()
    texts = site_text(folder)
    leaks = [f"{where} -> {file}" for where, words in SECRETS.items() for file, text in texts.items() if words in text]
    assert not leaks, "the zip carries solutions:\n" + "\n".join(leaks)


def test_the_pages_workflow_uploads_the_instructor_edition_but_publishes_only_the_student_site():
    import yaml

    workflow = yaml.safe_load((REPO_ROOT / ".github" / "workflows" / "pages.yml").read_text())
    steps = workflow["jobs"]["build"]["steps"]
    runs = [s.get("run", "") for s in steps]
    assert any(r.strip() == "./course site --instructor" for r in runs)
    assert any(r.strip() == "./course pdf --instructor" for r in runs)
    (pages,) = [s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact")]
    assert pages["with"]["path"] == "_build/html"
    (download,) = [s for s in steps if s.get("uses", "").startswith("actions/upload-artifact")]
    assert download["with"]["name"] == "instructor-edition"
    gather = next(r for r in runs if download["with"]["path"] in r)
    assert "_build/instructor/_build/html" in gather and "instructor.pdf" in gather
    assert steps.index(pages) < runs.index("./course site --instructor")  # student site packed first
    deploy = workflow["jobs"]["deploy"]["steps"]
    assert [s.get("uses", "").split("@")[0] for s in deploy] == ["actions/deploy-pages"]
