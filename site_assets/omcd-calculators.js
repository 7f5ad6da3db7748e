// Draws the course's calculators on the website and keeps their inputs shareable.
//
// Each calculator is a <figure class="omcd-chart"> written by omcd/display.py, holding the
// Vega-Lite spec and a description of its inputs (names, ranges, named scenarios). This module:
//   * loads the Vega bundle served by the site itself and draws the chart (no other host);
//   * offers the calculator's named scenarios in a <select>;
//   * reads the page address: ?gpu_cluster.utilisation=0.6&gpu_cluster.price_usd_per_gpu_hour=2
//     sets those inputs when the page opens (values outside their range are refused, with a
//     message), and every change of an input rewrites the address, so the address bar (or the
//     "Link to these settings" link) can be copied to share a scenario with a class.
//
// While a slider moves, the address is rewritten once it rests (ADDRESS_DELAY_MS): each
// history.replaceState() costs Chromium several milliseconds, too much to pay on every step
// of a drag. The link and the scenario menu follow every step at once.

const CUSTOM = "";
const ADDRESS_DELAY_MS = 250;

function readAddress(meta) {
  const values = {};
  const problems = [];
  const query = new URLSearchParams(window.location.search);
  for (const [key, raw] of query) {
    if (!key.startsWith(meta.name + ".")) continue;
    const name = key.slice(meta.name.length + 1);
    const param = meta.params.find((p) => p.name === name);
    const value = Number(raw);
    if (param === undefined) {
      problems.push(`“${name}” is not an input of this calculator`);
    } else if (raw.trim() === "" || !Number.isFinite(value)) {
      problems.push(`${param.label}: “${raw}” is not a number`);
    } else if (value < param.min || value > param.max) {
      problems.push(`${param.label}: ${value} is outside its range, ${param.min} to ${param.max}`);
    } else if (param.integer && !Number.isInteger(value)) {
      problems.push(`${param.label}: ${value} is not a whole number`);
    } else {
      values[name] = value;
    }
  }
  return { values, problems };
}

function addressFor(meta, values) {
  const query = new URLSearchParams(window.location.search);
  for (const key of [...query.keys()]) {
    if (key.startsWith(meta.name + ".")) query.delete(key);
  }
  for (const param of meta.params) {
    query.set(`${meta.name}.${param.name}`, String(Number(values[param.name].toPrecision(12))));
  }
  return `${window.location.pathname}?${query}${window.location.hash}`;
}

function matchingPreset(meta, values) {
  const same = (a, b) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  const preset = meta.presets.find((p) => meta.params.every((q) => same(p.values[q.name], values[q.name])));
  return preset === undefined ? CUSTOM : preset.id;
}

export async function mount(figure, bundleUrl) {
  const controls = figure.querySelector("script.omcd-controls");
  const meta = controls ? JSON.parse(controls.textContent)
                        : { name: figure.dataset.calculator, params: [], presets: [] };
  const spec = JSON.parse(figure.querySelector("script.omcd-spec").textContent);
  await (window.omcdVega ??= import(bundleUrl));
  const result = await window.vegaEmbed(figure.querySelector(".omcd-chart-view"), spec,
                                        { actions: false, renderer: "svg" });
  const view = result.view;
  (window.omcdViews ??= {})[figure.id] = view;

  const current = () => Object.fromEntries(meta.params.map((p) => [p.name, view.signal(p.name)]));
  const select = figure.querySelector("select.omcd-preset");
  const link = figure.querySelector("a.omcd-permalink");
  const notice = figure.querySelector(".omcd-notice");
  let applying = false;
  let addressTimer = null;

  const apply = async (values) => {
    applying = true;
    for (const [name, value] of Object.entries(values)) view.signal(name, value);
    await view.runAsync();
    applying = false;
  };
  const writeAddress = () => {
    clearTimeout(addressTimer);
    addressTimer = null;
    window.history.replaceState(null, "", addressFor(meta, current()));
  };
  // rewriteAddress: false (page load), "now" (a scenario chosen) or "later" (a slider moved).
  const refresh = (rewriteAddress) => {
    if (meta.params.length === 0) return;
    const values = current();
    if (select) select.value = matchingPreset(meta, values);
    if (link) link.href = addressFor(meta, values);
    if (rewriteAddress === "now") {
      writeAddress();
    } else if (rewriteAddress === "later") {
      clearTimeout(addressTimer);
      addressTimer = setTimeout(writeAddress, ADDRESS_DELAY_MS);
    }
  };

  const { values, problems } = readAddress(meta);
  if (Object.keys(values).length > 0) await apply(values);
  if (problems.length > 0 && notice) {
    notice.textContent = "Some settings in the page address were not used: " + problems.join("; ") + ".";
  }
  refresh(false);

  for (const param of meta.params) {
    view.addSignalListener(param.name, () => { if (!applying) refresh("later"); });
  }
  if (select) {
    select.addEventListener("change", async () => {
      const preset = meta.presets.find((p) => p.id === select.value);
      if (preset === undefined) return;
      await apply(preset.values);
      refresh("now");
    });
  }
  window.addEventListener("pagehide", () => { if (addressTimer !== null) writeAddress(); });
  figure.dataset.ready = "true";
  return view;
}
