"""Charts of the comparison (Altair, Vega-Lite): one per measure, localities side by side,
results and targets in two colours, each bar carrying its citation number. The same chart
is drawn on the page and rendered offline to PNG or SVG (vl-convert) for downloads and
the Word export."""

from __future__ import annotations

import altair as alt

from tools.compare import Table
from tools.figures import RESULT, TARGET
from tools.measures import MONEY, PERCENT
from vietnamese.numbers import number_vi

COLOURS = alt.Scale(domain=[RESULT, TARGET], range=["#1f6f8b", "#e39b2d"])
SELECT = "cot"  # the name of the click selection: the page shows the clicked bar's citation


def chart_rows(table: Table, key: str) -> list[dict]:
    """One bar per figure of measure `key`: locality, number, kind, label and citation."""
    rows: list[dict] = []
    for row, measure, cell in table.cells():
        if measure.key != key:
            continue
        place = sum(r["Địa phương"] == row.locality for r in rows)  # bars of one locality side by side
        rows.append(
            {
                "Địa phương": row.locality,
                "Giá trị": cell.number / 1e6 if measure.unit == MONEY else cell.number,
                "Loại": cell.kind,
                "Số liệu": cell.value + (f" ({cell.year})" if cell.year else ""),
                "Nhãn": f"{number_vi(cell.number)} [{cell.citation.n}]",
                "Trích dẫn": cell.citation.n,
                "Nội dung": cell.counts,
                "Thứ tự": place,
            }
        )
    return rows


def chart(table: Table, key: str, selectable: bool = False) -> alt.Chart:
    measure = next(m for m in table.indicators if m.key == key)
    rows = chart_rows(table, key)
    places = list(dict.fromkeys(r["Địa phương"] for r in rows))
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("Địa phương:N", sort=places, title=None, axis=alt.Axis(labelLimit=260)),
        yOffset=alt.YOffset("Thứ tự:N"),
        x=alt.X(
            "Giá trị:Q", title=_axis_title(measure), axis=alt.Axis(format="~g" if measure.unit == PERCENT else "d")
        ),
    )
    bars = base.mark_bar().encode(
        color=alt.Color("Loại:N", scale=COLOURS, legend=alt.Legend(title=None, orient="top")),
        tooltip=["Địa phương:N", "Số liệu:N", "Loại:N", "Nội dung:N", "Trích dẫn:N"],
    )
    if selectable:
        pick = alt.selection_point(name=SELECT, fields=["Trích dẫn"])
        bars = bars.add_params(pick).encode(opacity=alt.condition(pick, alt.value(1.0), alt.value(0.55)))
    labels = base.mark_text(align="left", dx=4, fontSize=11).encode(text="Nhãn:N")
    return (bars + labels).properties(
        title=alt.TitleParams(measure.label, anchor="start"),
        width=520,
        height=alt.Step(22),
    )


def _axis_title(measure) -> str:
    return "triệu đồng" if measure.unit == MONEY else measure.unit


def chart_image(table: Table, key: str, fmt: str = "png") -> bytes:
    """The chart as PNG (twice the screen's resolution) or SVG, rendered offline."""
    import vl_convert

    spec = chart(table, key).to_dict()
    if fmt == "svg":
        return vl_convert.vegalite_to_svg(spec).encode("utf-8")
    return vl_convert.vegalite_to_png(spec, scale=2)
