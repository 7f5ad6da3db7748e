/* Chapter self-checks (omcd/quiz.py renders the questions; this script checks the answers).
 * A classic script, not a module, so it also runs when a page is opened from disk (file://).
 * Each <form class="omcd-quiz-question"> carries its check in data-check (JSON): for a number,
 * the answer, its tolerance and whether it is a percentage; for a choice, which is correct and
 * why each choice is right or not. Nothing is sent anywhere. */
(function () {
  "use strict";

  // "1,234.5" -> 1234.5; "1,58" -> 1.58; "60 %" -> 60 (with percent = true).
  function parseNumber(raw) {
    var text = String(raw).trim().replace(/\s+/g, "").replace(/^\u2212/, "-");
    var percent = /%$/.test(text);
    text = text.replace(/%$/, "");
    if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(text)) {
      text = text.replace(/,/g, "");
    } else if (/^-?\d+,\d+$/.test(text)) {
      text = text.replace(",", ".");
    }
    if (!/^-?(\d+\.?\d*|\.\d+)$/.test(text)) return null;
    return { value: Number(text), percent: percent };
  }

  function say(form, message, state) {
    var feedback = form.querySelector(".omcd-quiz-feedback");
    feedback.textContent = message;
    form.dataset.state = state;
  }

  function reveal(form, show) {
    var why = form.querySelector(".omcd-quiz-explanation");
    var button = form.querySelector(".omcd-quiz-reveal");
    why.hidden = !show;
    button.hidden = show;
    button.setAttribute("aria-expanded", show ? "true" : "false");
  }

  function checkNumber(form, check) {
    var input = form.querySelector("input");
    var parsed = parseNumber(input.value);
    if (parsed === null) {
      say(form, "Type a number, e.g. 42.5" + (check.percent ? " (for 42.5%)." : "."), "invalid");
      input.setAttribute("aria-invalid", "true");
      input.focus();
      return;
    }
    input.removeAttribute("aria-invalid");
    var value = parsed.value;
    var note = "";
    if (check.percent && !parsed.percent && Math.abs(value) <= 1 && Math.abs(check.answer) > 1) {
      value = value * 100;  // 0.6 read as 60%
      note = " (read as " + Math.round(value * 100) / 100 + "%)";
    }
    if (Math.abs(value - check.answer) <= check.tolerance + 1e-9) {
      say(form, "Right" + note + ".", "right");
      reveal(form, true);
    } else {
      say(form, "Not quite" + note + ". " + check.hint, "wrong");
      reveal(form, false);
    }
  }

  function checkChoice(form, check) {
    var picked = form.querySelector("input[type=radio]:checked");
    if (picked === null) {
      say(form, "Pick one of the answers first.", "invalid");
      var first = form.querySelector("input[type=radio]");
      if (first) first.focus();
      return;
    }
    var choice = check.choices[Number(picked.value)];
    if (choice.correct) {
      say(form, "Right. " + choice.why, "right");
      reveal(form, true);
    } else {
      say(form, "Not quite. " + choice.why, "wrong");
      reveal(form, false);
    }
  }

  function setUp(form) {
    var check = JSON.parse(form.dataset.check);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (form.dataset.kind === "number") checkNumber(form, check);
      else checkChoice(form, check);
    });
    form.querySelector(".omcd-quiz-reveal").addEventListener("click", function () {
      reveal(form, true);
      form.querySelector(".omcd-quiz-explanation").focus();
    });
    form.querySelector(".omcd-quiz-explanation").setAttribute("tabindex", "-1");
    form.dataset.ready = "true";
  }

  function start() {
    var forms = document.querySelectorAll("form.omcd-quiz-question");
    for (var i = 0; i < forms.length; i++) setUp(forms[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
