"""Lean pages from the book theme (pydata-sphinx-theme, through sphinx-book-theme).

The theme draws its handful of icons with ``fontawesome.js`` (1.49 MB), which replaces each
``<i class="fa-solid fa-...">`` with an SVG when the page loads, and loads the Font Awesome web
fonts (270 KB) for the icons its stylesheet puts before admonition titles. The course's pages
use about fifteen icons. This module, run by ``omcd.sphinx_ext`` once the pages are written:

* draws every theme icon as inline SVG, with the path data of the same Font Awesome release
  taken from the theme's own ``fontawesome.js`` at build time, and drops that script;
* gives the stylesheet's icons (``content: "\\f071"`` before an admonition title) fonts cut down
  to the few glyphs the theme's stylesheet names (fontTools), instead of the full web fonts;
* serves the theme's stylesheet (320 KB, 47 KB compressed, in every page's critical path) lean:
  Sphinx's ``basic.css`` in the same file (the theme loaded it through an ``@import``, one more
  round trip before the first paint), and only the rules whose class and id names appear
  somewhere in the site: in a page, or in a script that could add them (the theme's, Bootstrap's,
  Sphinx's, the course's). That drops the 1,900 ``.fa-...:before`` rules of icons drawn by the
  font and most of Bootstrap's utility classes, and keeps every rule for a state a script sets
  (open menus, dark mode, tooltips), for print, and for every page of the site;
* drops the search index and search scripts from every page but the search page, where they
  are deferred: the theme loads them everywhere for a search-as-you-type box this site does not
  turn on (the search box sends the reader to ``search.html``).

Every step is idempotent: a page written by an earlier build is left as it is.
"""

from __future__ import annotations

import hashlib
import html
import re
from functools import cached_property
from pathlib import Path

#: Font Awesome's style classes and the icon pack each one selects (``fa`` alone: solid).
PACKS = {
    "fa": "fas",
    "fas": "fas",
    "fa-solid": "fas",
    "far": "far",
    "fa-regular": "far",
    "fab": "fab",
    "fa-brands": "fab",
}
#: The web fonts of each pack, in the theme's ``vendor/fontawesome/webfonts``.
WEBFONTS = {"fas": "fa-solid-900", "far": "fa-regular-400", "fab": "fa-brands-400"}
ATTRIBUTION = (
    "<!-- Icons: Font Awesome Free {version} by @fontawesome - https://fontawesome.com"
    " License - https://fontawesome.com/license/free (Icons: CC BY 4.0) -->"
)

# An element the theme's templates write for Font Awesome to replace: <i class="fa-solid fa-x"></i>
# (or a <span>), empty.
_ICON_ELEMENT = re.compile(r'<(i|span)\b([^>]*?\bclass="([^"]*\bfa[a-z-]*\b[^"]*)"[^>]*)>\s*</\1>')
_ATTRIBUTE = re.compile(r'([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*"([^"]*)")?')


def theme_static_dir() -> Path:
    """The pydata-sphinx-theme's static folder (found without importing the theme)."""
    from importlib.util import find_spec

    package = Path(find_spec("pydata_sphinx_theme").submodule_search_locations[0])
    return package / "theme" / "pydata_sphinx_theme" / "static"


class IconError(ValueError):
    """A page asks for an icon the theme's Font Awesome release does not have."""


class Icons:
    """The icons of the theme's Font Awesome release, read from its ``fontawesome.js``.

    That file defines each pack (``fab``, ``far``, ``fas``) as an object literal of
    ``name: [width, height, [aliases...], "unicode", "svg path"]``, passed to ``d("fas", p)``.
    """

    def __init__(self, script: str):
        self.script = script

    @cached_property
    def version(self) -> str:
        match = re.search(r"Font Awesome Free (\d+\.\d+\.\d+)", self.script)
        return match.group(1) if match else "6"

    @cached_property
    def packs(self) -> dict[str, dict[str, tuple[int, int, str, str]]]:
        entry = re.compile(r'[{,]("?)([a-z0-9-]+)\1:\[(\d+),(\d+),\[([^\]]*)\],"([0-9a-f]+)",("(?:[^"\\]|\\.)*")\]')
        packs: dict[str, dict[str, tuple[int, int, str, str]]] = {}
        for defined in re.finditer(r'd\("(fa[bsr])",p\)', self.script):
            start = self.script.rfind("var p={", 0, defined.start())
            icons: dict[str, tuple[int, int, str, str]] = {}
            for m in entry.finditer(self.script, start, defined.start()):
                icon = (int(m.group(3)), int(m.group(4)), m.group(6), m.group(7)[1:-1])
                icons[m.group(2)] = icon
                for alias in re.findall(r'"([a-z0-9-]+)"', m.group(5)):
                    icons.setdefault(alias, icon)
            packs[defined.group(1)] = icons
        if not packs.get("fas"):
            raise IconError("no icons found in the theme's fontawesome.js: its format has changed")
        return packs

    def svg(self, attributes: str, classes: str) -> str:
        """The inline SVG that Font Awesome would draw for an ``<i>`` with these attributes."""
        tokens = classes.split()
        pack = next((PACKS[t] for t in tokens if t in PACKS), "fas")
        names = [t[3:] for t in tokens if t.startswith("fa-") and t[3:] in self.packs[pack]]
        if not names:
            raise IconError(f'no Font Awesome icon for class="{classes}" (pack {pack}, Font Awesome {self.version})')
        name = names[0]
        width, height, _unicode, path = self.packs[pack][name]
        kept = [t for t in tokens if t not in PACKS and t != f"fa-{name}"]
        attrs = {k: v for k, v in _ATTRIBUTE.findall(attributes) if k not in ("class",)}
        title = attrs.pop("title", None)
        out = {"class": " ".join(["svg-inline--fa", f"fa-{name}", *kept])}
        if title:
            out.update({"role": "img", "aria-label": html.unescape(title)})
        else:
            out.update({"aria-hidden": "true", "focusable": "false", "role": "img"})
        out.update(
            {
                "data-prefix": pack,
                "data-icon": name,
                **attrs,
                "xmlns": "http://www.w3.org/2000/svg",
                "viewBox": f"0 0 {width} {height}",
            }
        )
        tag = " ".join(f'{k}="{html.escape(v)}"' if v is not None else k for k, v in out.items())
        title_element = f"<title>{title}</title>" if title else ""
        return f'<svg {tag}>{title_element}<path fill="currentColor" d="{path}"></path></svg>'

    def draw(self, page: str) -> str:
        """Every theme icon of a page as inline SVG (the first one says where the icons come from)."""
        drawn = _ICON_ELEMENT.sub(lambda m: self.svg(m.group(2), m.group(3)), page)
        if drawn != page and "Icons: Font Awesome Free" not in drawn:
            drawn = drawn.replace(
                '<svg class="svg-inline--fa', ATTRIBUTION.format(version=self.version) + '<svg class="svg-inline--fa', 1
            )
        return drawn


def undrawn_icons(page: str) -> list[str]:
    """Icon elements a page still leaves to Font Awesome's script (none, once drawn)."""
    return [
        m.group(0)
        for m in _ICON_ELEMENT.finditer(page)
        if any(t in PACKS or t.startswith("fa-") for t in m.group(3).split())
    ]


# ----------------------------------------------------------------------------- stylesheet

_FA_ICON_RULE = re.compile(r'(?<=})(?:\.fa-[a-z0-9-]+:{1,2}(?:before|after)\s*,?\s*)+\{content:"[^"]*"\}')
_ESCAPED_CODEPOINT = re.compile(r'"\\([0-9a-f]{4,5})"', re.I)
_FONT_FACE = re.compile(r"@font-face\{[^}]*\}")


def codepoints(css: str) -> set[int]:
    """The private-use code points (Font Awesome's glyphs) a stylesheet names, as characters
    or as escapes."""
    found = {ord(c) for c in css if 0xE000 <= ord(c) <= 0xF8FF}
    found |= {int(h, 16) for h in _ESCAPED_CODEPOINT.findall(css)}
    return {c for c in found if 0xE000 <= c <= 0xF8FF}


def subset_font(source: Path, target: Path, unicodes: set[int]) -> None:
    """Write a WOFF2 copy of ``source`` with only the glyphs of ``unicodes`` (fontTools)."""
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = []
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # keep the copyright and licence
    options.hinting = False
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(unicodes))
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(target), options)


#: Class-name prefixes Bootstrap builds at run time (``bs-${name}-auto``): always kept.
KEPT_PREFIXES = ("bs-tooltip-", "bs-popover-")
_FUNCTIONAL_PSEUDO = re.compile(r":(?:not|is|where|has|-webkit-any|-moz-any)\((?:[^()]|\([^()]*\))*\)")
_NAMES = re.compile(r"[.#](-?[A-Za-z_][A-Za-z0-9_-]*)")
_WORD = re.compile(r"[A-Za-z0-9_-]+")


def site_words(outdir: Path) -> set[str]:
    """Every word of every page and script of the built site: the class and id names a
    selector may need (a script that adds a class names it, e.g. ``classList.add("show")``)."""
    words: set[str] = set()
    for path in outdir.rglob("*"):
        if path.suffix in (".html", ".js") and path.is_file():
            words |= set(_WORD.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return words


def _blocks(css: str) -> list[tuple[str, str | None]]:
    """The top-level statements of a stylesheet: (prelude, block) or (statement, None)."""
    out, i, n = [], 0, len(css)
    while i < n:
        m = re.compile(r"[{};]").search(css, i)
        if m is None:
            break
        if m.group() != "{":
            out.append((css[i : m.start()].strip(), None))
            i = m.end()
            continue
        depth, k = 1, m.end()
        while depth:
            ch = css[k]
            if ch in "\"'":
                k = css.index(ch, k + 1)
                while css[k - 1] == "\\":
                    k = css.index(ch, k + 1)
            depth += {"{": 1, "}": -1}.get(ch, 0)
            k += 1
        out.append((css[i : m.start()].strip(), css[m.end() : k - 1]))
        i = k
    return out


def _selectors(prelude: str) -> list[str]:
    """A selector list split at its top-level commas (not those inside ``:is(...)``)."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(prelude):
        depth += {"(": 1, ")": -1, "[": 1, "]": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            parts.append(prelude[start:i])
            start = i + 1
    return [p.strip() for p in parts + [prelude[start:]] if p.strip()]


def _may_match(selector: str, words: set[str]) -> bool:
    """False only when the selector names a class or id that appears nowhere in the site.
    The insides of ``:not()``, ``:is()``, ``:has()`` and attribute selectors are not required."""
    bare = _FUNCTIONAL_PSEUDO.sub("", re.sub(r"\[[^\]]*\]", "", selector))
    return all(name in words or name.startswith(KEPT_PREFIXES) for name in _NAMES.findall(bare))


def purge(css: str, words: set[str]) -> str:
    """The rules of ``css`` that may match something in the site (at-rules kept, media and
    supports queries purged inside)."""
    out = []
    for prelude, block in _blocks(re.sub(r"/\*.*?\*/", "", css, flags=re.S)):
        if block is None:
            out.append(prelude + ";")
        elif prelude.startswith(("@media", "@supports", "@layer", "@container")):
            inner = purge(block, words)
            if inner:
                out.append(f"{prelude}{{{inner}}}")
        elif prelude.startswith("@"):
            out.append(f"{prelude}{{{block}}}")
        else:
            selectors = [s for s in _selectors(prelude) if _may_match(s, words)]
            if selectors:
                out.append(f"{','.join(selectors)}{{{block}}}")
    return "\n".join(out)


def lean_stylesheet(static: Path, outdir_static: Path, words: set[str]) -> str:
    """The theme's stylesheet, lean: Sphinx's ``basic.css`` first (it was ``@import``-ed), only
    the rules that may match something in the site, icon fonts cut to the glyphs it draws.

    Writes the cut fonts next to the theme's in ``outdir_static`` and returns the CSS text."""
    theme_css = (static / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    basic = (outdir_static / "basic.css").read_text(encoding="utf-8")
    css = purge(_FA_ICON_RULE.sub("", theme_css), words)
    glyphs = codepoints(css)
    fonts_dir = outdir_static / "vendor" / "fontawesome" / "webfonts"

    def face(match: re.Match) -> str:
        rule = match.group(0)
        pack = next((p for p, name in WEBFONTS.items() if name in rule), None)
        if pack is None:
            return rule
        source = static / "vendor" / "fontawesome" / "webfonts" / f"{WEBFONTS[pack]}.woff2"
        digest = hashlib.sha256(source.read_bytes() + repr(sorted(glyphs)).encode()).hexdigest()[:12]
        name = f"{WEBFONTS[pack]}.subset-{digest}.woff2"
        if not (fonts_dir / name).exists():
            for stale in fonts_dir.glob(f"{WEBFONTS[pack]}.subset-*.woff2"):
                stale.unlink()
            subset_font(source, fonts_dir / name, glyphs)
        src = f'src:url(../vendor/fontawesome/webfonts/{name}) format("woff2")'
        return re.sub(r"src:[^;}]*", src, rule).replace("font-display:block", "font-display:swap")

    css = _FONT_FACE.sub(face, css)
    return f"/* Sphinx basic.css */\n{basic}\n/* pydata-sphinx-theme, lean (omcd/site_theme.py) */\n{css}"


def write_stylesheet(outdir: Path) -> str:
    """Write ``_static/styles/omcd-theme.css``; returns its content digest (for the page links)."""
    static = theme_static_dir()
    css = lean_stylesheet(static, outdir / "_static", site_words(outdir))
    target = outdir / "_static" / "styles" / "omcd-theme.css"
    if not target.exists() or target.read_text(encoding="utf-8") != css:
        target.write_text(css, encoding="utf-8")
    return hashlib.sha256(css.encode()).hexdigest()[:20]


# ----------------------------------------------------------------------------- pages

_THEME_CSS_LINK = re.compile(r'<link href="([^"]*?)_static/styles/theme\.css\?digest=[0-9a-f]+" rel="stylesheet" />\s*')
_LEAN_CSS_LINK = re.compile(
    r'(<link href="[^"]*?_static/styles/)(?:pydata-sphinx-theme|omcd-theme)\.css\?digest=[0-9a-f]+(")'
)
_FONTAWESOME_SCRIPT = re.compile(
    r'\s*<!-- So that users can add custom icons -->|\s*<script defer src="[^"]*_static/scripts/fontawesome\.js\?digest=[0-9a-f]+"></script>'
)
_SEARCH_SCRIPTS = re.compile(
    r'\s*<script src="[^"]*(?:_static/searchtools\.js|_static/language_data\.js|searchindex\.js)"></script>'
)
_SEARCH_SCRIPT_TAG = re.compile(
    r'<script src="([^"]*(?:_static/searchtools\.js|_static/language_data\.js|searchindex\.js))"></script>'
)


def slim_page(page: str, icons: Icons, css_digest: str, is_search_page: bool) -> str:
    from omcd.site_math import bind_punctuation

    page = bind_punctuation(icons.draw(page))
    page = _FONTAWESOME_SCRIPT.sub("", page)
    page = _THEME_CSS_LINK.sub("", page)
    page = _LEAN_CSS_LINK.sub(rf"\g<1>omcd-theme.css?digest={css_digest}\g<2>", page)
    if is_search_page:  # in order, once the page is parsed (Search.init waits for that)
        page = _SEARCH_SCRIPT_TAG.sub(r'<script defer src="\1"></script>', page)
    else:
        page = _SEARCH_SCRIPTS.sub("", page)
    return page


def slim_site(outdir: Path) -> list[str]:
    """Rewrite every page of the built site (see the module's docstring); returns the pages
    changed. Raises ``IconError`` for an icon the theme does not have."""
    static = theme_static_dir()
    icons = Icons((static / "scripts" / "fontawesome.js").read_text(encoding="utf-8"))
    digest = write_stylesheet(outdir)
    changed = []
    for path in sorted(outdir.rglob("*.html")):
        relative = path.relative_to(outdir)
        if relative.parts[0] in ("_static", "_sources", "_images"):
            continue
        page = path.read_text(encoding="utf-8")
        try:
            slim = slim_page(page, icons, digest, is_search_page=relative.as_posix() == "search.html")
        except IconError as error:
            raise IconError(f"{relative}: {error}") from error
        if slim != page:
            path.write_text(slim, encoding="utf-8")
            changed.append(relative.as_posix())
    # Nothing loads these any more; do not publish 3 MB of them.
    for name in ("fontawesome.js", "fontawesome.js.map"):
        (outdir / "_static" / "scripts" / name).unlink(missing_ok=True)
    return changed
