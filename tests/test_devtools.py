"""The local server that the browser tests and the benchmark use."""

from __future__ import annotations

import os

import pytest

from omcd.devtools import SiteServer


def _report(server, error: Exception) -> None:
    try:
        raise error
    except type(error):
        server.handle_error(None, ("127.0.0.1", 1))


def test_a_browser_hanging_up_prints_no_traceback_but_other_errors_do(tmp_path, capsys):
    with SiteServer(tmp_path) as site:
        _report(site.server, BrokenPipeError(32, "Broken pipe"))
        _report(site.server, ConnectionResetError(104, "Connection reset by peer"))
        assert capsys.readouterr().err == ""
        _report(site.server, RuntimeError("a real problem"))
        assert "a real problem" in capsys.readouterr().err


def test_the_benchmark_holds_every_page_with_a_chart_or_a_calculator_to_the_chart_targets():
    """A calculator's page once counted as a text page (350 KB, no blocking-time target)."""
    import importlib.util

    from omcd.devtools import REPO_ROOT, SITE_DIR, calculator_figures, site_pages

    spec = importlib.util.spec_from_file_location("benchmark", REPO_ROOT / "scripts" / "benchmark.py")
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    if not site_pages():
        if os.environ.get("CI") == "true":
            pytest.fail("the site is not built: run ./course test")
        pytest.skip("the site is not built: run ./course site")
    calculator_pages = {page for page, _, _ in calculator_figures()}
    assert len(calculator_pages) >= 6
    assert all(benchmark.has_chart(SITE_DIR, page) for page in calculator_pages)
    assert not benchmark.has_chart(SITE_DIR, "glossary.html")
