"""The chapter self-checks (omcd/quiz.py, omcd/quiz_ext.py): answers computed from the models,
rendered once per chapter page, loaded only where a quiz is. The browser checks (answering right
and wrong) are in tests/browser/test_quiz.py."""

from __future__ import annotations

import html
import json
import re

import pytest

from omcd.devtools import REPO_ROOT, SITE_DIR, site_pages
from omcd.quiz import QUIZZES, quiz, quiz_html


def test_each_chapter_has_two_to_four_questions_each_with_one_right_answer():
    for name in QUIZZES:
        questions = quiz(name)
        assert 2 <= len(questions) <= 4, name
        for q in questions:
            assert q.explanation and q.prompt
            if q.kind == "choice":
                assert sum(c.correct for c in q.choices) == 1 and all(c.why for c in q.choices)
            else:
                assert q.answer is not None and q.tolerance > 0 and q.hint


def test_numeric_answers_follow_the_models():
    """Worked from the formulas on the chapters' pages, not from omcd.quiz."""
    ch2 = quiz("ch2")
    assert ch2[0].answer == pytest.approx(100 * (0.5 + 2 / 20), abs=0.05)
    assert ch2[2].answer == pytest.approx(0.1**-0.8 / 4, abs=0.005)
    ch3 = quiz("ch3")
    energy = 0.7 * 1.56 * 0.0815
    assert ch3[0].answer == pytest.approx(100 * (40_000 / 4 + 3_000) / (8760 * (2.5 - energy)), abs=0.05)
    assert ch3[2].answer == pytest.approx(2.5 * 1e6 / (450 * 3600), abs=0.005)
    assert quiz("ch1")[1].answer == pytest.approx((1000 * 0.5) / (0.3 * 1000 * 0.3), abs=0.05)


def test_a_changed_scenario_changes_the_answer(monkeypatch):
    """Answers are computed when the book is built, not typed: a scenario change moves them."""
    import omcd.quiz as module

    real = module.scenario_values
    monkeypatch.setattr(
        module,
        "scenario_values",
        lambda calc, name: {**real(calc, name), **({"tokens_per_second_per_gpu": 900} if calc == "token_cost" else {})},
    )
    assert quiz("ch3")[2].answer == pytest.approx(2.5 * 1e6 / (900 * 3600), abs=0.005)


def test_the_html_carries_every_check_and_labels_every_control():
    markup = quiz_html("ch2")
    forms = re.findall(r'<form class="omcd-quiz-question" id="([^"]+)" data-kind="(\w+)" data-check="([^"]+)"', markup)
    assert len(forms) == len(quiz("ch2"))
    for form_id, kind, data in forms:
        check = json.loads(html.unescape(data))
        if kind == "number":
            assert f'<label for="{form_id}-input">' in markup and f'id="{form_id}-input"' in markup
            assert {"answer", "tolerance", "percent", "hint"} <= set(check)
        else:
            assert f'<legend id="{form_id}-prompt">' in markup and sum(c["correct"] for c in check["choices"]) == 1
    with pytest.raises(ValueError, match="quiz 'ch9' does not exist"):
        quiz_html("ch9")


def test_every_chapter_index_ends_with_its_quiz():
    for name in QUIZZES:
        (index,) = REPO_ROOT.glob(f"chapters/0{name[2:]}-*/index.md")
        text = index.read_text(encoding="utf-8").rstrip()
        # The chapter page's own sections sit in an (unnumbered) container, closed after the quiz.
        text = text.removesuffix(":::").rstrip()
        assert text.endswith(f"```{{omcd-quiz}} {name}\n```"), index


def test_only_pages_with_a_quiz_load_its_script():
    if not (SITE_DIR / "index.html").is_file():
        pytest.skip("the site is not built: run ./course site")
    with_quiz = []
    for page in site_pages():
        text = (SITE_DIR / page).read_text(encoding="utf-8")
        loads = "omcd-quiz.js" in text and "omcd-quiz.css" in text
        has = 'class="omcd-quiz"' in text
        assert loads == has, f"{page}: quiz {'without' if has else 'not present but'} its script"
        assert '<script type="module" src="_static/omcd-quiz.js' not in text
        if has:
            with_quiz.append(page)
    assert sorted(with_quiz) == [
        f"chapters/{p.parent.name}/index.html" for p in sorted(REPO_ROOT.glob("chapters/*/index.md"))
    ]
