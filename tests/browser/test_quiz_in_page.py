"""The chapter self-checks in the browser, over HTTP and from disk (file://), with the keyboard
only: a wrong answer gets "Not quite" and a hint (or why that choice is wrong) and a button that
shows the reasoning; the right answer gets "Right" and the reasoning. Pages with a quiz are found
in the built site."""

from __future__ import annotations

import json

import pytest

from omcd.devtools import SITE_DIR, site_pages

pytestmark = pytest.mark.browser

QUIZ_PAGES = [p for p in site_pages() if 'class="omcd-quiz"' in (SITE_DIR / p).read_text(encoding="utf-8")]


def test_every_chapter_has_a_quiz():
    assert len(QUIZ_PAGES) >= 3, QUIZ_PAGES


@pytest.fixture(params=["http", "file"])
def quiz_page(request, browser, base_url):
    context = browser.new_context()
    root = base_url if request.param == "http" else SITE_DIR.as_uri() + "/"
    blocked = []
    context.route(
        "**/*",
        lambda r: r.continue_() if r.request.url.startswith(root) else (blocked.append(r.request.url), r.abort()),
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    def open_(path: str):
        page.goto(root + path, wait_until="load")
        page.wait_for_function(
            "() => [...document.querySelectorAll('form.omcd-quiz-question')].every(f => f.dataset.ready === 'true')",
            timeout=10_000,
        )
        return page

    yield open_
    assert not errors, errors
    assert not blocked, blocked
    context.close()


def _state(form):
    return form.evaluate("""f => ({
      feedback: f.querySelector('.omcd-quiz-feedback').textContent,
      state: f.dataset.state || '',
      reasoning: !f.querySelector('.omcd-quiz-explanation').hidden,
      reveal: !f.querySelector('.omcd-quiz-reveal').hidden})""")


def _answer_number(page, form, text: str):
    field = form.locator("input[type=text]")
    field.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    page.keyboard.press("Enter")  # submits the form: the Check button is the default
    return _state(form)


def _answer_choice(page, form, index: int):
    first = form.locator("input[type=radio]").first
    first.focus()
    page.keyboard.press("Space")  # selects the first choice
    for _ in range(index):
        page.keyboard.press("ArrowDown")
    assert form.locator("input[type=radio]").nth(index).is_checked()
    page.keyboard.press("Tab")  # to the Check button
    page.keyboard.press("Enter")
    return _state(form)


@pytest.mark.parametrize("path", QUIZ_PAGES)
def test_answers_wrong_then_right_get_feedback_that_explains(quiz_page, path):
    page = quiz_page(path)
    forms = page.locator("form.omcd-quiz-question")
    assert 2 <= forms.count() <= 4
    for i in range(forms.count()):
        form = forms.nth(i)
        check = json.loads(form.get_attribute("data-check"))
        if form.get_attribute("data-kind") == "number":
            answer = check["answer"]
            wrong = _answer_number(page, form, f"{answer * 2 + 10:g}")
            assert wrong["state"] == "wrong" and wrong["feedback"].startswith("Not quite")
            assert check["hint"] in wrong["feedback"] and wrong["reveal"] and not wrong["reasoning"]
            invalid = _answer_number(page, form, "about ten")
            assert invalid["state"] == "invalid" and "Type a number" in invalid["feedback"]
            typed = f"{answer:g}%" if check["percent"] else f"{answer:g}"
            right = _answer_number(page, form, typed)
            assert right["state"] == "right" and right["feedback"].startswith("Right"), (typed, right)
            assert right["reasoning"] and not right["reveal"]
            if check["percent"]:  # a share typed for a percentage is read as one
                share = _answer_number(page, form, f"{answer / 100:g}")
                assert share["state"] == "right" and "read as" in share["feedback"], share
        else:
            choices = check["choices"]
            wrong_index = next(k for k, c in enumerate(choices) if not c["correct"])
            wrong = _answer_choice(page, form, wrong_index)
            assert wrong["state"] == "wrong" and wrong["feedback"] == "Not quite. " + choices[wrong_index]["why"]
            assert wrong["reveal"] and not wrong["reasoning"]
            form.locator(".omcd-quiz-reveal").focus()
            page.keyboard.press("Enter")
            assert _state(form)["reasoning"], "the reasoning button does not show the reasoning"
            right_index = next(k for k, c in enumerate(choices) if c["correct"])
            right = _answer_choice(page, form, right_index)
            assert right["state"] == "right" and right["feedback"] == "Right. " + choices[right_index]["why"]
            assert right["reasoning"]


def test_answered_quiz_has_no_serious_accessibility_violation(quiz_page):
    from axe_playwright_python.sync_playwright import Axe

    page = quiz_page(QUIZ_PAGES[0])
    form = page.locator("form.omcd-quiz-question[data-kind=number]").first
    _answer_number(page, form, "123456")
    results = Axe().run(page, context={"include": [[".omcd-quiz"]]})
    serious = [v["id"] for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not serious, serious
