"""Small charts as SVG drawn on the server: no script, nothing inline to allow in the CSP,
printable, and readable without colour (each bar or range is labelled with its values).

A bar per target while there are few; past ``MAX_BARS`` a range per year (lowest to
highest, a mark at the median), so a concept that hundreds of offices state still gives
a chart one can read, of a size that does not grow with the number of offices."""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH = 640
BAR = 22
LABEL = 18  # each bar's label sits on its own line above it, so long office names fit
GAP = 10
ROW = LABEL + BAR + GAP
MAX_BARS = 30  # targets in one unit; past this, a range per year


@dataclass
class Bar:
    y: int  # top of the bar; its label's baseline is just above
    width: float
    label: str
    value: str
    href: str | None


@dataclass
class Span:
    y: int  # top of the row; its label's baseline is just above
    low: float  # x of the lowest target
    median: float  # x of the median
    high: float  # x of the highest
    label: str
    summary: str  # the figures, printed after the range


@dataclass
class Chart:
    unit: str
    height: int
    bars: list[Bar]
    spans: list[Span] = field(default_factory=list)
    plot_width: int = WIDTH - 120  # room for the value printed after the longest bar
    width: int = WIDTH
    bar_height: int = BAR


def bar_chart(unit: str, items: list[tuple[str, float, str, str | None]]) -> Chart:
    """``items`` are (label, value, value as shown, link); bars scale to the largest."""
    top = max((abs(v) for _l, v, _s, _h in items), default=0) or 1
    chart = Chart(unit, height=len(items) * ROW + GAP, bars=[])
    for i, (label, value, shown, href) in enumerate(items):
        width = max(abs(value) / top * chart.plot_width, 1)
        chart.bars.append(Bar(GAP + i * ROW + LABEL, width, label, shown, href))
    return chart


def range_chart(unit: str, items: list[tuple[str, float, float, float, str]]) -> Chart:
    """``items`` are (label, lowest, median, highest, figures as shown): one range each,
    on one scale from zero (or the lowest value, when below zero) to the highest."""
    lo = min([0.0, *(low for _l, low, _m, _h, _s in items)])
    hi = max([0.0, *(high for _l, _lo, _m, high, _s in items)])
    span = (hi - lo) or 1
    chart = Chart(unit, height=len(items) * ROW + GAP, bars=[])

    def x(v: float) -> float:
        return (v - lo) / span * chart.plot_width

    for i, (label, low, median, high, shown) in enumerate(items):
        chart.spans.append(Span(GAP + i * ROW + LABEL, x(low), x(median), x(high), label, shown))
    return chart
