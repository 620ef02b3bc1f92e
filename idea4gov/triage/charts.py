"""Small server-side SVG bar charts: no JavaScript, no CDN, readable on a phone and printable."""
from __future__ import annotations

from markupsafe import Markup, escape

WIDTH = 420
BAR_HEIGHT = 24
GAP = 8
LABEL_WIDTH = 140
VALUE_WIDTH = 44


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def bar_chart(rows: list[tuple[str, float | None]], title: str, missing: str = "–") -> Markup:
    """Horizontal bars, one per (label, value); labels and the title are escaped.

    A value of None has no bar and reads `missing` (e.g. "no answer yet"): it is not a zero.
    The picture is hidden from screen readers, which read the same numbers in a visually hidden
    table right after it (WCAG 1.1.1: a text alternative with the numbers, not only a CSV link).
    """
    height = max(1, len(rows)) * (BAR_HEIGHT + GAP) + GAP
    top = max((value for _label, value in rows if value is not None), default=0) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts = [f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
             f'aria-hidden="true" focusable="false"><title>{escape(title)}</title>']
    for index, (label, value) in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        text_y = y + BAR_HEIGHT * 0.7
        if value is None:
            parts.append(
                f'<text class="chart-label" x="{LABEL_WIDTH - 8}" y="{text_y:.0f}" text-anchor="end">{escape(label)}</text>'
                f'<text class="chart-missing" x="{LABEL_WIDTH + 6}" y="{text_y:.0f}">{escape(missing)}</text>')
            continue
        width = 0 if value <= 0 else max(2, round(span * value / top))
        parts.append(
            f'<text class="chart-label" x="{LABEL_WIDTH - 8}" y="{text_y:.0f}" text-anchor="end">{escape(label)}</text>'
            f'<rect class="chart-bar" x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR_HEIGHT}" rx="3"></rect>'
            f'<text class="chart-value" x="{LABEL_WIDTH + width + 6}" y="{text_y:.0f}">{_number(value)}</text>')
    if not rows:
        parts.append(f'<text class="chart-label" x="{GAP}" y="{BAR_HEIGHT}">–</text>')
    parts.append("</svg>")
    parts.append(_table(rows, title, missing))
    return Markup("".join(parts))


def _table(rows: list[tuple[str, float | None]], title: str, missing: str) -> str:
    """The chart's numbers as a table for screen readers (and for anyone reading the HTML)."""
    body = "".join(f'<tr><th scope="row">{escape(label)}</th><td>{escape(missing) if value is None else _number(value)}</td></tr>'
                   for label, value in rows)
    # The wrapper is what is hidden: a table never shrinks to 1 px and would widen the page.
    return (f'<div class="visually-hidden"><table class="chart-table"><caption>{escape(title)}</caption>'
            f'<tbody>{body or f"<tr><td>{escape(missing)}</td></tr>"}</tbody></table></div>')
