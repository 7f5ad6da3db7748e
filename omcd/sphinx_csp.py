"""Sphinx extension (listed in ``_config.yml``): a Content-Security-Policy on every page.

GitHub Pages cannot send headers, so each page carries its policy in a ``<meta
http-equiv="Content-Security-Policy">`` element, first in its ``<head>``. The policy allows the
site itself and nothing else:

* scripts: the site's own files, and each inline script of the page by its SHA-256 hash (the
  theme's colour-mode lines, Sphinx's page options); no ``'unsafe-inline'`` and no
  ``'unsafe-eval'``: the charts' expressions run in Vega's interpreter (see
  :mod:`omcd.sphinx_calculators`) and maths is MathML written at build time;
* styles: the site's own files and each inline ``<style>`` element by its hash (the pages carry
  no ``style`` attribute);
* images and fonts from the site, plus ``data:`` and ``blob:`` images (a chart exported as PNG);
* no plugins, no ``<base>``, forms that post nowhere else.

The theme's full-screen button called ``toggleFullScreen()`` from an inline ``onclick``
attribute, which such a policy refuses: the attribute is replaced by a data attribute and a
listener in one more (hashed) inline script. A page opened from disk (``file://``) gets the same
policy; Chromium treats the page's folder tree as its ``'self'``.

``frame-ancestors`` cannot be set from a ``<meta>`` element; a host that sends headers should add
it (and may send the policy as a header instead).
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from sphinx.application import Sphinx

POLICY_META = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>\s*', re.I)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
INLINE_STYLE = re.compile(r"<style[^>]*>(?P<body>.*?)</style>", re.S | re.I)
FULLSCREEN_ONCLICK = ' onclick="toggleFullScreen()"'
FULLSCREEN_SCRIPT = (
    "<script>document.querySelectorAll('[data-omcd-fullscreen]').forEach(function (b) "
    "{ b.addEventListener('click', function () { window.toggleFullScreen(); }); });</script>"
)
#: Non-JavaScript script blocks (data) are not executed, so they need no hash.
DATA_TYPES = ("application/json", "application/ld+json")


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def policy_for(html: str) -> str:
    """The policy of one page, from the inline scripts and styles it holds."""
    scripts = sorted(
        {
            _hash(m.group("body"))
            for m in INLINE_SCRIPT.finditer(html)
            if not any(t in m.group("attrs") for t in DATA_TYPES)
        }
    )
    styles = sorted({_hash(m.group("body")) for m in INLINE_STYLE.finditer(html)})
    directives = [
        "default-src 'self'",
        "script-src " + " ".join(["'self'", *scripts]),
        "style-src " + " ".join(["'self'", *styles]),
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ]
    return "; ".join(directives)


def secure_page(html: str) -> str:
    """The page with its inline handler replaced and its policy first in its ``<head>``."""
    html = POLICY_META.sub("", html)
    if FULLSCREEN_ONCLICK in html:
        html = html.replace(FULLSCREEN_ONCLICK, " data-omcd-fullscreen")
        html = html.replace("</body>", FULLSCREEN_SCRIPT + "\n</body>", 1)
    if re.search(r"\son[a-z]+=\"", html):
        raise ValueError("an inline event handler (onclick=...) is left in the page: the policy would refuse it")
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy_for(html)}">\n'
    head = re.search(r"<head[^>]*>\s*(<meta charset=[^>]*>\s*)?", html, re.I)
    if head is None:  # a bare redirect page: its elements go to the head the parser makes
        return meta + html
    return html[: head.end()] + meta + html[head.end() :]


def _secure_site(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for path in Path(app.outdir).rglob("*.html"):
        if "_static" in path.parts:
            continue
        html = path.read_text(encoding="utf-8")
        try:
            secured = secure_page(html)
        except ValueError as error:
            from sphinx.errors import ExtensionError

            raise ExtensionError(f"{path.relative_to(app.outdir)}: {error}") from error
        if secured != html:
            path.write_text(secured, encoding="utf-8")


def setup(app: Sphinx) -> dict:
    # Last of the build-finished steps: the policy hashes the pages as they are finally written.
    app.connect("build-finished", _secure_site, priority=950)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
