"""Summary charts as PNG bytes (motion-packets.md section 8), shared with the GUI dashboard.

Only matplotlib's object-oriented API with the Agg canvas is used (``matplotlib.figure.Figure``), never
``pyplot`` and never a Qt backend, so importing this module never loads Qt. Every function takes plain
data (dicts of labels to integers) and returns PNG bytes: 6.5 × 3.6 in at 200 dpi, colour-blind-safe
palette (Okabe–Ito), value labels on the bars.

Data shapes (all counts are ints; dict order is display order):
- ``relief_chart({"Statutory floor only": {"Dismiss & seal": 10, …}, "Final decisions": {…}})``
- ``stacked_chart(title, {"11357(b)": {"Dismiss & seal": 5, "Reduce to misd.": 0, …}, …})``
- ``courthouse_chart({"VNY Van Nuys": {"Granted": 120, "Challenged": 4}, …})``
- ``race_chart({"WHITE": 40, "Not recorded": 3, …}, title=…)``
- ``bar_chart(title, categories, series, stacked=…, horizontal=…)`` — the general form.
Pass ``suppress_below=N`` to draw cells below N as empty bars labelled ``<N``.
"""

from __future__ import annotations

import io
from typing import Mapping, Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

#: Okabe–Ito colour-blind-safe palette.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
WIDTH_IN, HEIGHT_IN, DPI = 6.5, 3.6, 200


def _fmt(v: int, suppress_below: int) -> str:
    if suppress_below and v < suppress_below:
        return f"<{suppress_below}"
    return f"{v:,}"


def _png(fig: Figure) -> bytes:
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


def _new_figure() -> tuple[Figure, object]:
    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=7.5)
    return fig, ax


def bar_chart(title: str, categories: Sequence[str], series: Mapping[str, Sequence[int]], *,
              stacked: bool = False, horizontal: bool = False, value_label: str = "Counts",
              suppress_below: int = 0) -> bytes:
    """Grouped or stacked bars; ``series`` maps a series name to one value per category."""
    fig, ax = _new_figure()
    fig.suptitle(title, fontsize=10, x=0.01, ha="left")
    n_cat = len(categories)
    names = list(series)
    positions = list(range(n_cat))
    if not n_cat:
        ax.text(0.5, 0.5, "No data", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return _png(fig)
    width = 0.8 if stacked or len(names) == 1 else 0.8 / len(names)
    bottoms = [0] * n_cat
    if stacked:
        max_total = max([1] + [sum(int(series[n][i]) for n in names) for i in range(n_cat)])
    else:
        max_total = max([1] + [int(v) for n in names for v in series[n]])
    for i, name in enumerate(names):
        raw = [int(v) for v in series[name]]
        shown = [0 if (suppress_below and v < suppress_below) else v for v in raw]
        colour = PALETTE[i % len(PALETTE)]
        if stacked:
            pos = positions
        else:
            offset = (i - (len(names) - 1) / 2) * width
            pos = [p + offset for p in positions]
        if horizontal:
            bars = ax.barh(pos, shown, height=width, left=bottoms if stacked else None, color=colour, label=name)
        else:
            bars = ax.bar(pos, shown, width=width, bottom=bottoms if stacked else None, color=colour, label=name)
        if stacked:
            labels = [(_fmt(v, suppress_below) if (v >= 0.06 * max_total or (suppress_below and v < suppress_below and v))
                       else "") for v in raw]
            ax.bar_label(bars, labels=labels, label_type="center", fontsize=6.5,
                         color="white" if i % len(PALETTE) in (0, 2, 5, 7) else "black")
            bottoms = [b + v for b, v in zip(bottoms, shown)]
        else:
            ax.bar_label(bars, labels=[_fmt(v, suppress_below) for v in raw], padding=1.5, fontsize=6.5)
    if stacked:
        totals = bottoms
        dummy = (ax.barh(positions, [0] * n_cat, left=totals, height=width) if horizontal
                 else ax.bar(positions, [0] * n_cat, bottom=totals, width=width))
        ax.bar_label(dummy, labels=[f"{t:,}" for t in totals], padding=1.5, fontsize=6.5, fontweight="bold")
    if n_cat > 12:
        ax.tick_params(labelsize=max(5.0, 7.5 - (n_cat - 12) * 0.12))
    if horizontal:
        ax.set_yticks(positions, labels=list(categories))
        ax.invert_yaxis()
        ax.set_xlabel(value_label, fontsize=8)
        ax.set_xlim(0, max_total * 1.15)
    else:
        ax.set_xticks(positions, labels=list(categories), rotation=30 if n_cat > 6 else 0,
                      ha="right" if n_cat > 6 else "center")
        ax.set_ylabel(value_label, fontsize=8)
        ax.set_ylim(0, max_total * 1.15)
    if len(names) > 1:
        ax.legend(fontsize=7, frameon=False, ncols=min(len(names), 4), loc="lower left",
                  bbox_to_anchor=(0.0, 1.0), borderaxespad=0.3)
    return _png(fig)


def _inner_keys(data: Mapping[str, Mapping[str, int]]) -> list[str]:
    """The keys of the inner mappings, in first-seen order."""
    return list(dict.fromkeys(k for inner in data.values() for k in inner))


def _series_by_inner(data: Mapping[str, Mapping[str, int]]) -> dict[str, list[int]]:
    """One series per inner key, one value per outer key (0 where missing)."""
    return {n: [int(inner.get(n, 0)) for inner in data.values()] for n in _inner_keys(data)}


def relief_chart(data: Mapping[str, Mapping[str, int]], *, suppress_below: int = 0,
                 title: str = "Convictions by outcome: statutory floor vs final decisions") -> bytes:
    categories = _inner_keys(data)
    series = {name: [int(data[name].get(c, 0)) for c in categories] for name in data}
    return bar_chart(title, categories, series, suppress_below=suppress_below)


def stacked_chart(title: str, data: Mapping[str, Mapping[str, int]], *, horizontal: bool = False,
                  suppress_below: int = 0) -> bytes:
    categories = list(data)
    series = _series_by_inner(data)
    return bar_chart(title, categories, series, stacked=True, horizontal=horizontal, suppress_below=suppress_below)


def courthouse_chart(data: Mapping[str, Mapping[str, int]], *, suppress_below: int = 0,
                     title: str = "Granted and challenged counts by courthouse") -> bytes:
    categories = list(data)
    series = _series_by_inner(data)
    horizontal = len(categories) > 6 or any(len(c) > 16 for c in categories)
    return bar_chart(title, categories, series, horizontal=horizontal, suppress_below=suppress_below)


def race_chart(data: Mapping[str, int], *, suppress_below: int = 0,
               title: str = "People affected by race/ethnicity (as recorded by DOJ)") -> bytes:
    return bar_chart(title, list(data), {"People affected": [int(v) for v in data.values()]}, horizontal=True,
                     value_label="People", suppress_below=suppress_below)


#: Titles of :func:`render_all`, in display order, by key of the chart data.
DASHBOARD_TITLES = {
    "relief": "Outcomes: statutory floor vs final",
    "sections": "By code section",
    "decades": "By decade of conviction",
    "courthouses": "By courthouse",
    "race": "People affected by race/ethnicity (as recorded by DOJ)",
}


def render_all(data: Mapping, *, suppress_below: int = 0) -> dict[str, bytes]:
    """Every chart for which ``data`` holds a key (``summary.chart_data`` makes this dict), as
    ``{title: png}`` in display order; unknown keys are ignored."""
    makers = {
        "relief": lambda d: relief_chart(d),
        "sections": lambda d: stacked_chart("Granted counts by code section", d, suppress_below=suppress_below),
        "decades": lambda d: stacked_chart("Granted counts by decade of conviction", d, suppress_below=suppress_below),
        "courthouses": lambda d: courthouse_chart(d, suppress_below=suppress_below),
        "race": lambda d: race_chart(d, suppress_below=suppress_below),
    }
    out = {}
    for key, title in DASHBOARD_TITLES.items():
        if isinstance(data, Mapping) and isinstance(data.get(key), Mapping):
            out[title] = makers[key](data[key])
    return out
