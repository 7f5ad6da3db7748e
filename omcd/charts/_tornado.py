"""The tornado chart of a calculator: one answer with each input moved 25% down or up.

Two calculators draw one (the GPU cluster's NPV, open minus closed weights' NPV difference);
each computes its own rows (:func:`ranked_rows` takes them from there) and keeps its own titles,
notes and formats. The encoding is shared, and so is what it was built to avoid:

* one row per input and case (``input_key``, ``case`` = ``low``/``base``/``high``), with the
  answer in ``value`` and the input's swing (highest minus lowest answer) in ``swing``;
* inputs ranked by their swing rounded to whole units (equal swings, from inputs that enter as
  a product, are then ordered by name, not by the browser's rounding noise), largest first;
* a bar from the current answer (``now``) to each case's answer, each bar's value at its outer
  end (on a white halo, over the dashed zero line), the current answer as a solid rule labelled
  above the chart, zero as a dashed rule labelled below it;
* no x axis: its ticks would be re-created in another order whenever a slider changes the
  domain's tick step; every bar end, zero and the current answer are labelled instead.

Every field the bars and their labels show is computed in :func:`ranked_rows`, and the directions
sort in their natural order: a calculation in a layer's own data (Vega-Lite adds one for a custom
sort) copies the rows, and since the tornado's aggregate hands on its sums as new rows, the
copies would be new SVG elements at every slider move.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt

#: The two cases, named so that they sort in this order (down before up).
LOWER, HIGHER = "Input down 25%", "Input up 25%"
if sorted([HIGHER, LOWER]) != [LOWER, HIGHER]:
    raise ValueError("the tornado's case names must sort down before up")
COLOURS = ["#7f7f7f", "#1f4e79"]
#: A text drawn in white with a white outline, under the same text: a halo that hides what passes
#: under the text (the dashed zero line) without hiding the text.
HALO = {"color": "#ffffff", "stroke": "#ffffff", "strokeWidth": 3, "strokeJoin": "round"}
#: Field names of the ranked rows (besides the tornado's own ``value`` and ``swing`` fields).
LABEL, DIRECTION, RANK = "input_label", "direction", "input_rank"


def ranked_rows(tornado: alt.Chart, *, value: str, base: str, swing: str, labels: Mapping[str, str]) -> alt.Chart:
    """The tornado's rows for the bars: each input's low and high case, with the current answer
    joined as ``base``, the input's short label (``labels``: input name to label), the direction
    and the input's rank by ``swing``."""
    label_expr = " : ".join(f"datum.input_key == '{k}' ? '{v}'" for k, v in labels.items()) + " : ''"
    return (
        tornado.transform_calculate(base_value=f"datum.case == 'base' ? datum.{value} : null")
        .transform_joinaggregate(**{base: "max(base_value)"}, groupby=["input_key"])
        .transform_filter("datum.case != 'base'")
        .transform_calculate(
            input_label=label_expr,
            direction=f"datum.case == 'low' ? '{LOWER}' : '{HIGHER}'",
            swing_rounded=f"round(datum.{swing})",
        )
        .transform_window(
            input_rank="dense_rank()",
            sort=[alt.SortField("swing_rounded", order="descending"), alt.SortField("input_key")],
        )
    )


def _mark_properties(chart: alt.Chart) -> dict:
    """The properties of a text layer's mark (its type aside)."""
    mark = chart.mark.to_dict() if hasattr(chart.mark, "to_dict") else {"type": chart.mark}
    if mark.pop("type") != "text":
        raise ValueError("a tornado's notes must be text layers")
    return mark


def inputs_y() -> alt.Y:
    """The inputs, one band each, largest swing at the top (no axis for screen readers: each
    bar's ARIA label names its input)."""
    return alt.Y(
        f"{LABEL}:N",
        title="Input (moved 25% each way)",
        axis=alt.Axis(aria=False),
        sort=alt.EncodingSortField(field=RANK, op="min", order="ascending"),
    )


def value_x(value: str, title: str, padding: int) -> alt.X:
    """The answer, with no axis (see the module's docstring) and ``padding`` pixels each side for
    the value labels."""
    return alt.X(f"{value}:Q", title=title, axis=None, scale=alt.Scale(padding=padding))


def tornado(
    rows: alt.Chart,
    *,
    value: str,
    base: str,
    value_title: str,
    padding: int,
    height: int,
    title: str,
    subtitle: str | Sequence[str],
    tooltip: alt.Tooltip,
    description: str,
    label_format: str,
    now: alt.Chart,
    now_value: str,
    now_label: str,
    labelled: str | None = None,
    notes: Sequence[alt.Chart] = (),
    width: int = 440,
) -> alt.LayerChart:
    """The tornado chart, ``width`` by ``height`` pixels under its ``title`` and ``subtitle``.

    Bars of ``rows`` (from :func:`ranked_rows`) run from ``base`` to ``value``; each carries its
    value at its outer end (``label_format``, a d3 format), only on the rows where the expression
    ``labelled`` holds if it is given (``notes``, text layers of the caller, may say the rest; they
    get the labels' white halo).
    ``now`` is a one-row chart whose field ``now_value`` is the current answer: a solid rule,
    labelled above the chart by the expression ``now_label``; zero is a dashed rule labelled
    below it. ``value_title`` names the x scale (no axis is drawn); ``tooltip`` shows a bar's
    value and ``description`` (a Vega expression) is its ARIA label, which must say what the
    value label and the hidden axis show.
    """
    y_inputs = inputs_y()
    x = value_x(value, value_title, padding)
    offset = alt.YOffset(f"{DIRECTION}:N")
    bars = rows.mark_bar().encode(
        y=y_inputs,
        x=x,
        x2=f"{base}:Q",
        yOffset=offset,
        color=alt.Color(
            f"{DIRECTION}:N", title="Case", scale=alt.Scale(range=COLOURS), legend=alt.Legend(orient="bottom")
        ),
        tooltip=[alt.Tooltip(f"{LABEL}:N", title="Input"), alt.Tooltip(f"{DIRECTION}:N", title="Case"), tooltip],
        description=alt.value(alt.expr(description)),
    )
    # Each bar's value at its outer end, formatted by the text mark itself (a data field would
    # need Vega's format(), which the parity test's evaluator cannot run, and so would not check).
    # One mark, aligned per bar, for bars on either side of now.
    # Under each label, the same text outlined in white (a halo): the dashed zero line may pass
    # under a label (on a phone, a bar ending near zero puts its label across it) without
    # crossing its letters. A layer of its own, not a CSS paint order, so that the chart drawn at
    # build time, its SVG and PNG exports and the print show it too.
    outward = f"datum.{value} >= datum.{base}"
    labelled_rows = rows if labelled is None else rows.transform_filter(labelled)
    text = {
        "align": alt.expr(f"{outward} ? 'left' : 'right'"),
        "dx": alt.expr(f"{outward} ? 3 : -3"),
        "fontSize": 10,
        "aria": False,
    }
    label_encoding = {"y": y_inputs, "x": x, "text": alt.Text(f"{value}:Q", format=label_format), "yOffset": offset}
    value_halos = labelled_rows.mark_text(**text, **HALO).encode(**label_encoding)
    value_labels = labelled_rows.mark_text(**text, color="#333333").encode(**label_encoding)
    note_halos = [note.mark_text(**{**_mark_properties(note), **HALO}) for note in notes]
    now_x = alt.X(f"{now_value}:Q", title=value_title, axis=None)
    now_rule = now.mark_rule(color="#000000", strokeWidth=2).encode(x=now_x)
    now_text = (
        now.transform_calculate(now_label=now_label)
        .mark_text(align="center", dy=-8, fontWeight="bold", color="#000000")
        .encode(x=now_x, y=alt.value(0), text="now_label:N")
    )
    zero_x = alt.X("zero:Q", title=value_title, axis=None)
    zero_rule = (
        alt.Chart(alt.Data(values=[{"zero": 0, "label": "0"}]))
        .mark_rule(color="#595959", strokeDash=[4, 3])
        .encode(x=zero_x)
    )
    zero_text = zero_rule.mark_text(align="center", dy=10, color="#595959").encode(
        x=zero_x, y=alt.value(height), text="label:N"
    )
    return alt.layer(
        bars, zero_rule, value_halos, value_labels, *note_halos, *notes, zero_text, now_rule, now_text
    ).properties(width=width, height=height, title=alt.Title(title, subtitle=subtitle, anchor="start"))
