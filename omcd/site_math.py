"""Maths rendered when the site is built: LaTeX to MathML, no script in the reader's browser.

Sphinx's math nodes (whatever syntax wrote them: ``{math}`` roles, ``$$`` or ``math`` blocks,
notebook Markdown) are written as MathML by ``latex2mathml`` (PyPI), which every current browser
draws natively (Chromium since version 109, Firefox, Safari). The page loads no maths script (no
MathJax, no ``eval``: a Content-Security-Policy can forbid it), prints as it shows, and screen
readers read the MathML itself. Each formula keeps its LaTeX source in a MathML
``<annotation encoding="application/x-tex">``, which browsers do not draw.

Browsers draw MathML with the reader's maths font when they find one (Cambria Math on Windows,
STIX Two Math on macOS); many Linux and Android systems have none. The site therefore serves
STIX Two Math (SIL Open Font License, shipped by the PyPI package ``ziamath``) cut with fontTools
to the characters its formulas use: ``_static/omcd-math.woff2``, a few kilobytes, fetched only
by pages with maths (``omcd.css`` declares it).

A formula that ``latex2mathml`` cannot convert, or that uses a command it does not know, is a
build warning naming the formula (so an error with ``-W``), never a garbled page.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from docutils import nodes

#: Where the cut font is written in the built site (``omcd.css`` points at it).
MATH_FONT = "_static/omcd-math.woff2"
#: TeX's named functions that latex2mathml writes as ``<mi>ln</mi>``: followed by an argument
#: they need a function application and, before anything but a parenthesis, TeX's thin space.
FUNCTIONS = (
    "arccos arcsin arctan arg cos cosh cot coth csc deg det dim exp gcd hom ker lg ln log sec sin sinh sup tan tanh"
).split()
_FUNCTION = re.compile(r"<mi>(" + "|".join(FUNCTIONS) + r")</mi>(?=<(/?)([a-z]+)[^>]*>([^<]*))")
_UNKNOWN_COMMAND = re.compile(r">(\\[A-Za-z]+)<")
_MATH = re.compile(r"<math\b[^>]*>.*?</math>", re.S)
_ANNOTATION = re.compile(r"<annotation\b[^>]*>.*?</annotation>", re.S)
_SINGLE_MI = re.compile(r"<mi>([^<]*)</mi>")


class MathError(ValueError):
    """A formula that cannot be written as MathML."""


def _function_application(match: re.Match) -> str:
    name, closing, tag, text = match.groups()
    if closing:  # the function ends the row: nothing to apply it to
        return match.group(0)
    space = "" if tag == "mo" and text in ("&#x00028;", "(") else '<mspace width="0.1667em"/>'
    return f"<mi>{name}</mi><mo>&#x2061;</mo>{space}"


def to_mathml(tex: str, display: bool = False) -> str:
    """One formula as a ``<math>`` element that keeps its LaTeX source as an annotation."""
    from latex2mathml.converter import convert

    source = tex.strip()
    try:
        mathml = convert(source, display="block" if display else "inline")
    except Exception as error:  # latex2mathml raises many kinds of errors for bad input
        raise MathError(f"cannot write this formula as MathML ({type(error).__name__}: {error}): {source!r}") from error
    unknown = _UNKNOWN_COMMAND.findall(mathml)
    if unknown:
        raise MathError(
            f"LaTeX command(s) {', '.join(sorted(set(unknown)))} not supported by latex2mathml in {source!r}"
        )
    mathml = _FUNCTION.sub(_function_application, mathml)
    # TeX sets / as an ordinary symbol (q/p), a browser as a spaced operator (q / p).
    mathml = mathml.replace("<mo>&#x0002F;</mo>", '<mo lspace="0em" rspace="0em">&#x0002F;</mo>')
    match = re.fullmatch(r"<math[^>]*>(.*)</math>", mathml, re.S)
    body = match.group(1)
    if not (body.startswith("<mrow>") and body.endswith("</mrow>") and body.count("<mrow>") >= 1):
        body = f"<mrow>{body}</mrow>"
    mode = "block" if display else "inline"
    annotation = f'<annotation encoding="application/x-tex">{html.escape(source, quote=False)}</annotation>'
    return f'<math display="{mode}"><semantics>{body}{annotation}</semantics></math>'


def _write(translator, node, tex: str, display: bool) -> str:
    try:
        return to_mathml(tex, display)
    except MathError as error:
        from sphinx.util import logging

        logging.getLogger(__name__).warning(str(error), location=node, type="omcd", subtype="math")
        return f"<code>{html.escape(tex)}</code>"


def visit_math(self, node: nodes.math) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate nohighlight"))
    self.body.append(_write(self, node, node.astext(), display=False) + "</span>")
    raise nodes.SkipNode


def visit_displaymath(self, node: nodes.math_block) -> None:
    from sphinx.locale import _
    from sphinx.util.math import get_node_equation_number

    self.body.append(self.starttag(node, "div", CLASS="math notranslate nohighlight"))
    if node["number"] and not node["nowrap"]:
        self.body.append(f'<span class="eqno">({get_node_equation_number(self, node)})')
        self.add_permalink_ref(node, _("Link to this equation"))
        self.body.append("</span>")
    # As Sphinx's MathJax writer does: equations apart by a blank line, lines by \\.
    parts = [node.astext()] if node["nowrap"] else [p for p in node.astext().split("\n\n") if p.strip()]
    for part in parts:
        if r"\\" in part and r"\begin" not in part:
            part = rf"\begin{{split}}{part}\end{{split}}"
        self.body.append(_write(self, node, part, display=True))
    self.body.append("</div>\n")
    raise nodes.SkipNode


_INLINE_WITH_PUNCTUATION = re.compile(
    r'(?<!<span class="omcd-nobreak">)([(\[]?)(<span class="math notranslate nohighlight">.*?</span>)([.,;:!?)\]]*)',
    re.S,
)


def bind_punctuation(page: str) -> str:
    """Keep an inline formula on one line with the punctuation that touches it: a browser may
    break a line on either side of a formula (an atomic inline), leaving ". Because" or a lone
    "(" at a line's edge. Idempotent."""

    def bind(match: re.Match) -> str:
        before, formula, after = match.groups()
        if not before and not after:
            return match.group(0)
        return f'<span class="omcd-nobreak">{before}{formula}{after}</span>'

    return _INLINE_WITH_PUNCTUATION.sub(bind, page)


# ----------------------------------------------------------------------------- the font


def _italic(char: str) -> str | None:
    """The Mathematical Italic letter a browser draws for a one-letter ``<mi>``."""
    c = ord(char)
    if char == "h":
        return "\u210e"
    if "a" <= char <= "z":
        return chr(0x1D44E + c - ord("a"))
    if "A" <= char <= "Z":
        return chr(0x1D434 + c - ord("A"))
    if 0x391 <= c <= 0x3A9:
        return chr(0x1D6E2 + c - 0x391)
    if 0x3B1 <= c <= 0x3C9:
        return chr(0x1D6FC + c - 0x3B1)
    variants = {
        "\u2202": 0x1D715,
        "\u03f5": 0x1D716,
        "\u03d1": 0x1D717,
        "\u03f0": 0x1D718,
        "\u03d5": 0x1D719,
        "\u03f1": 0x1D71A,
        "\u03d6": 0x1D71B,
    }
    return chr(variants[char]) if char in variants else None


def characters(page: str) -> set[str]:
    """The characters the formulas of a page draw (one-letter identifiers in italic too)."""
    found: set[str] = set()
    for block in _MATH.findall(page):
        block = _ANNOTATION.sub("", block)
        found |= set(html.unescape(re.sub(r"<[^>]+>", "", block)))
        for ident in _SINGLE_MI.findall(block):
            ident = html.unescape(ident)
            if len(ident) == 1 and (italic := _italic(ident)):
                found.add(italic)
    return found - {"\n", "\r", "\t"}


def font_source() -> Path:
    """STIX Two Math, as the PyPI package ziamath ships it (located without importing it)."""
    from importlib.util import find_spec

    return Path(find_spec("ziamath").submodule_search_locations[0]) / "fonts" / "STIXTwoMath-Regular.ttf"


def write_font(outdir: Path, stamp: Path) -> int:
    """Cut the maths font to the characters of every page's formulas; returns how many.

    ``stamp`` records the characters of the font last written (outside the published site)."""
    chars: set[str] = set()
    for path in outdir.rglob("*.html"):
        if path.relative_to(outdir).parts[0] not in ("_static", "_sources"):
            chars |= characters(path.read_text(encoding="utf-8"))
    chars |= set("0123456789()[]{}+-=,./|")  # keeps a font to draw when no page has maths
    target = outdir / MATH_FONT
    key = "".join(sorted(chars))
    if target.exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == key:
        return len(chars)
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["ssty", "flac", "dtls"]  # script-size, flat-accent, dotless forms
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # keep the copyright and licence
    options.hinting = False
    font = subset.load_font(str(font_source()), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars))
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(target), options)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(key, encoding="utf-8")
    return len(chars)
