"""Per-student assignments (omcd/assignments.py): written from one template per chapter, with
inputs drawn for each student, graded in a fresh kernel against the instructor's answers file.

The end-to-end test follows a class of three on chapter 2: it writes their notebooks, checks that
their inputs differ and that the answers file gives what the chapter's formulas give at each
student's inputs (worked out here from the formulas, not by the code under test), fills one
notebook correctly, one partly (and with an edited self-check), one with a cell that raises,
adds a file that does not open and a notebook uploaded under the wrong student's name, grades the
folder (one kernel per runnable submission) and reads the grades and feedback files.
"""

from __future__ import annotations

import csv
import json
import math
import subprocess
import sys

import nbformat
import pytest

from omcd import assignments as A

ROSTER = "student_id,name\ns001,Ada Lovelace\ns002,Ben Okafor\ns003,Chen Wei\n"


@pytest.fixture()
def roster(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER)
    return path


# --------------------------------------------------------------------- templates and draws


@pytest.mark.parametrize("chapter", sorted(A.ASSIGNMENTS))
def test_each_template_has_an_answer_and_a_self_check_per_question(chapter):
    spec = A.ASSIGNMENTS[chapter]
    nb = nbformat.read(spec.template_path, as_version=4)
    roles = [(c.metadata.get("omcd", {}).get("role"), c.metadata.get("omcd", {}).get("question")) for c in nb.cells]
    assert roles.count(("inputs", None)) == 1 and roles.count(("setup", None)) == 1
    for q in spec.questions:
        assert roles.count(("answer", q.id)) == 1 and roles.count(("check", q.id)) == 1, q.id
        answer = next(c for c in nb.cells if c.metadata.get("omcd") == {"role": "answer", "question": q.id})
        assert answer.source.startswith(f"{q.id} = ...")
    assert 3 <= len([q for q in spec.questions if q.scored]) <= 6
    assert not [c for c in nb.cells if c.cell_type == "code" and c.outputs], "commit templates without outputs"


@pytest.mark.parametrize("chapter", sorted(A.ASSIGNMENTS))
def test_inputs_are_seeded_by_the_student_id_inside_their_ranges_and_keep_questions_meaningful(chapter):
    spec = A.ASSIGNMENTS[chapter]
    base = A.base_inputs(spec)
    drawn = {sid: A.draw_inputs(spec, sid, base) for sid in (f"x{i}" for i in range(40))}
    assert A.draw_inputs(spec, "x7", base) == drawn["x7"]  # the same id, the same inputs
    for d in spec.draws:
        values = [x[d.calculator][d.param] for x in drawn.values()]
        assert all(d.low - 1e-9 <= v <= d.high + 1e-9 for v in values), d
        assert all(abs((v - d.low) / d.step - round((v - d.low) / d.step)) < 1e-6 for v in values), d
        if d.high > d.low:
            assert len(set(values)) > 5, f"{d.param} barely varies between students"
    for x in drawn.values():
        assert spec.meaningful(x) is None
        answers = A.expected_answers(spec, x)
        assert all(v is not None for v in answers.values())
    for q in spec.questions:
        if q.kind == "choice":
            seen = {A.expected_answers(spec, x)[q.id] for x in drawn.values()}
            assert len(seen) >= 2, f"{q.id}: every student gets the same answer {seen}"


def test_a_roster_with_problems_is_refused_with_the_line(tmp_path):
    path = tmp_path / "r.csv"
    for text, message in [
        ("id,name\na,b\n", "needs a 'student_id' column"),
        ("student_id\ns1\ns1\n", "line 3: student_id 's1' appears twice"),
        ("student_id\ns 1\n", "line 2: student_id 's 1' must be"),
        ("student_id\n", "no students"),
    ]:
        path.write_text(text)
        with pytest.raises(ValueError, match=message):
            A.read_roster(path)
    with pytest.raises(ValueError, match="there is no assignment for it"):
        A.assignment(9)


def test_self_checks_judge_the_form_never_the_value(capsys):
    check = A.SelfCheck("ch2")
    assert check("q1", 0.99) is True  # a wrong value of the right form passes the self-check
    assert "right form" in capsys.readouterr().out
    cases = [
        ("q1", ..., "no answer yet"),
        ("q1", 62, "62 looks like a percentage"),
        ("q1", "0.6", "give a number, not text"),
        ("q1", float("nan"), "finite"),
        ("q2", "crunch", "'crunch' is not one of the choices"),
        ("q4", 3.5, "whole number"),
        ("q6", "Too short.", "2 words: write at least 25"),
    ]
    for qid, value, message in cases:
        assert check(qid, value) is False
        assert message.lower() in capsys.readouterr().out.lower(), (qid, value)
    assert check("q2", "Both  Crunch") is True  # spacing and case do not matter


# --------------------------------------------------------------------- the class of three


def _by_hand(x: dict) -> dict:
    """Chapter 2's answers from the formulas on the chapter's pages, for checking the file."""
    race, war = x["release_race"], x["price_war"]
    threshold = 0.5 + race["crunch_cost_a_usd_bn"] / race["prize_usd_bn"]
    f, e, g = war["price_factor_per_year"], war["elasticity"], war["throughput_growth_per_year"]
    p0, q0, t0, h = (
        war["start_price_usd_per_million_tokens"],
        war["start_tokens_trillion_per_year"],
        war["tokens_per_second_per_gpu"],
        war["price_usd_per_gpu_hour"],
    )
    year = next(t for t in range(int(war["years"]) + 1) if p0 * f**t < h / (t0 * g**t * 3600) * 1e6)
    tokens = q0 * f ** (-e * year)
    margin = p0 * f**year * tokens / 1000 - tokens * 1e6 / (t0 * g**year * 3600) * h / 1000
    return {
        "q1": threshold,
        "q2": "both crunch" if race["first_mover_share"] > threshold else "both wait",
        "q3": f ** (1 - e),
        "q4": year,
        "q5": margin,
    }


def _fill(path, answers: dict[str, str], edit_check: str | None = None):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        role = cell.metadata.get("omcd", {})
        if role.get("role") == "answer" and role["question"] in answers:
            cell.source = f"{role['question']} = {answers[role['question']]}"
        if role.get("role") == "check" and role.get("question") == edit_check:
            cell.source = f'print("{edit_check}: right form")'
    nbformat.write(nb, path)


def _typed(value) -> str:
    """What a student types: four significant digits, or the phrase in quotes."""
    return repr(value) if isinstance(value, (str, int)) else f"{value:.4g}"


def test_a_class_of_three_is_written_and_graded(roster, tmp_path):
    out = tmp_path / "ch2"
    result = subprocess.run(
        [sys.executable, "-m", "omcd.assignments", "write", "2", "--roster", str(roster), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Instructor only" in result.stdout
    notebooks = sorted((out / "students").glob("*.ipynb"))
    assert [p.name for p in notebooks] == ["ch2-s001.ipynb", "ch2-s002.ipynb", "ch2-s003.ipynb"]
    record = json.loads((out / "instructor" / "answers.json").read_text())
    inputs = {sid: entry["inputs"] for sid, entry in record["students"].items()}
    assert len({json.dumps(x, sort_keys=True) for x in inputs.values()}) == 3, "inputs must differ"
    for sid, entry in record["students"].items():
        want = _by_hand(entry["inputs"])
        for qid, value in want.items():
            got = entry["answers"][qid]
            assert got == value if isinstance(value, (str, int)) else math.isclose(got, value, rel_tol=1e-9), (sid, qid)
        # Each notebook carries its own student's inputs, and nothing of the answers.
        text = (out / "students" / f"ch2-{sid}.ipynb").read_text()
        assert f"STUDENT_ID = '{sid}'" in text
        assert repr(entry["inputs"]["release_race"]["prize_usd_bn"]) in text
        assert f"{entry['answers']['q5']:.6g}" not in text
    assert (out / "instructor" / "answers.csv").read_text().count("\n") == 4
    readme = (out / "README.md").read_text()
    assert (
        "https://mybinder.org/v2/gh/" in readme
        and "/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com" in readme
    )

    submissions = tmp_path / "submitted"
    submissions.mkdir()
    for path in notebooks:
        (submissions / path.name).write_text(path.read_text())
    good, part, broken = (_by_hand(inputs[s]) for s in ("s001", "s002", "s003"))
    written = repr("Crunching was rational: " + "the first mover takes most of the prize, so " * 5)
    _fill(submissions / "ch2-s001.ipynb", {**{q: _typed(v) for q, v in good.items()}, "q6": written})
    wrong_choice = "both wait" if part["q2"] == "both crunch" else "both crunch"
    _fill(
        submissions / "ch2-s002.ipynb",
        {
            "q1": f"{part['q1'] * 100:.1f}",
            "q2": repr(wrong_choice),
            "q3": _typed(part["q3"]),
            "q5": _typed(part["q5"] * 1.5),
        },
        edit_check="q3",
    )
    _fill(
        submissions / "ch2-s003.ipynb",
        {
            **{q: _typed(v) for q, v in broken.items()},
            "q3": "price_war.evaluate(**INPUTS['price_war']).spending_growth_per_yer",
        },
    )
    (submissions / "ch2-s002-late.ipynb").write_text(notebooks[0].read_text())  # s001's, under s002's name
    (submissions / "draft.ipynb").write_text('{"cells": [ oops')

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "omcd.assignments",
            "grade",
            "ch2",
            str(submissions),
            "--answers",
            str(out / "instructor" / "answers.json"),
            "--out",
            str(tmp_path / "grades"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    rows = {r["file"]: r for r in csv.DictReader((tmp_path / "grades" / "grades.csv").open())}
    assert set(rows) == {"ch2-s001.ipynb", "ch2-s002.ipynb", "ch2-s003.ipynb", "ch2-s002-late.ipynb", "draft.ipynb"}

    s1 = rows["ch2-s001.ipynb"]
    assert (s1["student_id"], s1["score"], s1["max_score"], s1["status"], s1["problems"]) == (
        "s001",
        "5",
        "5",
        "ok",
        "",
    )

    s2 = rows["ch2-s002.ipynb"]
    assert (s2["score"], s2["status"]) == ("1", "edited cells")
    assert [s2[q] for q in ("q1", "q2", "q3", "q4", "q5")] == ["0", "0", "1", "0", "0"]
    assert "looks like a percentage" in s2["problems"] and "q4: no answer" in s2["problems"]
    assert "the self-check of q3 was edited or removed" in s2["problems"]
    assert "2 submissions for s002" in s2["problems"]
    assert sorted(p.name for p in (tmp_path / "grades" / "feedback").iterdir()) == [
        "draft.md",
        "s001.md",
        "s002--ch2-s002-late.md",
        "s002--ch2-s002.md",
        "s003.md",
    ]

    s3 = rows["ch2-s003.ipynb"]
    assert (s3["score"], s3["status"]) == ("4", "errors")
    assert s3["q3"] == "0" and "the answer cell of q3 raised AttributeError" in s3["problems"]
    assert "the self-check of q3 raised NameError" in s3["problems"]

    late = rows["ch2-s002-late.ipynb"]
    assert (late["student_id"], late["score"], late["status"]) == ("s002", "0", "wrong student id")
    assert "named for s002 but the notebook was written for s001" in late["problems"]

    draft = rows["draft.ipynb"]
    assert (draft["score"], draft["status"]) == ("0", "unreadable")
    assert "does not open as a notebook" in draft["problems"]

    feedback = (tmp_path / "grades" / "feedback" / "s002--ch2-s002.md").read_text()
    assert "Score: 1 / 5" in feedback
    assert f'You gave "{wrong_choice}"; the model gives "{part["q2"]}" at your inputs' in feedback
    assert (
        f"q5 (Token sellers' serving margin in that year): 0 points. You gave {float(_typed(part['q5'] * 1.5)):,.6g}"
        in feedback
    )
    assert "Hint: serving_margin_usd_bn" in feedback
    errors = (tmp_path / "grades" / "feedback" / "s003.md").read_text()
    assert "Errors when your notebook ran top to bottom: the answer cell of q3 raised AttributeError" in errors
    assert "Rational or panic" in (tmp_path / "grades" / "written-answers.md").read_text()
    assert "the first mover takes most of the prize" in (tmp_path / "grades" / "written-answers.md").read_text()


def test_every_chapter_notebook_runs_as_written_and_its_blank_answers_are_reported(tmp_path):
    """Each chapter's notebook, as a student receives it, runs top to bottom without an error;
    graded blank, every question is reported unanswered."""
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id\nsolo\n")
    for chapter, spec in A.ASSIGNMENTS.items():
        where = A.write_assignment(chapter, roster, tmp_path / chapter)
        table = A.grade(chapter, where["notebooks"], where["answers"], tmp_path / chapter / "grades")
        (row,) = csv.DictReader(table.open())
        assert (row["student_id"], row["score"], row["status"]) == ("solo", "0", "not answered"), row
        assert "raised" not in row["problems"], row["problems"]
        assert row["problems"].count("no answer") == len([q for q in spec.questions if q.scored])
