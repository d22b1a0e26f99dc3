"""A schematic map of the areas: one polygon per area, laid out roughly where the area lies
(north up), coloured by an indicator. Drawn from coordinates in this file, so it needs no map
tiles or internet; a data set whose areas have no layout here gets a row of tiles."""

from __future__ import annotations

import matplotlib
import pandas as pd
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Polygon

from ..outputs import TOTAL
from ..plots import label, summarise

Shape = tuple[list[tuple[float, float]], tuple[float, float]]  # polygon, where its label goes

# Emmen: the town's three districts in the north-west of the municipality, the Monden
# villages to the north-east, the Blokken to the south-east, the Velden to the south-west.
LAYOUTS: dict[str, dict[str, Shape]] = {
    "emmen": {
        "Emmen-Noord": ([(1, 2), (2, 2), (2, 3), (1, 3)], (1.5, 2.5)),
        "De Monden": ([(2, 2), (4, 2), (4, 3), (2, 3)], (3, 2.5)),
        "Emmen-Zuid": ([(1, 1), (2, 1), (2, 2), (1, 2)], (1.5, 1.5)),
        "Emmen-Oost": ([(2, 1), (3, 1), (3, 2), (2, 2)], (2.5, 1.5)),
        "De Blokken": ([(2, 0), (4, 0), (4, 2), (3, 2), (3, 1), (2, 1)], (3.3, 0.7)),
        "De Velden": ([(0, 0), (2, 0), (2, 1), (1, 1), (1, 2.6), (0, 2.6)], (0.8, 0.5)),
    }
}

# indicators a map can show: column -> (factor for display, colour map: darker is more)
MAP_INDICATORS: dict[str, tuple[float, str]] = {
    "informal_share": (100, "YlGn"),
    "access_wait_weeks_mean": (1, "OrRd"),
    "heavily_burdened_share": (100, "OrRd"),
    "unmet_need_per_1000": (1, "OrRd"),
    "cost_vs_budget": (100, "PuBu"),
}


def layout(dataset: str, areas: list[str]) -> dict[str, Shape]:
    known = LAYOUTS.get(dataset, {})
    if set(areas) <= set(known):
        return {a: known[a] for a in areas}
    return {a: ([(i, 0), (i + 0.95, 0), (i + 0.95, 1), (i, 1)], (i + 0.475, 0.5)) for i, a in enumerate(areas)}


def area_map(yearly: pd.DataFrame, indicator: str, year: int, dataset: str = "emmen", lang: str = "en",
             title: str = "", scale: float = 1.0) -> Figure:
    """The areas coloured by ``indicator`` in ``year`` (central value over the replications;
    the 5-95% spread of the replications in brackets when there are several)."""
    if indicator not in MAP_INDICATORS:
        raise ValueError(f"indicator = {indicator!r}: must be one of {', '.join(MAP_INDICATORS)}")
    factor, cmap_name = MAP_INDICATORS[indicator]
    areas = [a for a in pd.unique(yearly.area) if a != TOTAL]
    stats = summarise(yearly[yearly.year == year], indicator, areas).set_index("area")
    shapes = layout(dataset, areas)
    fig = Figure(figsize=(6.4, 4.6), layout="constrained")
    ax = fig.subplots()
    values = stats.center * factor
    norm = Normalize(vmin=float(values.min()), vmax=float(values.max()) if values.max() > values.min()
                     else float(values.min()) + 1)
    cmap = matplotlib.colormaps[cmap_name]
    fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.8)
    for area, (points, (x, y)) in shapes.items():
        value = values.get(area)
        colour = cmap(norm(value)) if value is not None and pd.notna(value) else "lightgrey"
        ax.add_patch(Polygon(points, closed=True, facecolor=colour, edgecolor="white", lw=3))
        row = stats.loc[area] if area in stats.index else None
        shown = "-" if row is None or pd.isna(row.center) else f"{row.center * factor:.1f}"
        spread = ("" if row is None or row.n < 2 or pd.isna(row.lo)
                  else f"\n({row.lo * factor:.1f}-{row.hi * factor:.1f})")
        ax.text(x, y, f"{area}\n{shown}{spread}", ha="center", va="center", fontsize=9,
                bbox=dict(boxstyle="round,pad=0.25", facecolor="white", alpha=0.75, lw=0))
    ax.autoscale_view()
    ax.set_aspect("equal")
    ax.axis("off")
    heading = title or indicator
    if scale < 1:
        heading += "\n" + label("sample", lang, pct=f"{scale:.0%}", factor=f"{1 / scale:g}")
    ax.set_title(f"{heading}", fontsize=10)
    return fig
