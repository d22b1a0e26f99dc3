"""``socialsim summarize DIR``: means and 95% intervals across replications, per indicator,
area and year (and design point, for a sweep).

A count or amount: the mean over replications and the Student-t interval of the mean. A
ratio (``informal_share = solved_informally / resolved``, see ``outputs.RATIO_PARTS``): the
ratio of the summed counts over the replications, never the mean of the replications' ratios,
with the interval of the ratio estimator (its standard error from the residuals
``num_r - ratio * den_r``, Cochran 1977, 6.3), so a replication with few requests weighs as
much as its requests do. One replication gives no interval (NaN).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .evaluate import HEADLINE
from .outputs import RATIO_PARTS
from .scenario import ScenarioError

LEVEL = 0.95


def interval(table: pd.DataFrame, by: list[str], indicators: Sequence[str]) -> pd.DataFrame:
    """One row per group of ``by`` and indicator: n (replications), mean, low, high."""
    groups = table.groupby(by, sort=True, dropna=False)
    n = groups.size().rename("n")
    t = pd.Series(stats.t.ppf(0.5 + LEVEL / 2, np.maximum(n - 1, 1)), index=n.index)
    parts = []
    for name in indicators:
        if name in RATIO_PARTS and {*RATIO_PARTS[name][:2]} <= set(table.columns):
            num, den, factor = RATIO_PARTS[name]
            sums = groups[[num, den]].sum()
            mean = sums[num] / sums[den].where(sums[den] > 0)
            of_group = groups[num].transform("sum") / groups[den].transform("sum")
            residual = (table[num] - of_group * table[den]).rename("residual")
            spread = residual.groupby([table[c] for c in by], sort=True, dropna=False).std(ddof=1)
            se = spread / np.sqrt(n) / (sums[den] / n)
            mean, se = mean * factor, se * factor
        else:
            mean = groups[name].mean()
            se = groups[name].std(ddof=1) / np.sqrt(n)
        half = (t * se).where(n > 1)
        parts.append(pd.DataFrame({"indicator": name, "n": n, "mean": mean, "low": mean - half,
                                   "high": mean + half}))
    out = pd.concat(parts).reset_index()
    return out[[*by, "indicator", "n", "mean", "low", "high"]]


def summarize(folder: str | Path, indicators: Sequence[str] | None = None) -> pd.DataFrame:
    """The summary of a ``socialsim run`` folder (``yearly.parquet``, replications) or a sweep
    folder (``sweep.parquet``, per design point); written as ``summary.csv`` in the folder."""
    folder = Path(folder)
    if (folder / "sweep.parquet").exists():
        table = pd.read_parquet(folder / "sweep.parquet")
        params = json.loads((folder / "manifest.json").read_text())
        design = params["design"]
        design_params = list(design.get("grid") or (design.get("sample") or {}).get("ranges")
                             or (design.get("point") or [{}])[0])
        by = ["point", *design_params, "area", "year"]
    elif (folder / "yearly.parquet").exists():
        table = pd.read_parquet(folder / "yearly.parquet")
        by = ["area", "year"]
    else:
        raise ScenarioError(f"summarize: {str(folder)!r} has neither sweep.parquet (a sweep) nor yearly.parquet "
                            "(a run)")
    chosen = [c for c in HEADLINE if c in table.columns] if indicators is None else list(indicators)
    missing = [c for c in chosen if c not in table.columns]
    if missing:
        raise ScenarioError(f"--indicator {missing[0]!r}: not in {folder}; allowed: "
                            + ", ".join(c for c in table.columns if c not in (*by, "seed", "replication", "scenario")))
    summary = interval(table, by, chosen)
    summary.to_csv(folder / "summary.csv", index=False)
    return summary
