"""Printing: a calculator page prints as a clean handout, and the whole course prints to a PDF."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from omcd.charts.registry import get
from omcd.devtools import REPO_ROOT, print_pdf, toc_pages

pytestmark = pytest.mark.browser
CALCULATOR_PAGE = "chapters/03-cloud-economics/gpu-cluster-economics.html"


def test_a_calculator_page_prints_its_chart_and_values_without_navigation(browser, base_url, tmp_path):
    target = tmp_path / "page.pdf"
    pages = print_pdf(browser, base_url, [CALCULATOR_PAGE], target)
    text = " ".join(p.extract_text() for p in PdfReader(target).pages)
    assert pages >= 1
    assert get("gpu_cluster").results_title in " ".join(text.split())  # the results table (lines joined)
    assert "Break-even" in text  # the chart's own text (SVG)
    assert "Utilisation (share of hours sold)" in text and "70%" in text  # an input's label and value
    assert "$0.0815/kWh" in text  # a value in its unit
    assert "Link to these settings" not in text  # the toolbar is not printed
    assert "Skip to main content" not in text and "Chapters" not in text  # nor the navigation


def test_the_whole_course_prints_in_reading_order(browser, base_url, tmp_path):
    target = tmp_path / "course.pdf"
    order = toc_pages()
    count = print_pdf(browser, base_url, order, target)
    assert count >= len(order)
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Open Models, Cloud Demand" in first and "MathJax" not in first
    assert order[0] == "intro.html" and (REPO_ROOT / "_toc.yml").exists()
