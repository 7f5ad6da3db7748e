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

  // The Vega runtime -------------------------------------------------------------------------

  let runtime = null;
  function loadRuntime() {
    if (window.vega && window.vega.View && window.vega.expressionInterpreter) return Promise.resolve();
    if (runtime === null) {
      runtime = new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = BUNDLE;
        script.onload = () => resolve();
        script.onerror = () => reject(new Error(`the chart library did not load (${BUNDLE})`));
        document.head.appendChild(script);
      });
    }
    return runtime;
  }

  async function makeView(container, spec) {
    // Expressions are evaluated by Vega's interpreter, never compiled with eval (CSP-safe).
    const vega = window.vega;
    const view = new vega.View(vega.parse(spec, null, { ast: true }), {
      expr: vega.expressionInterpreter, renderer: "svg", hover: true,
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
    let addressTimer = null;

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
    };
    // Set inputs (already checked) in every view that uses them, then redraw and rewrite the texts.
    const apply = async (values) => {
      for (const [name, value] of Object.entries(values)) {
        if (String(inputs[name].value) !== String(value)) inputs[name].value = String(value);
        views.forEach((view, i) => { if (signalsOf[i].has(name)) view.signal(name, value); });
      }
      await Promise.all(views.map((view) => view.runAsync()));
      showResults();
    };

    const addressFor = (values) => {
      const query = new URLSearchParams(window.location.search);
      for (const key of [...query.keys()]) if (key.startsWith(meta.name + ".")) query.delete(key);
      for (const p of meta.params) query.set(`${meta.name}.${p.name}`, String(Number(values[p.name].toPrecision(12))));
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

    // Values from the address, then the page's own problems with it.
    const problems = [];
    const fromAddress = {};
    for (const [name, raw] of address.entries) {
      const param = params[name];
      if (param === undefined) problems.push(`${quote(name)} is not an input of this calculator`);
      else {
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
        const bad = [];
        const values = {};
        for (const p of meta.params) {
          const value = preset.values[p.name] === undefined ? undefined : checkValue(p, preset.values[p.name], bad);
          if (value === undefined && preset.values[p.name] === undefined) bad.push(`${p.label}: missing`);
          values[p.name] = value;
        }
        if (bad.length > 0) {
          notice.textContent = `The scenario ${quote(preset.label)} was not applied: ` + listProblems(bad);
          refresh(false);
          return;
        }
        notice.textContent = "";
        await apply(values);
        refresh("now");
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
    calculators[figure.id] = { name: meta.name, views, apply, current, showResults };
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
        started.set(figure, loadRuntime().then(() => figure.classList.contains("omcd-calc")
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
      }
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
