"""Links that open a calculator in a given scenario, and QR codes for them (offline).

In class, each group gets a link that opens its calculator with its own inputs, and the same
link as a QR code on the projector, so students open it on a phone. Both are made here:

* :func:`calculator_link` builds ``<site>/<page>.html?<calculator>.<param>=<value>&...``, the
  address the site's calculators read when a page opens (``readAddress`` in
  ``site_assets/omcd-calculators.js``): every value is checked against the model's
  :class:`~omcd.params.Param` first, so a link never carries a value the page would refuse.
* :func:`site_url` is the public student site's address, set once in ``_config.yml``
  (``course: site_url:``); links are absolute into that site, or relative when ``base`` is
  given (e.g. ``""`` inside the instructor edition, or a classroom laptop's address).
* :func:`qr_svg` draws a QR code as an inline ``<svg>`` (the PyPI package ``segno``, offline,
  no image file, no request to another host); :func:`qr_terminal` prints one in a terminal.
"""

from __future__ import annotations

import html
import importlib
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "_config.yml"
#: A notebook cell that shows a calculator: ``site_chart(<chart>, "<calculator>")``.
_SITE_CHART = re.compile(r"""site_chart\(.*,\s*["'](\w+)["']\)""")


def site_url(config: Path = CONFIG) -> str:
    """The public student site's address (``course.site_url`` in ``_config.yml``), ending in ``/``."""
    import yaml

    settings = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    url = str((settings.get("course") or {}).get("site_url") or "").strip()
    if not url:
        raise ValueError(
            f"{config.name}: set course.site_url to the public site's address "
            "(e.g. https://<owner>.github.io/<repository>/)."
        )
    return url if url.endswith("/") else url + "/"


@cache
def calculator_pages(chapters: Path = ROOT / "chapters") -> dict[str, str]:
    """``{calculator: page}`` for every calculator a chapter notebook shows (page without suffix,
    e.g. ``chapters/02-competition/price-war``), found in the notebooks themselves."""
    import json

    pages: dict[str, str] = {}
    for notebook in sorted(chapters.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in notebook.parts:
            continue
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                for name in _SITE_CHART.findall("".join(cell["source"])):
                    pages.setdefault(name, notebook.relative_to(chapters.parent).with_suffix("").as_posix())
    return pages


def _params(calculator: str):
    try:
        module = importlib.import_module(f"omcd.models.{calculator}")
    except ModuleNotFoundError:
        raise ValueError(f"calculator = {calculator!r}: there is no model omcd.models.{calculator}.") from None
    return module.PARAMS


def _number(value: float) -> str:
    """The value as the site writes it (12 significant digits, no trailing zeros)."""
    text = f"{float(value):.12g}"
    return text


def calculator_link(
    calculator: str,
    values: Mapping[str, float] | None = None,
    *,
    scenario: str | None = None,
    base: str | None = None,
    page: str | None = None,
) -> str:
    """The address that opens ``calculator`` with the given inputs.

    ``scenario`` starts from a named scenario of ``data/<calculator>_scenarios.csv``; ``values``
    sets or overrides inputs. Every value is checked against the model's parameters (a
    ``ValueError`` names the parameter and its range). ``base`` is the site's address (default:
    :func:`site_url`; ``""`` gives a link relative to the site's root); ``page`` defaults to the
    chapter page that shows the calculator.
    """
    params = _params(calculator)
    chosen: dict[str, float] = {}
    if scenario is not None:
        from omcd.data import scenario_values

        chosen.update(scenario_values(calculator, scenario))
    chosen.update(values or {})
    if not chosen:
        raise ValueError("calculator_link needs a scenario or at least one value.")
    known = {p.name: p for p in params}
    unknown = sorted(set(chosen) - set(known))
    if unknown:
        raise ValueError(f"{', '.join(unknown)}: not an input of {calculator}; its inputs are {', '.join(known)}.")
    if page is None:
        page = calculator_pages().get(calculator)
        if page is None:
            raise ValueError(f"calculator = {calculator!r}: no chapter page shows it; pass page=.")
    query = "&".join(f"{calculator}.{p.name}={_number(p.check(chosen[p.name]))}" for p in params if p.name in chosen)
    root = site_url() if base is None else (base if base == "" or base.endswith("/") else base + "/")
    return f"{root}{quote(page.removesuffix('.html'))}.html?{query}"


def qr_code(url: str):
    """The QR code of ``url`` (a ``segno.QRCode``; error correction level M: it still reads with
    15% of it damaged). ``segno`` is imported here only: the students' environment has no need of it."""
    import segno

    if not url:
        raise ValueError("url is empty: a QR code needs a link to encode.")
    return segno.make(url, error="m", micro=False, boost_error=False)


def qr_svg(url: str, title: str, *, size_px: int = 160) -> str:
    """An inline ``<svg>`` QR code of ``url``, ``size_px`` wide, named ``title`` for screen readers.

    Dark modules are one SVG path (black on a white square, with the standard 4-module quiet
    zone), so it prints and projects crisply at any size.
    """
    code = qr_code(url)
    svg = code.svg_inline(
        scale=1, border=4, dark="#000", light="#fff", omitsize=True, title=title, svgclass="omcd-qr", lineclass=None
    )
    label = html.escape(title, quote=True)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" width="{size_px}" height="{size_px}" ', 1)


def qr_terminal(url: str) -> str:
    """The QR code of ``url`` drawn with block characters for a terminal (two rows a line)."""
    import io

    out = io.StringIO()
    qr_code(url).terminal(out=out, compact=True)
    return out.getvalue()
