"""Calculator links and their QR codes (omcd/qr.py).

A QR code is checked by decoding it with an independent decoder (the PyPI package ``zxing-cpp``,
a port of ZXing) from the picture we publish: the modules are read back out of the inline SVG's
path (or out of the terminal's block characters), drawn as pixels, and decoded. A code that
encodes anything but the link, or an SVG path that draws the wrong modules, fails.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
import zxingcpp
from qr_decode import decode as _decode
from qr_decode import picture as _picture
from qr_decode import svg_modules, terminal_code

from omcd.data import scenario_names, scenario_values
from omcd.models import price_war
from omcd.qr import calculator_link, calculator_pages, qr_svg, qr_terminal, site_url

LINK = calculator_link(
    "price_war", {"elasticity": 0.6, "years": 7}, scenario="llmflation_2022", base="https://example.edu/course/"
)


def test_the_inline_svg_decodes_back_to_the_link():
    svg = qr_svg(LINK, "Group 3: price war, inelastic demand")
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "<title>Group 3: price war, inelastic demand</title>" in svg
    assert "href" not in svg and "http" not in svg.split("<title>")[0]  # no image loaded from anywhere
    assert _decode(svg_modules(svg)) == LINK


def test_the_decoder_reads_what_the_picture_shows():
    """Guard for the test itself: one module flipped in the finder pattern, or the modules of
    another link, decode to something else (or nothing)."""
    modules = svg_modules(qr_svg(LINK, "x"))
    other = svg_modules(qr_svg(LINK.replace("0.6", "0.7"), "x"))
    assert _decode(other) != LINK
    broken = modules.copy()
    broken[: broken.shape[0] // 2, : broken.shape[1] // 2] = False  # a quarter of the code wiped
    assert not zxingcpp.read_barcodes(_picture(broken), formats=zxingcpp.BarcodeFormat.QRCode)


def test_the_terminal_code_decodes_back_to_the_link():
    text = qr_terminal(LINK)
    assert set(text) <= {"█", "▀", "▄", " ", "\n"}
    assert _decode(terminal_code(text)) == LINK


def test_a_link_carries_every_input_the_site_reads():
    parts = urlsplit(LINK)
    assert parts.scheme == "https" and parts.netloc == "example.edu"
    assert parts.path == "/course/chapters/02-competition/price-war.html"
    query = dict(parse_qsl(parts.query))
    expected = {**scenario_values("price_war", "llmflation_2022"), "elasticity": 0.6, "years": 7}
    assert [k.split(".", 1)[1] for k in query] == [p.name for p in price_war.PARAMS]  # the model's order
    assert all(k.startswith("price_war.") for k in query)
    assert {k.split(".", 1)[1]: float(v) for k, v in query.items()} == expected


def test_every_scenario_of_every_calculator_makes_a_link():
    for calculator, page in calculator_pages().items():
        try:
            names = scenario_names(calculator)
        except Exception:  # a chart without inputs (an evidence chart) has no scenarios
            continue
        for name in names:
            link = calculator_link(calculator, scenario=name, base="")
            assert link.startswith(page + ".html?" + calculator + "."), link


def test_links_refuse_values_the_page_would_refuse():
    with pytest.raises(ValueError, match=r"elasticity = 5 is outside its valid range: 0.1 to 3"):
        calculator_link("price_war", {"elasticity": 5}, scenario="llmflation_2022")
    with pytest.raises(ValueError, match="speed: not an input of price_war"):
        calculator_link("price_war", {"speed": 1})
    with pytest.raises(ValueError, match="no model omcd.models.nope"):
        calculator_link("nope", {"x": 1})


def test_links_default_to_the_public_site_set_once_in_config(tmp_path):
    assert calculator_link("gpu_cluster", {"utilisation": 0.5}).startswith(site_url())
    config = tmp_path / "_config.yml"
    config.write_text("course:\n  site_url: https://school.example/omcd\n")
    assert site_url(config) == "https://school.example/omcd/"
    config.write_text("title: x\n")
    with pytest.raises(ValueError, match="course.site_url"):
        site_url(config)
