"""The Content-Security-Policy each page carries (omcd/sphinx_csp.py), checked on its own and on
the built site. The browser suite checks that no page breaks its policy (tests/browser/test_site.py)."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from omcd.devtools import SITE_DIR
from omcd.sphinx_csp import secure_page

PAGE = (
    '<!DOCTYPE html><html><head><meta charset="utf-8" /><script>var a = 1;</script>'
    '<script type="application/json" class="omcd-spec">{"on": 1}</script><style>p {}</style></head>'
    '<body><button onclick="toggleFullScreen()">Full</button><script src="x.js"></script></body></html>'
)


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _policy(html: str) -> dict[str, str]:
    content = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html).group(1)
    return dict(d.strip().split(" ", 1) for d in content.split(";"))


def test_each_inline_script_and_style_is_allowed_by_its_hash_and_nothing_else():
    secured = secure_page(PAGE)
    policy = _policy(secured)
    assert _sha("var a = 1;") in policy["script-src"] and _sha("p {}") in policy["style-src"]
    assert _sha('{"on": 1}') not in policy["script-src"]  # data, never run
    assert "unsafe" not in policy["script-src"] + policy["style-src"] and "http" not in str(policy)
    assert policy["object-src"] == "'none'" and policy["base-uri"] == "'none'"


def test_the_inline_fullscreen_handler_becomes_a_hashed_listener_and_the_policy_comes_first():
    secured = secure_page(PAGE)
    assert "onclick" not in secured and "data-omcd-fullscreen" in secured
    listener = re.findall(r"<script>(document\.querySelectorAll\('\[data-omcd-fullscreen\]'\).*?)</script>", secured)
    assert listener and _sha(listener[0]) in _policy(secured)["script-src"]
    assert secured.index("Content-Security-Policy") < secured.index("<script")
    assert secure_page(secured) == secured  # building again changes nothing


def test_another_inline_handler_stops_the_build():
    with pytest.raises(ValueError, match="inline event handler"):
        secure_page(PAGE.replace("<button", '<button onmouseover="x()"'))


def test_every_built_page_carries_the_policy_before_any_script():
    pages = [p for p in SITE_DIR.rglob("*.html") if "_static" not in p.parts]
    if not pages:
        pytest.skip("the site is not built: run ./course site")
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "Content-Security-Policy" in html, page
        first_script = html.find("<script")
        assert first_script == -1 or html.index("Content-Security-Policy") < first_script, page
        assert not re.search(r"\son[a-z]+=\"", html), f"{page}: an inline event handler"
