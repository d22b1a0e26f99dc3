"""The summary figure of a run: population by area and the ageing indicators."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from .outputs import TOTAL  # noqa: E402
from .runner import atomic_write_bytes  # noqa: E402


def summary_figure(yearly: pd.DataFrame, path: Path) -> None:
    """Two panels: residents per area (mean over replications, with min-max band for the total)
    and the shares of 65+, 80+, 85+ with the potential-carer ratio."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.5), constrained_layout=True)
    areas = yearly[yearly.area != TOTAL]
    mean = areas.groupby(["year", "area"], sort=False).population.mean().unstack()
    mean.plot(ax=ax1, lw=1.5)
    ax1.set(title="Residents per area (1 January)", xlabel="year", ylabel="persons")
    ax1.legend(fontsize=8, ncol=2)

    total = yearly[yearly.area == TOTAL].groupby("year")
    for col, label in [("share_65_plus", "65+"), ("share_80_plus", "80+"), ("share_85_plus", "85+")]:
        m = total[col].mean() * 100
        ax2.plot(m.index, m.values, label=label)
        ax2.fill_between(m.index, total[col].min() * 100, total[col].max() * 100, alpha=0.2)
    ax2.set(title="Double ageing (municipality)", xlabel="year", ylabel="% of residents")
    ratio = ax2.twinx()
    pcr = total["potential_carer_ratio"].mean()
    ratio.plot(pcr.index, pcr.values, "k--", label="persons 50-74 per 85+")
    ratio.set_ylabel("potential carers per person 85+")
    lines = ax2.get_legend_handles_labels()
    lines2 = ratio.get_legend_handles_labels()
    ax2.legend(lines[0] + lines2[0], lines[1] + lines2[1], fontsize=8, loc="upper left")
    scenario = yearly["scenario"].iloc[0]
    n = yearly["replication"].nunique()
    fig.suptitle(f"Scenario '{scenario}', {n} replication{'s' if n > 1 else ''}")
    buffer = io.BytesIO()
    fig.savefig(buffer, dpi=110, format="png")
    plt.close(fig)
    atomic_write_bytes(path, buffer.getvalue())
