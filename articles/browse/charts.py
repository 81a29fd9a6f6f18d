"""Charts drawn on the server as SVG geometry (no script, no CDN, no inline style): templates draw it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

WIDTH = 640
HEIGHT = 140
AXIS = 18  # room for the year labels under the bars


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    count: int


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class MonthlyChart:
    bars: list[Bar]
    ticks: list[Tick]
    peak: int
    total: int
    width: int = WIDTH
    height: int = HEIGHT
    baseline: int = HEIGHT - AXIS


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = (current + dt.timedelta(days=32)).replace(day=1)
    return months


def monthly_chart(counts: dict[dt.date, int]) -> MonthlyChart | None:
    """Bars for every month from the first to the last with a count (empty months included)."""
    if not counts:
        return None
    months = _months(min(counts), max(counts))
    peak = max(counts.values())
    slot = WIDTH / len(months)
    gap = min(2.0, slot * 0.2)
    plot = HEIGHT - AXIS - 4
    bars, ticks = [], []
    for i, month in enumerate(months):
        count = counts.get(month, 0)
        height = round(plot * count / peak, 1) if count else 0
        bars.append(Bar(round(i * slot + gap / 2, 2), round(HEIGHT - AXIS - height, 1), round(slot - gap, 2),
                        height, month.strftime("%B %Y"), count))
        if month.month == 1 or i == 0:
            ticks.append(Tick(round(i * slot, 2), str(month.year)))
    if len(ticks) > 8:  # keep year labels from overlapping on long spans
        step = -(-len(ticks) // 8)
        ticks = ticks[::step]
    return MonthlyChart(bars, ticks, peak, sum(counts.values()))
