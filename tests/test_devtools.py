"""The local server that the browser tests and the benchmark use."""

from __future__ import annotations

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
