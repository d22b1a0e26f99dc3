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
    """Four panels: residents per area; the shares of 65+, 80+, 85+ with the potential-carer
    ratio; the informal share (the 40% indicator) per area; cost against budget with the
    providers' waiting list. Means over replications; bands span the replications."""
    fig, axes = plt.subplots(2, 2, figsize=(13, 9), constrained_layout=True)
    (ax1, ax2), (ax3, ax4) = axes
    areas = yearly[yearly.area != TOTAL]
    mean = areas.groupby(["year", "area"], sort=False).population.mean().unstack()
    mean.plot(ax=ax1, lw=1.5)
    ax1.set(title="Residents per area (1 January)", xlabel="year", ylabel="persons")
    ax1.legend(fontsize=7, ncol=2, loc="lower left")

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
    # the 40% indicator, from summed counts
    sums = yearly.groupby(["year", "area"], sort=False)[["solved_informally", "resolved"]].sum()
    share = (sums.solved_informally / sums.resolved).unstack()
    for area in share.columns:
        style = dict(color="black", lw=2.5) if area == TOTAL else dict(lw=1, alpha=0.7)
        ax3.plot(share.index, share[area] * 100, label=area, **style)
    ax3.axhline(40, color="grey", ls=":", label="ambition 40%")
    ax3.set(title="Help requests solved informally", xlabel="year", ylabel="% of resolved requests")
    ax3.legend(fontsize=7, ncol=2)

    money = total[["cost_total_eur", "budget_eur"]].mean() / 1e6
    ax4.plot(money.index, money.cost_total_eur, label="cost")
    ax4.plot(money.index, money.budget_eur, label="budget")
    ax4.set(title="Cost and budget; waiting list", xlabel="year", ylabel="EUR million (nominal)")
    waiting = ax4.twinx()
    wl = total["waiting_list"].mean()
    waiting.plot(wl.index, wl.values, "k--", label="waiting list (1 Jan)")
    waiting.set_ylabel("persons waiting for a provider")
    l1, l2 = ax4.get_legend_handles_labels(), waiting.get_legend_handles_labels()
    ax4.legend(l1[0] + l2[0], l1[1] + l2[1], fontsize=8, loc="upper left")

    scenario = yearly["scenario"].iloc[0]
    n = yearly["replication"].nunique()
    fig.suptitle(f"Scenario '{scenario}', {n} replication{'s' if n > 1 else ''}")
    buffer = io.BytesIO()
    fig.savefig(buffer, dpi=110, format="png")
    plt.close(fig)
    atomic_write_bytes(path, buffer.getvalue())
