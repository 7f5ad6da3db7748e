// Draws the course's charts and calculators on the website and keeps their inputs shareable.
//
// A classic script (not an ES module), loaded with `defer` only by pages that hold a chart, so a
// page opened from disk (file://) works exactly as one served over HTTP. It loads the Vega
// runtime served by the site itself (never another host) and draws each view from the Vega spec
// compiled at build time (omcd/charts/_compile.py).
//
// A calculator (<figure class="omcd-calc">, written by omcd/display.py) has its own controls: one
// slider per input sets the Vega signal of the same name in every view of the calculator. After
// each change, Vega recomputes the `omcd_results` dataset, whose fields hold every text the
// reader reads (each input's value in its unit, each results row, the verdict), formatted by
// Vega from the same definitions as the Python model (omcd/formats.py); this script copies them
// into the page.
//
// The page address carries the inputs: ?gpu_cluster.utilisation=0.6&gpu_cluster.price_usd_per_gpu_hour=2
// sets them when the page opens, and every change rewrites the address (once a slider rests,
// ADDRESS_DELAY_MS: history.replaceState costs Chromium several milliseconds), so the address
// bar or "Link to these settings" shares a scenario with a class. `reading=hide` hides the
// verdicts (for a class that must find the answer first). A value outside its range, a key no
// calculator on the page takes, or a value between slider steps is reported in the
// calculator's notice, quoted and shortened; the notice lists a few problems and counts the rest.
//
// Exploring and taking away, for every calculator alike:
// * "Try this" steps (data/<calculator>_steps.csv, checked when the data loads): a step sets the
//   inputs (range-checked as a scenario is), says what to look at and highlights it: a layer of
//   the chart (its Vega marks, named after the Altair layer), a results row, an input or the
//   verdict. "Next" walks through them; "Reset" returns to the defaults.
// * "Pin this scenario" keeps the current inputs as the pinned_<input> signals of the main view:
//   the build compiled a faint copy of the chart's marks and of the results from those signals
//   (omcd/charts/_compile.py), so the ghost is drawn on the same scales, and the results table
//   gains the pinned value and the change of each row. The address carries the pin
//   (?gpu_cluster.pin.utilisation=0.5...), so a shared link shows the comparison too.
// * "Take it away": the chart as SVG or PNG (drawn by Vega in the page, with its title), the inputs
//   and results as CSV (each number and its text, from the results dataset), a Python snippet
//   that recreates the scenario in a notebook, and the course's citation with the link.
(function () {
  "use strict";
  if (window.omcdCalculators) return;
  const calculators = (window.omcdCalculators = {});
  window.omcdViews = window.omcdViews || {};

  const SCRIPT = document.currentScript;
  const BUNDLE = new URL("omcd/vega-runtime.js", SCRIPT ? SCRIPT.src : window.location.href).href;
  const CUSTOM = "";
  const ADDRESS_DELAY_MS = 250;
  const MAX_ECHO = 40; // characters of a bad key or value shown in a notice
  const MAX_PROBLEMS = 3; // problems listed in a notice; the rest are counted
  const READING_KEY = "reading";
  const PIN_KEY = "pin"; // ?<calculator>.pin.<input>=value: the pinned scenario
  const PIN_PREFIX = "pinned_"; // the signals of the pinned scenario (omcd/charts/_compile.py)
  const PINNED_ON = "omcd_pinned";
  const SVG_NS = "http://www.w3.org/2000/svg";
  const PNG_SCALE = 2; // pixels of the PNG per pixel of the chart

  // The Vega runtime -------------------------------------------------------------------------

  function loadScript(src, what) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = () => resolve();
      script.onerror = () => reject(new Error(`${what} did not load (${src})`));
      document.head.appendChild(script);
    });
  }

  let runtime = null;
  function loadRuntime() {
    if (window.vega && window.vega.View && window.vega.expressionInterpreter) return Promise.resolve();
    if (runtime === null) runtime = loadScript(BUNDLE, "the chart library");
    return runtime;
  }

  // Vega compiles each expression of a chart to a function with Function(), which the pages'
  // Content-Security-Policy refuses (no 'unsafe-eval'). The build compiles them instead, one file
  // per chart (scripts/vega-runtime/compile-expressions.mjs), and a view looks its expressions up
  // there by kind and code (expressionKey must agree with that script's). An expression not found
  // (a stale cached file) is evaluated by vega-interpreter: the same result, more slowly; it is
  // listed in window.omcdExpressionMisses, which the browser tests require to stay empty.
  const expressionFiles = new Map();
  function loadExpressions(name) {
    if (!expressionFiles.has(name)) {
      const src = new URL(`expressions/${encodeURIComponent(name)}.js`, BUNDLE).href;
      expressionFiles.set(name, loadScript(src, "the chart's expressions").catch(() => {}));
    }
    return expressionFiles.get(name);
  }

  const KEY_SEP = "\u0001";
  function expressionKey(kind, expr) {
    if (kind !== "encode") return kind + KEY_SEP + expr.code;
    const channels = Object.keys(expr.channels).map((name) => name + "\u0002" + expr.channels[name].code);
    return [kind, expr.marktype, ...channels].join(KEY_SEP);
  }

  let expressions = null;
  function compiledExpressions(vega) {
    if (expressions !== null) return expressions;
    const misses = (window.omcdExpressionMisses = window.omcdExpressionMisses || []);
    const lookUp = (kind) => (ctx, expr) => {
      const table = window.omcdVegaExpressions || {};
      const key = expressionKey(kind, expr);
      if (!Object.prototype.hasOwnProperty.call(table, key)) {
        misses.push(key);
        return vega.expressionInterpreter[kind](ctx, expr);
      }
      return ctx && ctx.functions ? table[key].bind(ctx.functions) : table[key];
    };
    expressions = Object.fromEntries(["operator", "parameter", "event", "handler", "encode"].map((k) => [k, lookUp(k)]));
    return expressions;
  }

  async function makeView(container, spec) {
    // Expressions run as the functions compiled at build time, never compiled with eval (CSP-safe);
    // their syntax trees (ast) are kept for the interpreter, should one be missing.
    const vega = window.vega;
    const view = new vega.View(vega.parse(spec, null, { ast: true }), {
      expr: compiledExpressions(vega), renderer: "svg", hover: true,
    });
    container.textContent = ""; // the chart drawn at build time gives way to the live one
    view.initialize(container);
    await view.runAsync();
    // A view that fills its container follows the container's width, not only the window's:
    // its width signal is recomputed from containerSize() on a resize event.
    if ((spec.signals || []).some((s) => String(s.init || "").includes("containerSize"))) {
      let last = container.clientWidth;
      new ResizeObserver(() => {
        const width = container.clientWidth;
        if (width > 0 && width !== last) {
          last = width;
          window.dispatchEvent(new Event("resize"));
        }
      }).observe(container);
    }
    return view;
  }

  // Text shown to the reader -------------------------------------------------------------------

  function quote(text) {
    const clean = String(text).replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, " ");
    return "“" + (clean.length > MAX_ECHO ? clean.slice(0, MAX_ECHO) + "…" : clean) + "”";
  }

  function listProblems(problems) {
    const shown = problems.slice(0, MAX_PROBLEMS).join("; ");
    const rest = problems.length - MAX_PROBLEMS;
    return shown + (rest > 0 ? `; and ${rest} more problem${rest > 1 ? "s" : ""}` : "") + ".";
  }

  function decimals(step) {
    const text = String(step);
    return text.includes("e-") ? Number(text.split("e-")[1]) : (text.split(".")[1] || "").length;
  }

  function snap(param, value) {
    const k = Math.round((value - param.min) / param.step);
    return Math.min(param.max, Math.max(param.min, Number((param.min + k * param.step).toFixed(decimals(param.step)))));
  }

  function same(a, b) {
    return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  }

  // The page address -----------------------------------------------------------------------------

  // Every key of the query, sorted to the calculator of the page that takes it.
  function readAddress(names) {
    const byCalculator = Object.fromEntries(names.map((n) => [n, []]));
    const unknown = [];
    let reading = null;
    for (const [key, raw] of new URLSearchParams(window.location.search)) {
      if (key === READING_KEY) {
        reading = raw;
        continue;
      }
      const owner = names.find((n) => key.startsWith(n + "."));
      if (owner === undefined) unknown.push(key);
      else byCalculator[owner].push([key.slice(owner.length + 1), raw]);
    }
    return { byCalculator, unknown, reading };
  }

  function checkValue(param, raw, problems) {
    const value = Number(raw);
    if (String(raw).trim() === "" || !Number.isFinite(value)) {
      problems.push(`${param.label}: ${quote(raw)} is not a number`);
    } else if (value < param.min || value > param.max) {
      problems.push(`${param.label}: ${quote(raw)} is outside its range, ${param.min} to ${param.max}`);
    } else if (param.integer && !Number.isInteger(value)) {
      problems.push(`${param.label}: ${quote(raw)} is not a whole number`);
    } else {
      const snapped = snap(param, value);
      if (!same(snapped, value)) {
        problems.push(`${param.label}: ${quote(raw)} was rounded to the slider's step, ${snapped}`);
      }
      return snapped;
    }
    return undefined;
  }

  function pageUrl(query) {
    // Built from the page's own address (a path starting with "//" must not become another host).
    const url = new URL(window.location.href);
    url.search = query.toString();
    return url.href;
  }

  // Taking away -----------------------------------------------------------------------------------

  function save(blob, filename) {
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = filename;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  function csvCell(value) {
    const text = value === null || value === undefined ? "" : String(value);
    return /[",\r\n]|^\s|\s$/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function csvNumber(value) {
    return typeof value === "number" && Number.isFinite(value) ? String(value) : "";
  }

  function pythonNumber(value, integer) {
    return integer ? String(Math.round(value)) : String(Number(value.toPrecision(12)));
  }

  // The chart's title and subtitle as lines of at most `width` pixels in the given fonts.
  function titleLines(title, subtitle, width) {
    const context = document.createElement("canvas").getContext("2d");
    const wrap = (text, font) => {
      context.font = font;
      const lines = [];
      let line = "";
      for (const word of String(text || "").split(/\s+/).filter(Boolean)) {
        const next = line ? line + " " + word : word;
        if (line && context.measureText(next).width > width) {
          lines.push(line);
          line = word;
        } else line = next;
      }
      if (line) lines.push(line);
      return lines.map((text) => ({ text, font }));
    };
    return [...wrap(title, "bold 14px sans-serif"), ...wrap(subtitle, "12px sans-serif")];
  }
  const LINE_HEIGHT = 18;
  const TITLE_PAD = 8;

  // The view as SVG text, its title and subtitle written above the chart.
  async function titledSvg(view, title, subtitle) {
    const doc = new DOMParser().parseFromString(await view.toSVG(), "image/svg+xml");
    const root = doc.documentElement;
    const width = Number(root.getAttribute("width"));
    const height = Number(root.getAttribute("height"));
    const lines = titleLines(title, subtitle, width - 2 * TITLE_PAD);
    const top = lines.length * LINE_HEIGHT + TITLE_PAD;
    const chart = doc.createElementNS(SVG_NS, "g");
    chart.setAttribute("transform", `translate(0,${top})`);
    while (root.firstChild) chart.appendChild(root.firstChild);
    const background = doc.createElementNS(SVG_NS, "rect");
    for (const [k, v] of [["width", width], ["height", height + top], ["fill", "#ffffff"]]) background.setAttribute(k, v);
    root.appendChild(background);
    lines.forEach((line, i) => {
      const text = doc.createElementNS(SVG_NS, "text");
      text.setAttribute("x", TITLE_PAD);
      text.setAttribute("y", (i + 1) * LINE_HEIGHT - 4);
      text.setAttribute("font-family", "sans-serif");
      text.setAttribute("font-size", line.font.startsWith("bold") ? "14" : "12");
      if (line.font.startsWith("bold")) text.setAttribute("font-weight", "bold");
      text.setAttribute("fill", line.font.startsWith("bold") ? "#000000" : "#4d4d4d");
      text.textContent = line.text;
      root.appendChild(text);
    });
    root.appendChild(chart);
    root.setAttribute("height", height + top);
    root.setAttribute("viewBox", `0 0 ${width} ${height + top}`);
    return new XMLSerializer().serializeToString(doc);
  }

  // The view as a PNG (Blob) at PNG_SCALE, its title and subtitle above the chart.
  async function titledPng(view, title, subtitle) {
    const chart = await view.toCanvas(PNG_SCALE);
    const width = chart.width / PNG_SCALE;
    const lines = titleLines(title, subtitle, width - 2 * TITLE_PAD);
    const top = lines.length * LINE_HEIGHT + TITLE_PAD;
    const canvas = document.createElement("canvas");
    canvas.width = chart.width;
    canvas.height = chart.height + top * PNG_SCALE;
    const context = canvas.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.scale(PNG_SCALE, PNG_SCALE);
    lines.forEach((line, i) => {
      context.font = line.font;
      context.fillStyle = line.font.startsWith("bold") ? "#000000" : "#4d4d4d";
      context.fillText(line.text, TITLE_PAD, (i + 1) * LINE_HEIGHT - 4);
    });
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.drawImage(chart, 0, top * PNG_SCALE);
    return new Promise((resolve, reject) => canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error("the PNG could not be made"))), "image/png"));
  }

  // A calculator ---------------------------------------------------------------------------------

  async function mountCalculator(figure, meta, address) {
    const containers = [...figure.querySelectorAll(".omcd-view")];
    const views = [];
    for (const [index, spec] of meta.views.entries()) {
      views.push(await makeView(containers[index], spec));
    }
    const main = views[0];
    const signalsOf = meta.views.map((spec) => new Set((spec.signals || []).map((s) => s.name)));
    const params = Object.fromEntries(meta.params.map((p) => [p.name, p]));
    const inputs = Object.fromEntries(meta.params.map((p) => [p.name, figure.querySelector(`input[name="${p.name}"]`)]));
    const outputs = Object.fromEntries(meta.params.map((p) => [p.name, figure.querySelector(`output[for="${inputs[p.name].id}"]`)]));
    const cells = [...figure.querySelectorAll("td[data-row]")];
    const verdict = figure.querySelector(".omcd-verdict-text");
    const select = figure.querySelector("select.omcd-preset");
    const link = figure.querySelector("a.omcd-permalink");
    const notice = figure.querySelector(".omcd-notice");
    const readingSwitch = figure.querySelector(".omcd-verdict-switch");
    const pinnedCells = [...figure.querySelectorAll("td[data-pinned-row]")];
    const changeCells = [...figure.querySelectorAll("td[data-change-row]")];
    const pinButton = figure.querySelector("button.omcd-pin");
    const stepButtons = [...figure.querySelectorAll("button.omcd-step")];
    const stepText = figure.querySelector(".omcd-step-text");
    const nextButton = figure.querySelector("button.omcd-step-next");
    const resetButton = figure.querySelector("button.omcd-step-reset");
    const menu = figure.querySelector("details.omcd-menu");
    const takeaway = figure.querySelector(".omcd-takeaway");
    const heading = figure.querySelector('.omcd-chart-block[data-view="0"]');
    const chartTitle = () => [heading.querySelector(".omcd-title"), heading.querySelector(".omcd-subtitle")]
      .map((e) => (e ? e.textContent : ""));
    let addressTimer = null;
    let pinned = null; // the pinned inputs, or null
    let highlighted = []; // what the current step highlights
    let stepIndex = -1;

    const current = () => Object.fromEntries(meta.params.map((p) => [p.name, main.signal(p.name)]));
    const setText = (element, text) => {
      if (element && element.textContent !== text) element.textContent = text;
    };
    const showResults = () => {
      const row = main.data(meta.results)[0];
      for (const p of meta.params) {
        const text = row["omcd_input_" + p.name];
        setText(outputs[p.name], text);
        if (inputs[p.name].getAttribute("aria-valuetext") !== text) inputs[p.name].setAttribute("aria-valuetext", text);
      }
      cells.forEach((cell, i) => setText(cell, row["omcd_row_" + i]));
      if (verdict) setText(verdict, row.omcd_verdict);
      if (pinned !== null) {
        const then = main.data(meta.pinned)[0] || {};
        const change = main.data(meta.compare)[0] || {};
        pinnedCells.forEach((cell, i) => setText(cell, then["omcd_row_" + i] || ""));
        changeCells.forEach((cell, i) => setText(cell, change["omcd_change_" + i] || ""));
      }
      if (highlighted.length > 0) highlight(highlighted);
    };
    // Mark what a step asks the reader to look at: a layer of the main chart (the Vega marks
    // named after it, redrawn by Vega, so marked again after each change), a results row, an
    // input, the verdict.
    const highlight = (targets) => {
      highlighted = targets;
      for (const element of figure.querySelectorAll(".omcd-highlight")) element.classList.remove("omcd-highlight");
      for (const target of targets) {
        const [kind, name] = target.split(":");
        if (kind === "chart") {
          const pattern = new RegExp(`^${name}(_[0-9]+)?_marks$`);
          for (const mark of containers[0].querySelectorAll("g.role-mark")) {
            if ([...mark.classList].some((c) => pattern.test(c))) mark.classList.add("omcd-highlight");
          }
        } else if (kind === "row") {
          meta.rowFields.forEach((field, i) => { if (field === name) cells[i].parentElement.classList.add("omcd-highlight"); });
        } else if (kind === "input" && inputs[name]) {
          inputs[name].parentElement.classList.add("omcd-highlight");
        } else if (target === "verdict" && verdict) {
          verdict.parentElement.classList.add("omcd-highlight");
        }
      }
    };
    // A view other than the main chart that lies out of the window (a tornado below the controls)
    // is redrawn once the frame that shows the main chart and the texts is painted, not within it:
    // that frame is painted sooner, and nothing the reader sees waits. In view, it is redrawn at
    // once.
    const inView = views.map(() => true);
    if ("IntersectionObserver" in window && views.length > 1) {
      const watcher = new IntersectionObserver((entries) => {
        for (const entry of entries) inView[containers.indexOf(entry.target)] = entry.isIntersecting;
      });
      containers.slice(1).forEach((container) => watcher.observe(container));
    }
    let behind = Promise.resolve(); // the redraw left for after the frame
    // When the browser is next idle (the frame painted), or after the next frame's paint.
    const whenIdle = () => new Promise((resolve) => (window.requestIdleCallback
      ? window.requestIdleCallback(() => resolve(), { timeout: 100 })
      : window.requestAnimationFrame(() => setTimeout(resolve, 0))));
    // Set inputs (already checked) in every view that uses them, then redraw and rewrite the texts.
    const apply = async (values) => {
      for (const [name, value] of Object.entries(values)) {
        if (String(inputs[name].value) !== String(value)) inputs[name].value = String(value);
        views.forEach((view, i) => { if (signalsOf[i].has(name)) view.signal(name, value); });
      }
      const later = views.filter((view, i) => i > 0 && !inView[i]);
      await Promise.all(views.filter((view) => !later.includes(view)).map((view) => view.runAsync()));
      showResults();
      if (later.length > 0) behind = whenIdle().then(() => Promise.all(later.map((view) => view.runAsync())));
    };
    // For a caller that reads every view (a test, through window.omcdCalculators): the action,
    // then the redraw it left for after the frame.
    const settled = (action) => async (...args) => {
      const result = await action(...args);
      await behind;
      return result;
    };

    const addressFor = (values) => {
      const query = new URLSearchParams(window.location.search);
      for (const key of [...query.keys()]) if (key.startsWith(meta.name + ".")) query.delete(key);
      for (const p of meta.params) query.set(`${meta.name}.${p.name}`, String(Number(values[p.name].toPrecision(12))));
      if (pinned !== null) {
        for (const p of meta.params) {
          query.set(`${meta.name}.${PIN_KEY}.${p.name}`, String(Number(pinned[p.name].toPrecision(12))));
        }
      }
      return query;
    };
    const writeAddress = () => {
      clearTimeout(addressTimer);
      addressTimer = null;
      try {
        window.history.replaceState(null, "", pageUrl(addressFor(current())));
      } catch (error) {
        // Some browsers refuse to rewrite a page opened from disk: the link still carries the settings.
      }
    };
    const matchingPreset = (values) => {
      const preset = meta.presets.find((p) => meta.params.every((q) => same(p.values[q.name], values[q.name])));
      return preset === undefined ? CUSTOM : preset.id;
    };
    // when: false (page load), "now" (a scenario chosen) or "later" (a slider moved).
    const refresh = (when) => {
      const values = current();
      if (select) select.value = matchingPreset(values);
      if (link) link.href = pageUrl(addressFor(values));
      if (when === "now") writeAddress();
      else if (when === "later") {
        clearTimeout(addressTimer);
        addressTimer = setTimeout(writeAddress, ADDRESS_DELAY_MS);
      }
    };

    // A full set of inputs (a scenario, a step), each checked as a link's value is; null, and
    // the reason in the notice, when one is missing or wrong.
    const checkedValues = (given, what) => {
      const bad = [];
      const values = {};
      for (const p of meta.params) {
        if (given[p.name] === undefined) bad.push(`${p.label}: missing`);
        else values[p.name] = checkValue(p, given[p.name], bad);
      }
      if (bad.length > 0) {
        notice.textContent = `${what} was not applied: ` + listProblems(bad);
        refresh(false);
        return null;
      }
      notice.textContent = "";
      return values;
    };

    // Pin a scenario (values) or unpin (null): the ghost and the pinned columns follow.
    const setPinned = async (values) => {
      pinned = values === null ? null : { ...values };
      if (pinned !== null) for (const p of meta.params) main.signal(PIN_PREFIX + p.name, pinned[p.name]);
      main.signal(PINNED_ON, pinned !== null);
      await main.runAsync();
      figure.classList.toggle("omcd-pinned", pinned !== null);
      if (pinButton) {
        pinButton.setAttribute("aria-pressed", String(pinned !== null));
        pinButton.textContent = pinned === null ? "Pin this scenario" : "Unpin";
      }
      showResults();
    };

    // Values from the address, then the page's own problems with it.
    const problems = [];
    const fromAddress = {};
    const pinFromAddress = {};
    for (const [name, raw] of address.entries) {
      const pin = name.startsWith(PIN_KEY + ".");
      const param = params[pin ? name.slice(PIN_KEY.length + 1) : name];
      if (param === undefined) problems.push(`${quote(name)} is not an input of this calculator`);
      else if (pin) {
        const value = checkValue({ ...param, label: `Pinned scenario, ${param.label}` }, raw, problems);
        if (value !== undefined) pinFromAddress[param.name] = value;
      } else {
        const value = checkValue(param, raw, problems);
        if (value !== undefined) fromAddress[name] = value;
      }
    }
    problems.push(...address.pageProblems);
    await apply(fromAddress);
    // A slider moved before the chart code ran (the move itself started it) keeps its place.
    const moved = {};
    for (const p of meta.params) {
      const value = Number(inputs[p.name].value);
      if (!(p.name in fromAddress) && !same(value, main.signal(p.name))) moved[p.name] = value;
    }
    if (Object.keys(moved).length > 0) await apply(moved);
    if (Object.keys(pinFromAddress).length > 0) await setPinned({ ...meta.defaults, ...pinFromAddress });
    if (problems.length > 0) notice.textContent = "Some settings in the page address were not used as given: " + listProblems(problems);
    refresh(false);

    for (const p of meta.params) {
      inputs[p.name].addEventListener("input", () => {
        apply({ [p.name]: Number(inputs[p.name].value) }).then(() => refresh("later"));
      });
    }
    if (select) {
      select.addEventListener("change", async () => {
        const preset = meta.presets.find((p) => p.id === select.value);
        if (preset === undefined) return;
        const values = checkedValues(preset.values, `The scenario ${quote(preset.label)}`);
        if (values === null) return;
        await apply(values);
        refresh("now");
      });
    }

    // "Try this" steps.
    const INTRO = stepText ? stepText.textContent : "";
    const goToStep = async (index) => {
      const step = meta.steps[index];
      const values = checkedValues(step.values, `The step ${quote(step.title)}`);
      if (values === null) return;
      await apply(values);
      stepIndex = index;
      stepButtons.forEach((button, i) => button.setAttribute("aria-pressed", String(i === index)));
      const title = document.createElement("strong");
      title.textContent = `Step ${step.number} of ${meta.steps.length}: ${step.title}. `;
      stepText.replaceChildren(title, step.text);
      nextButton.textContent = index === meta.steps.length - 1 ? "Start again" : "Next";
      highlight(step.highlight);
      refresh("now");
    };
    const resetSteps = async () => {
      notice.textContent = "";
      await apply(meta.defaults);
      stepIndex = -1;
      stepButtons.forEach((button) => button.setAttribute("aria-pressed", "false"));
      stepText.textContent = INTRO;
      nextButton.textContent = "Next";
      highlight([]);
      refresh("now");
    };
    stepButtons.forEach((button, i) => button.addEventListener("click", () => goToStep(i)));
    if (nextButton) nextButton.addEventListener("click", () => goToStep((stepIndex + 1) % meta.steps.length));
    if (resetButton) resetButton.addEventListener("click", resetSteps);

    // Pin this scenario.
    if (pinButton) {
      pinButton.addEventListener("click", async () => {
        await setPinned(pinned === null ? current() : null);
        refresh("now");
      });
    }

    // Take it away.
    const exports = {
      svg: async () => titledSvg(main, ...chartTitle()),
      png: async () => titledPng(main, ...chartTitle()),
      csv: () => {
        const row = main.data(meta.results)[0];
        const then = pinned === null ? null : main.data(meta.pinned)[0];
        const change = pinned === null ? null : main.data(meta.compare)[0];
        const lines = [["kind", "name", "label", "value", "text",
                        ...(then ? ["pinned_value", "pinned_text", "change"] : [])]];
        for (const p of meta.params) {
          lines.push(["input", p.name, p.label, csvNumber(row[p.name]), row["omcd_input_" + p.name],
                      ...(then ? [csvNumber(then[p.name]), then["omcd_input_" + p.name], ""] : [])]);
        }
        meta.rowFields.forEach((field, i) => lines.push(
          ["result", field, meta.rowLabels[i], csvNumber(row[field]), row["omcd_row_" + i],
           ...(then ? [csvNumber(then[field]), then["omcd_row_" + i], change["omcd_change_" + i]] : [])]));
        if (verdict) lines.push(["verdict", "", "Reading", "", row.omcd_verdict, ...(then ? ["", then.omcd_verdict, ""] : [])]);
        lines.push(["link", "", "Link to these settings", "", pageUrl(addressFor(current())), ...(then ? ["", "", ""] : [])]);
        return lines.map((cells) => cells.map(csvCell).join(",")).join("\r\n") + "\r\n";
      },
      python: () => {
        const values = current();
        const lines = meta.params.map((p) => `    ${JSON.stringify(p.name)}: ${pythonNumber(values[p.name], p.integer)},`);
        return `from ${meta.widget.module} import ${meta.widget.name}\n\n${meta.widget.name}({\n${lines.join("\n")}\n})\n`;
      },
      cite: () => `${meta.citation} Calculator: “${meta.title}”, with these settings: ${pageUrl(addressFor(current()))}`
        + ` (accessed ${new Date().toISOString().slice(0, 10)}).`,
    };
    const showText = (label, text) => {
      takeaway.querySelector(".omcd-takeaway-label").textContent = label;
      takeaway.querySelector(".omcd-takeaway-text").textContent = text;
      takeaway.querySelector(".omcd-copied").textContent = "";
      takeaway.hidden = false;
      takeaway.querySelector(".omcd-takeaway-text").focus();
    };
    if (menu) {
      for (const item of menu.querySelectorAll("button[data-takeaway]")) {
        item.addEventListener("click", async () => {
          const kind = item.dataset.takeaway;
          menu.open = false;
          try {
            if (kind === "svg") save(new Blob([await exports.svg()], { type: "image/svg+xml" }), `${meta.name}.svg`);
            else if (kind === "png") save(await exports.png(), `${meta.name}.png`);
            else if (kind === "csv") save(new Blob([exports.csv()], { type: "text/csv" }), `${meta.name}.csv`);
            else if (kind === "python") {
              showText("Python: run it in a notebook of the course (Binder or JupyterLab) for the same scenario.", exports.python());
            } else if (kind === "cite") showText("Cite this calculator:", exports.cite());
          } catch (error) {
            notice.textContent = `The ${kind.toUpperCase()} could not be made: ${error.message}.`;
          }
        });
      }
      menu.addEventListener("keydown", (event) => {
        if (event.key === "Escape" && menu.open) {
          menu.open = false;
          menu.querySelector("summary").focus();
        }
      });
      document.addEventListener("click", (event) => { if (menu.open && !menu.contains(event.target)) menu.open = false; });
    }
    if (takeaway) {
      const text = takeaway.querySelector(".omcd-takeaway-text");
      const said = takeaway.querySelector(".omcd-copied");
      takeaway.querySelector(".omcd-copy").addEventListener("click", async () => {
        try {
          await navigator.clipboard.writeText(text.textContent);
          said.textContent = "Copied.";
        } catch (error) {
          const range = document.createRange();
          range.selectNodeContents(text);
          window.getSelection().removeAllRanges();
          window.getSelection().addRange(range);
          said.textContent = "Selected: press Ctrl+C (or Cmd+C) to copy.";
        }
      });
      takeaway.querySelector(".omcd-takeaway-close").addEventListener("click", () => {
        takeaway.hidden = true;
        if (menu) menu.querySelector("summary").focus();
      });
    }
    if (readingSwitch) {
      const setReading = (shown, rewrite) => {
        readingSwitch.checked = shown;
        figure.classList.toggle("omcd-reading-hidden", !shown);
        if (rewrite) {
          const query = new URLSearchParams(window.location.search);
          if (shown) query.delete(READING_KEY);
          else query.set(READING_KEY, "hide");
          try { window.history.replaceState(null, "", pageUrl(query)); } catch (error) { /* see writeAddress */ }
          refresh(false);
        }
      };
      setReading(address.reading !== "hide", false);
      readingSwitch.addEventListener("change", () => setReading(readingSwitch.checked, true));
    }
    window.addEventListener("pagehide", () => { if (addressTimer !== null) writeAddress(); });

    window.omcdViews[figure.id] = main;
    calculators[figure.id] = {
      name: meta.name, views, apply: settled(apply), current, showResults,
      pin: setPinned, pinned: () => (pinned === null ? null : { ...pinned }),
      step: settled(goToStep), reset: settled(resetSteps), exports,
    };
    figure.dataset.ready = "true";
  }

  async function mountChart(figure, meta) {
    const containers = [...figure.querySelectorAll(".omcd-view")];
    const views = [];
    for (const [index, spec] of meta.views.entries()) views.push(await makeView(containers[index], spec));
    window.omcdViews[figure.id] = views[0];
    calculators[figure.id] = { name: meta.name, views };
    figure.dataset.ready = "true";
  }

  // Each figure starts when it comes near the window (LAZY_MARGIN), when the reader reaches for
  // one of its controls, or at once when the page address carries its settings; until then it
  // shows its chart at the defaults, drawn at build time. The runtime loads with the first.
  const LAZY_MARGIN = "600px 0px";

  function start() {
    const figures = [...document.querySelectorAll("figure.omcd-calc, figure.omcd-chart")];
    if (figures.length === 0) return;
    const metas = new Map(figures.map((f) => [f, JSON.parse(f.querySelector("script.omcd-spec").textContent)]));
    const calcs = figures.filter((f) => f.classList.contains("omcd-calc"));
    const names = [...new Set(calcs.map((f) => metas.get(f).name))];
    const address = readAddress(names);
    const pageProblems = address.unknown.length === 0 ? [] : [
      `no calculator on this page takes ${address.unknown.length === 1 ? "the setting" : "the settings"} `
      + address.unknown.slice(0, MAX_PROBLEMS).map(quote).join(", ")
      + (address.unknown.length > MAX_PROBLEMS ? ` (and ${address.unknown.length - MAX_PROBLEMS} more)` : ""),
    ];
    // A class that must find the answer first: verdicts hidden before any chart code runs.
    if (address.reading === "hide") calcs.forEach((f) => f.classList.add("omcd-reading-hidden"));

    const started = new Map();
    const mount = (figure) => {
      if (!started.has(figure)) {
        const meta = metas.get(figure);
        started.set(figure, Promise.all([loadRuntime(), loadExpressions(meta.name)]).then(() => figure.classList.contains("omcd-calc")
          ? mountCalculator(figure, meta, {
            entries: address.byCalculator[meta.name],
            reading: address.reading,
            pageProblems: figure === calcs[0] ? pageProblems : [],
          })
          : mountChart(figure, meta)).catch((error) => {
          const view = figure.querySelector(".omcd-view");
          if (view) view.insertAdjacentText("afterbegin", "This chart could not be made interactive: " + error.message + ". ");
          throw error;
        }));
      }
      return started.get(figure);
    };
    window.omcdMountAll = () => Promise.all(figures.map(mount));

    const observer = "IntersectionObserver" in window ? new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          mount(entry.target);
        }
      }
    }, { rootMargin: LAZY_MARGIN }) : null;
    for (const figure of figures) {
      const named = figure.classList.contains("omcd-calc") && address.byCalculator[metas.get(figure).name].length > 0;
      if (named || observer === null || (figure === calcs[0] && pageProblems.length > 0)) mount(figure);
      else {
        observer.observe(figure);
        for (const event of ["pointerdown", "focusin", "keydown"]) {
          figure.addEventListener(event, () => mount(figure), { once: true, passive: true });
        }
        // A button used before its calculator started (a step, Next, Reset, Pin, an export):
        // its click waits for the start, then runs as it would have.
        const early = (event) => {
          const button = event.target.closest("button");
          if (button === null || figure.dataset.ready === "true") return;
          event.preventDefault();
          event.stopImmediatePropagation();
          mount(figure).then(() => button.click(), () => {});
        };
        if (figure.classList.contains("omcd-calc")) figure.addEventListener("click", early, { capture: true });
      }
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
