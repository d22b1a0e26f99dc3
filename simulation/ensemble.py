"""``socialsim ensemble BASE [SCENARIO]``: an experiment that carries the fitted parameters'
uncertainty: the scenario (and the one compared with it) run for every fitted parameter set of
the calibration's ensemble x the same replication seeds, summarised with intervals that hold
both the parameters' and the stochastic uncertainty.

The ensemble is a CSV of fitted parameter sets (one row per member: its trial, its distance and
the fitted parameters), written by ``socialsim calibrate`` into its output folder and beside the
fitted scenario (``simulation/scenarios/calibrated_ensemble.csv``, the default). Each member's
values replace the fitted ones of the scenario, except a fitted parameter the scenario sets to a
value of its own (other than the calibrated one): that is the scenario's choice and stays.

Every scenario runs as a sweep of the listed points (the members) x the replication seeds, in
its own sweep folder (resumable, on the local pool or a Dask cluster): member m with seed s is
the same parameter set and the same random numbers in every scenario, so a comparison pairs by
member AND seed (common random numbers).

Summary, per area, year and indicator (counts as the model counts them, like ``summarize``):
each member's mean over its seeds (ratios from summed counts), their mean over the M members
(equally weighted: each is a parameter set the targets do not tell apart from the best), and a
95% interval ``mean ± t(M-1) · s · sqrt(1 + 1/M)``, ``s`` the standard deviation of the members'
means: the prediction interval of another member's mean over as many seeds, so it holds the
spread the parameters make and the seeds' noise in a mean of R replications. It does not shrink
with more members, as the interval of one parameter set shrinks with more seeds: the parameters'
uncertainty stays. ``parameter_share`` is the share of the run-to-run variance the parameters make
(one-way random effects: the between-member variance less the seeds' part, over the total);
NaN with one replication. A comparison does the same with each member's paired difference.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .compare import SAME_IN_BOTH
from .evaluate import HEADLINE, check_indicators
from .outputs import RATIO_PARTS
from .scenario import SCENARIO_DIR, Scenario, ScenarioError
from .summarize import LEVEL, interval
from .sweep import Design, _field, sweep

ENSEMBLE = SCENARIO_DIR / "calibrated_ensemble.csv"  # shipped with the fitted scenario by `socialsim calibrate`
FILE = "ensemble.csv"  # its name in a calibration's output folder
KEYS = ("trial", "distance")  # the columns of a member that are not parameters


def load_members(path: str | Path = ENSEMBLE) -> pd.DataFrame:
    """The ensemble's members (rows) from its CSV, or from a calibration's output folder; checked:
    at least two members, every other column than trial and distance a parameter."""
    path = Path(path)
    if path.is_dir():
        path = path / FILE
    if not path.is_file():
        raise ScenarioError(f"--members {str(path)!r}: not found; give an ensemble CSV or the output folder of "
                            "socialsim calibrate")
    members = pd.read_csv(path, comment="#")
    missing = [k for k in KEYS if k not in members.columns]
    if missing:
        raise ScenarioError(f"{path.name}: column {missing[0]!r} missing; allowed: trial, distance and the "
                            "fitted parameters (section.name)")
    for name in members.columns.drop(list(KEYS)):
        _field(name)
    if len(members) < 2:
        raise ScenarioError(f"{path.name}: {len(members)} member(s); an ensemble needs at least 2 parameter sets")
    return members


def member_points(scenario: Scenario, members: pd.DataFrame) -> list[dict[str, float]]:
    """Each member's values for ``scenario``: its fitted parameters, less those the scenario sets
    to a value of its own (other than the calibrated scenario's)."""
    own, calibrated = scenario.flat(), Scenario.load("calibrated").flat()
    names = [n for n in members.columns.drop(list(KEYS)) if own[n] == calibrated[n]]
    return [{n: float(row[n]) for n in names} for _, row in members.iterrows()]


def _values(runs: pd.DataFrame, by: list[str], indicators: Sequence[str]) -> pd.DataFrame:
    """Each indicator per group of ``by``: a count's mean, a ratio's summed counts' ratio."""
    return interval(runs, by, indicators).pivot_table(index=by, columns="indicator", values="mean",
                                                      dropna=False)[list(indicators)]


def _per_run(runs: pd.DataFrame, indicators: Sequence[str]) -> pd.DataFrame:
    """Each indicator per run (point, seed) and area and year; a ratio from that run's counts."""
    out = runs.set_index(["point", "seed", "area", "year"])
    values = {}
    for name in indicators:
        if name in RATIO_PARTS:
            num, den, factor = RATIO_PARTS[name]
            values[name] = out[num] / out[den].where(out[den] > 0) * factor
        else:
            values[name] = out[name].astype(float)
    return pd.DataFrame(values)


def pool(member_means: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame:
    """Per area, year and indicator: members, replications, mean, the 95% interval of the
    module's docstring and the parameters' share of the variance. ``member_means``: one value per
    point, area and year (columns: indicators); ``runs``: one per point, seed, area and year."""
    by = ["area", "year"]
    long = member_means.stack(future_stack=True).rename("value").rename_axis([*member_means.index.names, "indicator"])
    groups = long.groupby([*by, "indicator"])
    m, mean, spread = groups.size(), groups.mean(), groups.std(ddof=1)
    half = stats.t.ppf(0.5 + LEVEL / 2, np.maximum(m - 1, 1)) * spread * np.sqrt(1 + 1 / m)
    per_run = runs.stack(future_stack=True).rename("value").rename_axis([*runs.index.names, "indicator"])
    within_groups = per_run.groupby(["point", *by, "indicator"])
    replications = within_groups.size().groupby([*by, "indicator"]).min()
    within = within_groups.var(ddof=1).groupby([*by, "indicator"]).mean()
    between = (spread ** 2 - within / replications).clip(lower=0)
    share = between / (between + within)
    out = pd.DataFrame({"members": m, "replications": replications, "mean": mean, "low": mean - half,
                        "high": mean + half, "parameter_share": share})
    return out.reset_index()


def summary(runs: pd.DataFrame, indicators: Sequence[str]) -> pd.DataFrame:
    """The pooled summary of one scenario's sweep table (``sweep.parquet``)."""
    return pool(_values(runs, ["point", "area", "year"], indicators), _per_run(runs, indicators))


def paired(base: pd.DataFrame, scenario: pd.DataFrame, indicators: Sequence[str]) -> pd.DataFrame:
    """The scenario against the base, pooled over the members: each member's difference of means on
    the same seeds, the interval of ``pool`` over those differences; the base's and the scenario's
    pooled means beside it."""
    keys = ["point", "seed", "area", "year"]
    b, s = base.set_index(keys).sort_index(), scenario.set_index(keys).sort_index()
    if not b.index.equals(s.index):
        raise ScenarioError("ensemble: the two scenarios' runs differ in members, seeds, areas or years; "
                            "they cannot be paired")
    by = ["point", "area", "year"]
    diff = _values(scenario, by, indicators) - _values(base, by, indicators)
    out = pool(diff, _per_run(scenario, indicators) - _per_run(base, indicators)).rename(columns={"mean": "difference"})
    means = {label: pool(_values(t, by, indicators), _per_run(t, indicators)).set_index(["area", "year", "indicator"])
             ["mean"] for label, t in (("base", base), ("scenario", scenario))}
    out = out.join(pd.DataFrame(means), on=["area", "year", "indicator"])
    return out[["area", "year", "indicator", "members", "replications", "base", "scenario", "difference", "low",
                "high", "parameter_share"]]


def ensemble(scenarios: Sequence[str], out: str | Path, *, members: str | Path = ENSEMBLE, scale: float | None = None,
             years: tuple[int, int] | None = None, replications: int = 2, seed: int = 1,
             indicators: Sequence[str] | None = None, workers: int | None = None, scheduler: str | None = None,
             quiet: bool = False) -> dict[str, pd.DataFrame]:
    """Run one scenario (a pooled summary) or two (the second against the first, paired by member
    and seed) over the ensemble x ``replications`` seeds into ``out``: a sweep folder per scenario
    (``base``, ``scenario``), ``ensemble_summary.csv`` and, for two, ``ensemble_difference.csv``."""
    if len(scenarios) not in (1, 2):
        raise ScenarioError(f"ensemble: {len(scenarios)} scenarios given; allowed: one, or two to compare")
    if replications < 1:
        raise ScenarioError(f"--replications = {replications}: must be at least 1")
    indicators = check_indicators(HEADLINE if indicators is None else indicators, "--indicator")
    table = load_members(members)
    out = Path(out)
    values: dict[str, object] = {"run.scale": scale} if scale is not None else {}
    if years is not None:
        values["run.start_year"], values["run.end_year"] = years
    loaded = [Scenario.load(name, values) for name in scenarios]
    for field in SAME_IN_BOTH if len(loaded) == 2 else ():  # what makes the years comparable
        a, b = (getattr(sc.run, field) for sc in loaded)
        if a != b:
            raise ScenarioError(f"run.{field} differs: {a!r} in {scenarios[0]}, {b!r} in {scenarios[1]}; a "
                                f"comparison needs the same (set it in the files, or --scale / --years)")
    tables = {}
    for label, name, sc in zip(("base", "scenario"), scenarios, loaded):
        sweep_section = {"name": f"ensemble_{label}", "scenario": str(name), "replications": replications,
                         "seed": seed, "indicators": list(indicators),
                         **({"scale": scale} if scale is not None else {}), **({"years": years} if years else {})}
        design = Design.from_dict({"sweep": sweep_section, "point": member_points(sc, table)})
        manifest = sweep(design, out / label, workers=workers, scheduler=scheduler, quiet=quiet)
        if manifest["failed"] or manifest["missing"]:
            raise ScenarioError(f"ensemble: {len(manifest['failed'])} run(s) of {name} failed, "
                                f"{manifest['missing']} missing (see {out / label}/runs); start it again to retry")
        tables[label] = pd.read_parquet(out / label / "sweep.parquet")
    result = {"summary": pd.concat([summary(t, indicators).assign(scenario=str(name))
                                    for t, name in zip(tables.values(), scenarios)], ignore_index=True)}
    result["summary"].insert(0, "scenario", result["summary"].pop("scenario"))
    result["summary"].to_csv(out / "ensemble_summary.csv", index=False)
    if len(scenarios) == 2:
        result["difference"] = paired(tables["base"], tables["scenario"], indicators)
        result["difference"].to_csv(out / "ensemble_difference.csv", index=False)
    return result
