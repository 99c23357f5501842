"""Server-rendered SVG bar charts for the dashboard (no script, no inline styles:
only SVG presentation attributes, which the Content-Security-Policy allows)."""
from dataclasses import dataclass

WIDTH, HEIGHT, PAD_BOTTOM, PAD_TOP = 560, 160, 20, 12


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    label: str
    series: int


@dataclass
class Chart:
    title: str
    bars: list
    legend: list          # [(series index, name)]
    max_value: int
    width: int = WIDTH
    height: int = HEIGHT
    baseline: int = HEIGHT - PAD_BOTTOM


def bar_chart(title, named_series, label=lambda day: day.strftime("%d.%m.")):
    """Grouped bars: ``named_series`` is [(name, [(day, value), ...]), ...] with the same days."""
    days = [day for day, _ in named_series[0][1]] if named_series else []
    groups = max(1, len(days))
    top = max([v for _, series in named_series for _, v in series] + [1])
    slot = WIDTH / groups
    bar_width = max(1.0, (slot * 0.8) / max(1, len(named_series)))
    usable = HEIGHT - PAD_BOTTOM - PAD_TOP
    bars = []
    for index, (_name, series) in enumerate(named_series):
        for position, (day, value) in enumerate(series):
            height = usable * value / top
            bars.append(Bar(x=round(position * slot + slot * 0.1 + index * bar_width, 1),
                            y=round(HEIGHT - PAD_BOTTOM - height, 1), width=round(bar_width, 1),
                            height=round(height, 1), value=value, label=label(day),
                            series=index))
    return Chart(title=title, bars=bars, max_value=top,
                 legend=[(i, name) for i, (name, _) in enumerate(named_series)])
