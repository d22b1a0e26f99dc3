"""One evaluation entry point for experiments: a scenario with parameters, once per seed, as a
tidy table of the headline indicators per seed, year and area. Sweeps, sensitivity analyses
and optimisation all evaluate the model through :func:`evaluate`, so they see the same numbers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

import pandas as pd

from .model import SocialDomainModel
from .outputs import HEADLINE, RATIO_PARTS, yearly_columns
from .scenario import Scenario, ScenarioError

__all__ = ["HEADLINE", "ROW_KEYS", "check_indicators", "evaluate", "needed_columns"]

ROW_KEYS = ("seed", "year", "area")


def needed_columns(indicators: Sequence[str]) -> list[str]:
    """The indicators and, after them, the counts their ratios are made of (so a ratio over
    replications or areas can be re-aggregated from summed counts), each once."""
    out = list(dict.fromkeys(indicators))
    for name in indicators:
        if name in RATIO_PARTS:
            out += [c for c in RATIO_PARTS[name][:2] if c not in out]
    return out


def check_indicators(indicators: Sequence[str], field: str = "indicators") -> list[str]:
    """The indicators as a list, or one clear error naming the first that is not an output."""
    known = set(yearly_columns())
    unknown = [name for name in indicators if name not in known]
    if unknown:
        raise ScenarioError(f"{field}: {unknown[0]!r} is not an output; allowed: the yearly columns "
                            "listed in docs/ODD.md (Outputs), e.g. " + ", ".join(HEADLINE[:4]))
    return list(indicators)


def evaluate(parameters: Mapping[str, Any] | None = None, seeds: Sequence[int] = (1,), *,
             scenario: str | Path | Scenario = "baseline", scale: float | None = None,
             years: tuple[int, int] | None = None, indicators: Sequence[str] | None = None) -> pd.DataFrame:
    """Run the scenario with ``parameters`` (dotted or plain names, as SocialDomainModel takes) once per
    seed and return a tidy table: one row per seed, year and area (area == "total" for the municipality),
    columns = the headline indicators (default HEADLINE) plus seed, year, area. Ratios are computed from
    summed counts; the count columns needed to re-aggregate them (e.g. solved_informally, resolved) are kept."""
    indicators = check_indicators(HEADLINE if indicators is None else indicators)
    if not seeds:
        raise ScenarioError("seeds: empty; give at least one model seed")
    if not isinstance(scenario, Scenario):
        scenario = Scenario.load(scenario)
    run = {}
    if scale is not None:
        run["run.scale"] = scale
    if years is not None:
        run["run.start_year"], run["run.end_year"] = years
    if run:
        scenario = scenario.with_values(run)
    columns = [*ROW_KEYS, *needed_columns(indicators)]
    tables = []
    for seed in seeds:
        model = SocialDomainModel(scenario, rng=int(seed), **dict(parameters or {}))
        model.run()
        tables.append(model.yearly()[columns])
    return pd.concat(tables, ignore_index=True)
