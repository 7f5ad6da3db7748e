"""Measure the course site: build times, page weight, and calculator update latency.

Run from anywhere with the course's Python (the one that has jupyter-book and playwright)::

    python scripts/benchmark.py               # clean build, no-op rebuild, then the built site
    python scripts/benchmark.py --skip-build  # only the built site (Lighthouse, pages, latency)
    python scripts/benchmark.py --skip-build --pages 'chapters/03*' --lighthouse-runs 1

It prints a table and writes bench-results/benchmark.json. The targets are printed next to
the figures but never enforced: the script exits 0 unless something crashes (a failed build
counts as a crash, since there is then no site to measure).

What is measured:

* clean build: ``_build`` removed (including the notebook execution cache), then
  ``jupyter-book build . -W -n --keep-going``, with the jupyter-book next to this Python;
* no-op rebuild: the same command again, with nothing changed;
* every page in Lighthouse 12 (npm; ``./course bench`` installs it from scripts/lighthouse/ into
  ``.venv/lighthouse``) with Debian's Chromium, mobile defaults (simulated slow 4G, 4x slower
  CPU), the site served gzip-compressed with GitHub Pages' ``Cache-Control: max-age=600``:
  performance score, largest contentful paint (LCP), total blocking time (TBT), bytes
  transferred (compressed) and accessibility score, each the median of ``--lighthouse-runs``
  runs, beside its target (a page with a chart is held to the calculator page's targets);
* every page (all ``*.html`` of the site but genindex, search, ``_static`` and ``_sources``),
  loaded in a fresh Chromium context from a local server: number of requests, and the bytes of
  all local response bodies, raw and gzip-compressed (each body compressed on its own, as a
  server would); requests to other hosts are blocked and counted;
* every calculator chart: time from a slider's ``input`` event to the redrawn view, median and
  95th percentile over many moves of all its sliders, with the calculator scrolled to the top of
  the window (as a reader who moves its sliders sees it; the browser does not paint what lies out
  of view). Each move starts at the beginning of a frame, where Chromium delivers the input
  events of a dragged slider. Three times are taken:

  - *view updated*: ``await view.runAsync()`` has returned (Vega has recomputed the data and
    rewritten the chart's SVG);
  - *painted* (the figure held to the target): a task queued at that moment has run, so the
    browser has finished this frame: style, layout and paint of the new SVG included;
  - *next frame*: the following ``requestAnimationFrame`` callback, about when the painted frame
    reaches the screen. It counts whole frames (16.7 ms at 60 Hz): a move painted within its
    frame reads one frame, one that overruns it reads two, and a move that changes nothing
    reads 16.7 ms. So its p95 says only whether more than 5% of moves overran a frame; the
    report gives the share of moves shown within one frame instead.

  Then, untimed, the same moves again, counting the SVG elements each one adds to the chart
  (median and largest): a move should update the chart's elements, not replace them.

  These are *warm* figures: the chart has already drawn, and ten moves warm it up. The *cold*
  figure is the first move after the page loads: the page is loaded afresh ``--cold-loads``
  times per chart, and once the chart is drawn its first slider moves once (painted time; p95
  over the loads).

An earlier version of this script timed each move from just after a frame's callbacks to the
next frame: the *next frame* figure alone, which reads 16.7 ms for a move that changes nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import fnmatch
import gzip
import io
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from omcd.devtools import (
    CHROMIUM,
    CHROMIUM_ARGS,
    REPO_ROOT,
    SITE_DIR,
    START_ALL_CHARTS,
    QuietHandler,
    SiteServer,
    site_pages,
)
from omcd.sphinx_calculators import MARKERS as CHART_MARKERS

OUTPUT = REPO_ROOT / "bench-results" / "benchmark.json"
LARGEST = 8  # largest responses listed per page

TARGET_CLEAN_BUILD_S = 60.0  # on 2 cores
TARGET_NOOP_BUILD_S = 5.0
TARGET_P95_LATENCY_MS = 1000 / 60  # warm: one frame at 60 Hz
TARGET_COLD_P95_LATENCY_MS = 50.0  # the first move after the page loads
# Lighthouse (mobile defaults), per page; a calculator page is one with a chart.
TARGET_PERFORMANCE = 90
TARGET_ACCESSIBILITY = 100
TARGET_TEXT_PAGE_KB = 350  # transfer, gzip, KB = 1,000 bytes
TARGET_CALCULATOR_PAGE_KB = 700
TARGET_CALCULATOR_TBT_MS = 200

#: Lighthouse from the npm registry, installed by ./course bench from scripts/lighthouse/.
LIGHTHOUSE = Path(
    os.environ.get("OMCD_LIGHTHOUSE", REPO_ROOT / ".venv" / "lighthouse" / "node_modules" / ".bin" / "lighthouse")
)
#: Types GitHub Pages serves gzip-compressed (text, scripts, styles, SVG, JSON); fonts and images as they are.
COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")

# What every page script below starts with: two waits, and the value of each slider move.
_PAGE_HELPERS = """
const nextFrame = () => new Promise(resolve => requestAnimationFrame(resolve));
// A message posted now is delivered after the current task, which at a frame's start is the
// frame's rendering update (requestAnimationFrame callbacks, then style, layout and paint).
const afterThisFrame = () => new Promise(resolve => {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => resolve();
  channel.port2.postMessage(null);
});
// The i-th move of a slider: another value on its grid, spread over its range by the golden
// ratio, so that the whole range is exercised and every move is a real change.
const nextValue = (input, i) => {
  const min = Number(input.min), max = Number(input.max), step = Number(input.step) || 1;
  const positions = Math.max(1, Math.floor((max - min) / step + 1e-9));
  const k = Math.round(positions * ((i * 0.6180339887) % 1));
  const value = String(+(min + k * step).toFixed(10));
  return value !== input.value ? value : String(+(min + ((k + 1) % (positions + 1)) * step).toFixed(10));
};
"""

# Runs in the page. Every iteration moves one of the chart's sliders (in turn) to its next value;
# the first `warmup` iterations are not kept.
_LATENCY_JS = (
    "(() => {"
    + _PAGE_HELPERS
    + """
return async ([id, iterations, warmup]) => {
  const view = window.omcdViews[id];
  const figure = document.getElementById(id);
  const inputs = [...figure.querySelectorAll(".omcd-control input[type=range]")];
  if (inputs.length === 0) return {inputs: 0, samples: []};
  // The reader sees the chart while moving its sliders: the figure's top at the window's top, so
  // that the browser paints what each move changes (it skips painting what is out of view).
  figure.scrollIntoView({block: "start"});
  await nextFrame();
  await nextFrame();
  const originals = inputs.map(input => view.signal(input.name));
  const samples = [];
  for (let i = 0; i < warmup + iterations; i++) {
    const input = inputs[i % inputs.length];
    const value = nextValue(input, i);
    await nextFrame();  // start where Chromium delivers a dragged slider's input: at a frame
    input.value = value;
    const t0 = performance.now();
    input.dispatchEvent(new Event("input", {bubbles: true}));
    await view.runAsync();
    const updated = performance.now();
    await afterThisFrame();
    const painted = performance.now();
    await nextFrame();
    const next = performance.now();
    if (i >= warmup) {
      samples.push({input: input.name, view_ms: updated - t0, painted_ms: painted - t0, next_frame_ms: next - t0});
    }
  }
  await window.omcdCalculators[id].apply(Object.fromEntries(inputs.map((input, j) => [input.name, originals[j]])));
  return {inputs: inputs.length, samples};
};
})()
"""
)

# Not timed: the SVG elements that the same moves add to the chart. Vega keeps an element while
# its data row lives on; a transform that makes new rows at every move (a fold, or a calculation
# after an aggregate) makes new elements, which cost the browser more than updated ones.
_ELEMENTS_ADDED_JS = (
    "(() => {"
    + _PAGE_HELPERS
    + """
return async ([id, iterations]) => {
  const view = window.omcdViews[id];
  const figure = document.getElementById(id);
  const inputs = [...figure.querySelectorAll(".omcd-control input[type=range]")];
  const originals = inputs.map(input => view.signal(input.name));
  const svg = figure.querySelector(".omcd-view svg");
  let added = 0;
  const count = records => records.forEach(record => record.addedNodes.forEach(node => {
    if (node.nodeType === Node.ELEMENT_NODE) added += 1 + node.querySelectorAll("*").length;
  }));
  const observer = new MutationObserver(count);
  observer.observe(svg, {subtree: true, childList: true});
  const counts = [];
  for (let i = 0; i < iterations; i++) {
    const input = inputs[i % inputs.length];
    const before = added;
    input.value = nextValue(input, i);
    input.dispatchEvent(new Event("input", {bubbles: true}));
    await view.runAsync();
    count(observer.takeRecords());
    counts.push({input: input.name, added: added - before});
  }
  observer.disconnect();
  await window.omcdCalculators[id].apply(Object.fromEntries(inputs.map((input, j) => [input.name, originals[j]])));
  return {total: svg.querySelectorAll("*").length, counts};
};
})()
"""
)

# The same timing around an update that changes nothing: the floor of each measure.
_EMPTY_UPDATE_JS = (
    "(() => {"
    + _PAGE_HELPERS
    + """
return async (iterations) => {
  const samples = [];
  for (let i = 0; i < iterations; i++) {
    await nextFrame();
    const t0 = performance.now();
    await afterThisFrame();
    const painted = performance.now();
    await nextFrame();
    samples.push({painted_ms: painted - t0, next_frame_ms: performance.now() - t0});
  }
  return samples;
};
})()
"""
)

MEASURES = (("view_ms", "view updated"), ("painted_ms", "painted"), ("next_frame_ms", "next frame"))


# ----------------------------------------------------------------------------- helpers


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def kib(n: int) -> str:
    return f"{n / 1024:,.1f} KiB"


def verdict(ok: bool) -> str:
    return "meets target" if ok else "MISSES target"


def run_build(label: str) -> dict:
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    if not jupyter_book.exists():
        jupyter_book = shutil.which("jupyter-book") or "jupyter-book"
    command = [str(jupyter_book), "build", ".", "-W", "-n", "--keep-going"]
    print(f"  {label}: {' '.join(command)} ...", flush=True)
    start = time.perf_counter()
    process = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        tail = "\n".join((process.stdout + process.stderr).splitlines()[-40:])
        raise RuntimeError(f"{label} failed (exit {process.returncode}) after {seconds:.1f} s:\n{tail}")
    print(f"  {label}: {seconds:.1f} s", flush=True)
    return {"seconds": round(seconds, 2), "command": command[1:]}


def measure_builds() -> dict:
    print("Builds", flush=True)
    if (REPO_ROOT / "_build").exists():
        shutil.rmtree(REPO_ROOT / "_build")
    clean = run_build("clean build")
    noop = run_build("no-op rebuild")
    return {"clean": clean, "noop": noop, "cpus": os.cpu_count()}


# ----------------------------------------------------------------------------- serving


class GzipHandler(QuietHandler):
    """Serves the site as GitHub Pages does: text types gzip-compressed when the browser asks
    for it, and ``Cache-Control: max-age=600`` (Pages sets ten minutes and no other policy)."""

    _cache: dict[tuple[str, float], bytes] = {}

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        ctype = self.guess_type(path)
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and os.path.isfile(path) and ctype.startswith(COMPRESSED_TYPES)):
            return super().send_head()
        key = (path, os.path.getmtime(path))
        if key not in self._cache:
            self._cache[key] = gzip.compress(Path(path).read_bytes(), compresslevel=6)
        body = self._cache[key]
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def end_headers(self):
        if not any(h.lower().startswith(b"cache-control") for h in getattr(self, "_headers_buffer", [])):
            self.send_header("Cache-Control", "max-age=600")
        super().end_headers()


# ----------------------------------------------------------------------------- browser


def _new_page(browser, base_url: str):
    context = browser.new_context()
    page = context.new_page()
    external: list[str] = []

    def route(route):
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    return context, page, external


def _wait_for_charts(page, timeout_ms: int = 10_000) -> list[str]:
    ids = page.eval_on_selector_all("figure.omcd-calc, figure.omcd-chart", "figures => figures.map(f => f.id)")
    if ids:
        page.evaluate(START_ALL_CHARTS)
        page.wait_for_function(
            """ids => ids.every(id => document.getElementById(id).dataset.ready === "true")""",
            arg=ids,
            timeout=timeout_ms,
        )
    return ids


def measure_page(browser, base_url: str, page_path: str) -> dict:
    context, page, external = _new_page(browser, base_url)
    responses = []
    page.on("response", lambda response: responses.append(response) if response.url.startswith(base_url) else None)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        start = time.perf_counter()
        page.goto(base_url + page_path, wait_until="networkidle")
        load_seconds = time.perf_counter() - start
        charts = _wait_for_charts(page)
        raw = compressed = 0
        unreadable = []
        sizes = []
        for response in responses:
            try:
                body = response.body()
            except Exception:  # redirects and aborted responses have no body
                unreadable.append(response.url)
                continue
            packed = len(gzip.compress(body))
            raw += len(body)
            compressed += packed
            sizes.append({"url": response.url[len(base_url) :], "bytes_raw": len(body), "bytes_gzip": packed})
        return {
            "page": page_path,
            "requests": len(requests),
            "local_responses": len(responses),
            "external_requests_blocked": external,
            "bytes_raw": raw,
            "bytes_gzip": compressed,
            "responses_without_body": unreadable,
            "largest": sorted(sizes, key=lambda r: r["bytes_raw"], reverse=True)[:LARGEST],
            "load_seconds": round(load_seconds, 3),
            "charts": charts,
        }
    finally:
        context.close()


def _summary(times: list[float]) -> dict:
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(percentile(times, 95), 2),
        "max_ms": round(max(times), 2),
    }


def measure_latency(
    browser, base_url: str, page_path: str, iterations: int, warmup: int, frame_ms: float
) -> list[dict]:
    """Every calculator of a page; ``frame_ms`` is the frame interval (an empty update's next frame)."""
    context, page, _ = _new_page(browser, base_url)
    try:
        page.goto(base_url + page_path, wait_until="networkidle")
        results = []
        for chart_id in _wait_for_charts(page):
            outcome = page.evaluate(_LATENCY_JS, [chart_id, iterations, warmup])
            samples = outcome["samples"]
            entry = {"page": page_path, "chart": chart_id, "inputs": outcome["inputs"], "iterations": len(samples)}
            if samples:
                churn = page.evaluate(_ELEMENTS_ADDED_JS, [chart_id, iterations])
                added = [c["added"] for c in churn["counts"]]
                most = max(churn["counts"], key=lambda c: c["added"])
                entry["svg_elements"] = churn["total"]
                entry["elements_added_per_move"] = {
                    "median": statistics.median(added),
                    "max": most["added"],
                    "max_input": most["input"],
                }
                by_input: dict[str, list[float]] = {}
                for s in samples:
                    by_input.setdefault(s["input"], []).append(s["painted_ms"])
                slowest = max(by_input, key=lambda name: statistics.median(by_input[name]))
                for key, _label in MEASURES:
                    entry[key.removesuffix("_ms")] = _summary([s[key] for s in samples])
                # Shown within one frame: the next frame came no later than one frame interval
                # after the input, give or take 1 ms.
                within = sum(s["next_frame_ms"] <= frame_ms + 1.0 for s in samples)
                entry["within_one_frame_pct"] = round(100 * within / len(samples), 1)
                entry.update(
                    slowest_input=slowest,
                    slowest_input_median_painted_ms=round(statistics.median(by_input[slowest]), 2),
                    samples=[{k: (round(v, 3) if isinstance(v, float) else v) for k, v in s.items()} for s in samples],
                )
            results.append(entry)
        return results
    finally:
        context.close()


def measure_empty_update(browser, base_url: str, page_path: str, iterations: int) -> dict:
    """The floor of the measures: the same timing around an update that changes nothing."""
    context, page, _ = _new_page(browser, base_url)
    try:
        page.goto(base_url + page_path, wait_until="networkidle")
        _wait_for_charts(page)
        samples = page.evaluate(_EMPTY_UPDATE_JS, iterations)
        return {
            "page": page_path,
            **{key.removesuffix("_ms"): _summary([s[key] for s in samples]) for key in ("painted_ms", "next_frame_ms")},
        }
    finally:
        context.close()


def measure_cold_latency(browser, base_url: str, page_path: str, loads: int) -> list[dict]:
    """The first slider move after the page loads, for every chart of a page: the page is
    loaded ``loads`` times per chart, and each time that chart's first slider moves once."""
    results = []
    context, page, _ = _new_page(browser, base_url)
    try:
        page.goto(base_url + page_path, wait_until="networkidle")
        charts = _wait_for_charts(page)
    finally:
        context.close()
    for chart_id in charts:
        samples = []
        for _load in range(loads):
            context, page, _ = _new_page(browser, base_url)
            try:
                page.goto(base_url + page_path, wait_until="networkidle")
                _wait_for_charts(page)
                outcome = page.evaluate(_LATENCY_JS, [chart_id, 1, 0])
            finally:
                context.close()
            if not outcome["inputs"]:
                break  # a figure without sliders
            samples += [s["painted_ms"] for s in outcome["samples"]]
        if samples:
            results.append(
                {
                    "page": page_path,
                    "chart": chart_id,
                    "loads": len(samples),
                    "painted": _summary(samples),
                    "samples_ms": [round(v, 2) for v in samples],
                }
            )
    return results


def measure_site(
    site_dir: Path, pages: list[str], iterations: int, warmup: int, cold_loads: int
) -> tuple[list[dict], list[dict], list[dict], dict | None]:
    from playwright.sync_api import sync_playwright

    with SiteServer(site_dir) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            print(f"Pages ({len(pages)}, served from {site_dir})", flush=True)
            page_results = [measure_page(browser, server.url, page) for page in pages]
            print(f"Calculator latency ({iterations} iterations per chart, {warmup} warm-up)", flush=True)
            calculator_pages = [result["page"] for result in page_results if result["charts"]]
            empty = (
                measure_empty_update(browser, server.url, calculator_pages[0], iterations) if calculator_pages else None
            )
            frame_ms = empty["next_frame"]["median_ms"] if empty else 1000 / 60
            latency = []
            for page_path in calculator_pages:
                latency += measure_latency(browser, server.url, page_path, iterations, warmup, frame_ms)
            cold = []
            if cold_loads:
                print(f"First move after the page loads ({cold_loads} loads per chart)", flush=True)
                for page_path in calculator_pages:
                    cold += measure_cold_latency(browser, server.url, page_path, cold_loads)
        finally:
            browser.close()
    return page_results, latency, cold, empty


# ----------------------------------------------------------------------------- Lighthouse


def lighthouse_page(url: str, workdir: Path) -> dict:
    """One Lighthouse run (mobile defaults: simulated slow 4G and a 4x slower CPU) of ``url``."""
    report = workdir / "lighthouse.json"
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={report}",
        "--quiet",
        "--only-categories=performance,accessibility",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    process = subprocess.run(
        command, capture_output=True, text=True, timeout=300, env={**os.environ, "CHROME_PATH": CHROMIUM}
    )
    if process.returncode != 0 or not report.exists():
        raise RuntimeError(f"Lighthouse failed on {url} (exit {process.returncode}):\n{process.stderr[-2000:]}")
    result = json.loads(report.read_text())
    report.unlink()
    audits, categories = result["audits"], result["categories"]

    def score(name):
        value = categories[name]["score"]
        return None if value is None else round(100 * value)

    items = audits["network-requests"]["details"]["items"]
    return {
        "performance": score("performance"),
        "accessibility": score("accessibility"),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "fcp_ms": round(audits["first-contentful-paint"]["numericValue"]),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "transfer_bytes": round(audits["total-byte-weight"]["numericValue"]),
        "requests": len(items),
        "runtime_error": result.get("runtimeError", {}).get("message"),
    }


def has_chart(site_dir: Path, page: str) -> bool:
    """A page with a chart (calculator or figure) is held to the calculator page's targets."""
    text = (site_dir / page).read_text(encoding="utf-8")
    return any(marker in text for marker in CHART_MARKERS)


def measure_lighthouse(site_dir: Path, pages: list[str], runs: int) -> list[dict]:
    """Every page in Lighthouse, the site served gzip-compressed as GitHub Pages serves it;
    each figure is the median of ``runs`` runs (Lighthouse varies from run to run)."""
    if not LIGHTHOUSE.exists():
        raise RuntimeError(f"Lighthouse is not installed at {LIGHTHOUSE}: run ./course bench, which installs it.")
    import tempfile

    results = []
    print(f"Lighthouse ({len(pages)} pages x {runs} runs, mobile, served gzip-compressed)", flush=True)
    with SiteServer(site_dir, handler=GzipHandler) as server, tempfile.TemporaryDirectory() as workdir:
        for page in pages:
            outcomes = [lighthouse_page(server.url + page, Path(workdir)) for _ in range(runs)]
            median = {
                key: statistics.median(o[key] for o in outcomes)
                for key in (
                    "performance",
                    "accessibility",
                    "lcp_ms",
                    "fcp_ms",
                    "tbt_ms",
                    "cls",
                    "transfer_bytes",
                    "requests",
                )
                if all(o[key] is not None for o in outcomes)
            }
            errors = sorted({o["runtime_error"] for o in outcomes if o["runtime_error"]})
            print(
                f"  {page}: performance {median.get('performance')}, LCP {median['lcp_ms'] / 1000:.1f} s,"
                f" TBT {median['tbt_ms']:.0f} ms, {median['transfer_bytes'] / 1000:,.0f} KB",
                flush=True,
            )
            results.append(
                {
                    "page": page,
                    "chart_page": has_chart(site_dir, page),
                    "runs": runs,
                    **median,
                    "performance_runs": [o["performance"] for o in outcomes],
                    "runtime_errors": errors,
                }
            )
    return results


# ----------------------------------------------------------------------------- report


def _mark(ok: bool) -> str:
    return "ok" if ok else "MISS"


def print_lighthouse(results: list[dict]) -> None:
    if not results:
        return
    runs = results[0]["runs"]
    print(f"Lighthouse 12, mobile (slow 4G, 4x CPU slowdown), gzip; median of {runs} run(s) per page")
    print(
        f"  targets: performance >= {TARGET_PERFORMANCE}; accessibility {TARGET_ACCESSIBILITY};"
        f" transfer <= {TARGET_TEXT_PAGE_KB} KB (text page), <= {TARGET_CALCULATOR_PAGE_KB} KB (page with a chart);"
        f" TBT <= {TARGET_CALCULATOR_TBT_MS} ms (page with a chart)"
    )
    width = max(len("page"), *(len(r["page"]) for r in results))
    print(f"  {'page':<{width}}  {'perf':>4}      {'LCP':>6}  {'TBT':>7}      {'transfer':>9}  {'target':>8}      a11y")
    for r in results:
        chart = r["chart_page"]
        kb = r["transfer_bytes"] / 1000
        limit = TARGET_CALCULATOR_PAGE_KB if chart else TARGET_TEXT_PAGE_KB
        perf, a11y = r.get("performance"), r.get("accessibility")
        tbt_mark = _mark(r["tbt_ms"] <= TARGET_CALCULATOR_TBT_MS) if chart else "  "
        print(
            f"  {r['page']:<{width}}  {perf if perf is not None else '?':>4} {_mark(perf is not None and perf >= TARGET_PERFORMANCE):<4}"
            f"  {r['lcp_ms'] / 1000:>5.1f}s  {r['tbt_ms']:>4.0f} ms {tbt_mark:<4}  {kb:>6,.0f} KB  <= {limit:>3} KB {_mark(kb <= limit):<4}"
            f"  {a11y if a11y is not None else '?':>3} {_mark(a11y == TARGET_ACCESSIBILITY)}"
        )
        for error in r["runtime_errors"]:
            print(f"    ! Lighthouse: {error}")
    print()


def print_report(
    builds: dict | None,
    pages: list[dict],
    latency: list[dict],
    cold: list[dict],
    empty: dict | None,
    lighthouse: list[dict],
) -> None:
    print()
    print_lighthouse(lighthouse)
    if builds:
        clean, noop = builds["clean"]["seconds"], builds["noop"]["seconds"]
        print(f"Build (this machine: {builds['cpus']} CPU(s))")
        print(
            f"  {'clean build, with execution':<30}{clean:>8.1f} s   target < {TARGET_CLEAN_BUILD_S:g} s on 2 cores"
            f"   {verdict(clean < TARGET_CLEAN_BUILD_S)}"
        )
        print(
            f"  {'no-op rebuild':<30}{noop:>8.1f} s   target < {TARGET_NOOP_BUILD_S:g} s"
            f"   {verdict(noop < TARGET_NOOP_BUILD_S)}"
        )
        print()

    width = max([len("page")] + [len(p["page"]) for p in pages])
    print("Pages (fresh browser context, all local responses)")
    print(f"  {'page':<{width}}  {'requests':>8}  {'raw':>13}  {'gzip':>13}  {'load':>7}  blocked")
    for p in pages:
        print(
            f"  {p['page']:<{width}}  {p['requests']:>8}  {kib(p['bytes_raw']):>13}  {kib(p['bytes_gzip']):>13}"
            f"  {p['load_seconds']:>6.2f}s  {len(p['external_requests_blocked'])}"
        )
    for p in pages:
        for url in p["external_requests_blocked"]:
            print(f"  ! {p['page']}: blocked request to another host: {url}")
    largest: dict[str, dict] = {}
    for p in pages:
        for r in p["largest"]:
            largest.setdefault(r["url"].split("?")[0], r)
    print("  Largest files loaded (raw / gzip):")
    for url, r in sorted(largest.items(), key=lambda item: item[1]["bytes_raw"], reverse=True)[:LARGEST]:
        print(f"    {kib(r['bytes_raw']):>13}  {kib(r['bytes_gzip']):>13}  {url}")
    print()

    print("Calculator update latency: a slider's input event at the start of a frame, until")
    print("  view updated  Vega has recomputed the data and rewritten the SVG (view.runAsync())")
    print("  painted       the browser has finished that frame (style, layout, paint): held to the target")
    print("  next frame    the next animation frame: whole frames only, an upper bound")
    if not latency:
        print("  no charts found")
    for entry in latency:
        if "painted" not in entry:
            print(f"  {entry['page']} #{entry['chart']}: no range inputs")
            continue
        print(f"  {entry['page']} #{entry['chart']}: {entry['iterations']} updates over {entry['inputs']} inputs")
        for key, label in MEASURES:
            m = entry[key.removesuffix("_ms")]
            extra = ""
            if key == "painted_ms":
                extra = (
                    f"   target p95 <= {TARGET_P95_LATENCY_MS:.1f} ms   {verdict(m['p95_ms'] <= TARGET_P95_LATENCY_MS)}"
                )
            elif key == "next_frame_ms":
                extra = f"   shown within one frame: {entry['within_one_frame_pct']:.0f}% of moves"
            print(
                f"    {label:<12} median {m['median_ms']:5.1f} ms   p95 {m['p95_ms']:5.1f} ms"
                f"   max {m['max_ms']:5.1f} ms{extra}"
            )
        print(
            f"    slowest input: {entry['slowest_input']} (median painted {entry['slowest_input_median_painted_ms']:.1f} ms)"
        )
        churn = entry["elements_added_per_move"]
        print(
            f"    SVG elements added by a move: median {churn['median']:g}, max {churn['max']}"
            f" ({churn['max_input']}), of {entry['svg_elements']} in the chart"
        )
    if empty:
        print(
            f"  An update that changes nothing ({empty['page']}): painted median {empty['painted']['median_ms']:.1f} ms,"
            f" next frame median {empty['next_frame']['median_ms']:.1f} ms"
        )
    if cold:
        print("  The first move after the page loads (cold), input event to painted, over fresh page loads:")
    for entry in cold:
        m = entry["painted"]
        print(
            f"    {entry['page']} #{entry['chart']}: median {m['median_ms']:5.1f} ms   p95 {m['p95_ms']:5.1f} ms"
            f"   ({entry['loads']} loads)   target p95 <= {TARGET_COLD_P95_LATENCY_MS:g} ms"
            f"   {verdict(m['p95_ms'] <= TARGET_COLD_P95_LATENCY_MS)}"
        )
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--skip-build", action="store_true", help="do not build: only measure pages and latency on the existing site"
    )
    parser.add_argument("--iterations", type=int, default=100, help="slider updates timed per chart (default 100)")
    parser.add_argument("--warmup", type=int, default=10, help="untimed updates before those (default 10)")
    parser.add_argument(
        "--cold-loads",
        type=int,
        default=5,
        help="page loads per chart for the first move after loading (default 5; 0: skip)",
    )
    parser.add_argument(
        "--lighthouse-runs",
        type=int,
        default=3,
        help="Lighthouse runs per page, the median reported (default 3; 0: skip Lighthouse)",
    )
    parser.add_argument("--pages", default="*", help="only the pages matching this glob, e.g. 'chapters/03*'")
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"JSON results (default {OUTPUT})")
    args = parser.parse_args(argv)

    builds = None if args.skip_build else measure_builds()
    pages = [p for p in site_pages(SITE_DIR) if fnmatch.fnmatch(p, args.pages)]
    if not pages:
        raise RuntimeError(f"No pages in {SITE_DIR} match {args.pages!r}: build the site first (./course site).")
    lighthouse = measure_lighthouse(SITE_DIR, pages, args.lighthouse_runs) if args.lighthouse_runs else []
    page_results, latency, cold, empty = measure_site(SITE_DIR, pages, args.iterations, args.warmup, args.cold_loads)
    print_report(builds, page_results, latency, cold, empty, lighthouse)

    results = {
        "generated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": sys.version.split()[0]},
        "targets": {
            "clean_build_seconds_on_2_cores": TARGET_CLEAN_BUILD_S,
            "noop_build_seconds": TARGET_NOOP_BUILD_S,
            "update_latency_p95_ms_input_to_painted": TARGET_P95_LATENCY_MS,
            "first_move_latency_p95_ms_input_to_painted": TARGET_COLD_P95_LATENCY_MS,
            "lighthouse_performance": TARGET_PERFORMANCE,
            "lighthouse_accessibility": TARGET_ACCESSIBILITY,
            "transfer_kb_text_page": TARGET_TEXT_PAGE_KB,
            "transfer_kb_chart_page": TARGET_CALCULATOR_PAGE_KB,
            "tbt_ms_chart_page": TARGET_CALCULATOR_TBT_MS,
        },
        "build": builds,
        "lighthouse": lighthouse,
        "pages": page_results,
        "totals": {
            "requests": sum(p["requests"] for p in page_results),
            "bytes_raw": sum(p["bytes_raw"] for p in page_results),
            "bytes_gzip": sum(p["bytes_gzip"] for p in page_results),
        },
        "latency": latency,
        "first_move_latency": cold,
        "empty_update": empty,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Results written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
