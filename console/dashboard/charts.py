"""Charts as plain server-rendered SVG: no script, no third-party host. Every label is escaped."""
import datetime as dt
from typing import Dict, List, Sequence, Tuple

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

# Colour-blind-safe palette (Okabe-Ito), one per channel in order of first appearance.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


def _n(value: float) -> str:
    """SVG coordinates to one decimal (format_html turns its arguments into text first)."""
    return f"{value:.1f}"


def stacked_bars(per_day: Dict[dt.date, Dict[str, int]], title: str, width: int = 720, height: int = 220):
    """A stacked bar per day (one colour per series), with a legend and a total above each bar."""
    days = sorted(per_day)
    series = sorted({name for counts in per_day.values() for name in counts})
    colours = {name: PALETTE[n % len(PALETTE)] for n, name in enumerate(series)}
    top = max([sum(c.values()) for c in per_day.values()] + [1])
    left, bottom, plot_top = 36, 28, 18
    plot_height = height - bottom - plot_top
    slot = (width - left) / max(len(days), 1)
    bar = max(4.0, slot * 0.7)
    parts = [format_html('<text x="{}" y="{}" class="axis">{}</text>', 2, plot_top + 4, top),
             format_html('<text x="{}" y="{}" class="axis">0</text>', 2, plot_top + plot_height)]
    for n, day in enumerate(days):
        x = left + n * slot + (slot - bar) / 2
        y = plot_top + plot_height
        for name in series:
            value = per_day[day].get(name, 0)
            if not value:
                continue
            h = plot_height * value / top
            y -= h
            parts.append(format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {} {}</title></rect>',
                _n(x), _n(y), _n(bar), _n(h), colours[name], day.isoformat(), value, name))
        total = sum(per_day[day].values())
        parts.append(format_html('<text x="{}" y="{}" class="value" text-anchor="middle">{}</text>',
                                 _n(x + bar / 2), _n(y - 3), total))
        if len(days) <= 16 or n % max(1, len(days) // 12) == 0:
            parts.append(format_html('<text x="{}" y="{}" class="axis" text-anchor="middle">{}</text>',
                                     _n(x + bar / 2), height - 10, day.strftime("%b %d")))
    legend = format_html_join(
        "", '<rect x="{}" y="0" width="10" height="10" fill="{}"></rect><text x="{}" y="9" class="axis">{}</text>',
        ((left + n * 110, colours[name], left + n * 110 + 14, name) for n, name in enumerate(series)))
    return format_html(
        '<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg"><title>{}</title>'
        '<g>{}</g><g transform="translate(0,{})">{}</g></svg>',
        title, width, height + 18, title, mark_safe("".join(parts)), height + 4, legend)


def horizontal_bars(items: Sequence[Tuple[str, int]], title: str, width: int = 520, row: int = 22):
    """A labelled bar per item, longest first as given."""
    items = list(items)
    top = max([value for _, value in items] + [1])
    label_width, value_width = 190, 40
    bar_space = width - label_width - value_width
    rows: List[str] = []
    for n, (label, value) in enumerate(items):
        y = n * row
        rows.append(format_html(
            '<text x="{}" y="{}" class="axis" text-anchor="end">{}</text>'
            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>'
            '<text x="{}" y="{}" class="value">{}</text>',
            label_width - 6, y + 15, label, label_width, y + 4, _n(max(1.0, bar_space * value / top)), row - 8,
            PALETTE[0], label, value, _n(label_width + bar_space * value / top + 4), y + 15, value))
    height = max(row, len(items) * row)
    return format_html(
        '<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg"><title>{}</title>{}</svg>',
        title, width, height, title, mark_safe("".join(rows)))
