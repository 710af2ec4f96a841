"""Small bar charts as SVG drawn on the server: no script, nothing inline to allow in the
CSP, printable, and readable without colour (each bar is labelled with its value)."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 640
BAR = 22
LABEL = 18  # each bar's label sits on its own line above it, so long office names fit
GAP = 10
ROW = LABEL + BAR + GAP


@dataclass
class Bar:
    y: int  # top of the bar; its label's baseline is just above
    width: float
    label: str
    value: str
    href: str | None


@dataclass
class Chart:
    unit: str
    height: int
    bars: list[Bar]
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
