"""Small bar charts as SVG drawn on the server: no script, nothing inline to allow in the
CSP, printable, and readable without colour (each bar is labelled with its value)."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 640
BAR = 26
GAP = 10
LABEL_WIDTH = 260


@dataclass
class Bar:
    y: int
    width: float
    label: str
    value: str
    href: str | None


@dataclass
class Chart:
    unit: str
    height: int
    bars: list[Bar]
    label_width: int = LABEL_WIDTH
    plot_width: int = WIDTH - LABEL_WIDTH - 80
    width: int = WIDTH


def bar_chart(unit: str, items: list[tuple[str, float, str, str | None]]) -> Chart:
    """``items`` are (label, value, value as shown, link); bars scale to the largest."""
    top = max((abs(v) for _l, v, _s, _h in items), default=0) or 1
    chart = Chart(unit, height=len(items) * (BAR + GAP) + GAP, bars=[])
    for i, (label, value, shown, href) in enumerate(items):
        chart.bars.append(
            Bar(
                GAP + i * (BAR + GAP),
                max(abs(value) / top * chart.plot_width, 1),
                label,
                shown,
                href,
            )
        )
    return chart
