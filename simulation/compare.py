"""``socialsim compare BASE SCENARIO``: a scenario against its baseline with common random
numbers (same seeds), year by year, with the payback year of the policy.

Net cost of the scenario in a year = (cost_total + prevention_spend) - the baseline's. The
payback year is the first year from which the cumulative net cost since the start is zero or
less and stays so to the end; "no payback by <end>" otherwise. ``compare.png`` shows the
differences as fan charts over the paired replications (``plots.differences``).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from .evaluate import needed_columns
from .outputs import RATIO_PARTS, ratio
from .plots import differences, save
from .runner import atomic_write_bytes, run, write_parquet
from .scenario import Scenario, ScenarioError

COMPARED = ["population", "requests", "solved_informally", "resolved", "informal_share", "informal_share_access_team",
            "informal_share_durable", "withdrawn", "repeat_requests", "cost_total_eur", "prevention_spend_eur",
            "waiting_list", "carers", "carer_dropouts", "unmet_need_persons"]


def compare_tables(base: pd.DataFrame, scen: pd.DataFrame) -> pd.DataFrame:
    """Per year (municipality, mean over replications): both values and the difference."""
    def total(df):
        t = df[df.area == "total"].groupby("year")[needed_columns(COMPARED)].mean()
        for name in COMPARED:
            if name in RATIO_PARTS:
                t[name] = ratio(t, name)  # the ratio of the summed counts, not a mean of ratios
        return t
    b, s = total(base), total(scen)
    out = pd.DataFrame(index=b.index)
    for col in COMPARED:
        out[f"{col}_base"] = b[col]
        out[f"{col}_scenario"] = s[col]
        out[f"{col}_diff"] = s[col] - b[col]
    out["avoided_requests"] = b["requests"] - s["requests"]
    out["net_cost_eur"] = (s.cost_total_eur + s.prevention_spend_eur) - (b.cost_total_eur + b.prevention_spend_eur)
    out["cumulative_net_cost_eur"] = out["net_cost_eur"].cumsum()
    return out.reset_index()


def payback_year(table: pd.DataFrame) -> int | None:
    cum = table["cumulative_net_cost_eur"].to_numpy()
    years = table["year"].to_numpy()
    ok = cum <= 0
    # the first year after which the cumulative net cost never turns positive again
    later_bad = np.flip(np.cumsum(np.flip(~ok)))  # number of non-paid-back years from here on
    candidates = np.flatnonzero(ok & (later_bad == 0))
    if len(candidates) == 0:
        return None
    return int(years[candidates[0]])


SAME_IN_BOTH = ("dataset", "start_year", "end_year", "scale", "warm_up_months")  # [run]: what makes years comparable


def compare(base: str, scenario: str, out: Path, seed: int = 1, replications: int = 1, workers: int = 1,
            overrides: list[str] | None = None, quiet: bool = False, overwrite: bool = False,
            figure: bool = True) -> dict:
    out = Path(out)
    sc_base = Scenario.load(base, overrides)
    sc_scen = Scenario.load(scenario, overrides)
    for name in SAME_IN_BOTH:
        a, b = getattr(sc_base.run, name), getattr(sc_scen.run, name)
        if a != b:
            raise ScenarioError(f"run.{name} differs: {a!r} in {sc_base.scenario.name}, {b!r} in "
                                f"{sc_scen.scenario.name}; compare needs the same (use --set run.{name}=...)")
    for sc, sub in ((sc_base, "base"), (sc_scen, "scenario")):
        run(sc, out / sub, seed=seed, replications=replications, workers=workers, figure=False, quiet=quiet,
            overwrite=overwrite)
    table = compare_tables(pd.read_parquet(out / "base" / "yearly.parquet"),
                           pd.read_parquet(out / "scenario" / "yearly.parquet"))
    year = payback_year(table)
    summary = {"base": sc_base.scenario.name, "scenario": sc_scen.scenario.name, "seed": seed,
               "replications": replications, "payback_year": year,
               "payback": f"payback in {year}" if year else f"no payback by {int(table.year.max())}",
               "avoided_requests_total": float(table.avoided_requests.sum()),
               "net_cost_total_eur": float(table.net_cost_eur.sum())}
    write_parquet(table, out / "compare.parquet", summary)
    atomic_write_bytes(out / "compare.json", json.dumps(summary, indent=2).encode())
    if figure:
        save(differences(pd.read_parquet(out / "base" / "yearly.parquet"),
                         pd.read_parquet(out / "scenario" / "yearly.parquet"), sc_scen), out / "compare.png")
    return {"table": table, **summary}
