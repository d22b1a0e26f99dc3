"""``socialsim calibrate``: fit the uncertain parameters to observed figures, and check the fit on
figures it never saw.

A calibration file (TOML; ``experiments/calibration/calibration.toml`` is the project's) names the
targets table, the parameters to fit (each searched over its plausible range from
``simulation/scenario.py``, or a range given in the file), the scale, years, trials and
replications, and where the results go. The targets table (CSV) maps each observed figure to one
yearly output of the municipality, with its year, a tolerance and its use: ``fit`` targets are
fitted, ``validation`` targets are held out and reported separately.

The distance of a parameter set is the mean over the fit targets of the Huber loss of ``z =
(model - value) / tolerance``: ``z^2`` within the tolerance, ``2|z| - 1`` beyond it (so a target
the parameters cannot reach weighs less than its square and the fit does not give up reachable
targets for it), the model value being the mean over the replications (ratios from summed
counts); a target is met when ``|z| <= 1``, i.e. its term is at most 1. optuna's TPE
sampler (seeded) minimises it; every trial runs the same seeds (common random numbers), on the
sweep engine's local pool or a Dask cluster. The first trial is the scenario as it is (so a fit
never ends worse than where it started). The study is kept in a journal file in the output
folder: a calibration started again with the same settings, targets and code continues it.

The search's distance is noisy with few replications, so the best trial there is not
necessarily the best: the ``finalists`` best trials and trial 0 are evaluated again on
``check_replications`` fresh seeds, and the one nearest the targets there is the fit (so a
budget of one replication per trial buys more trials without trusting a lucky one).

The result: the fit's values as a scenario file (the baseline builds on it through
``[scenario] base``), with its provenance in its header (targets' SHA-256, method, date, code
version); every target against the fitted model (``fit_result.csv`` beside the calibration file:
what the drift test holds the baseline to); a report (every target against the model on the
check seeds, with 95% intervals, fit and validation apart, and for every missed target why, from
the ``explanations`` table: one line per target name, maintained by hand; what
the fit changed, against the values it started from on the same seeds; a figure; the fitted
ranges, i.e. the parameters' ranges over the best fifth of the trials; which parameters the
targets do not identify; the ensemble, ``ensemble.csv``: the fit and the rest of that best fifth,
to carry the parameters' uncertainty into an experiment with ``socialsim ensemble``, also written
beside the fitted scenario); and the calibration page of the model description, whose ``fit``
block is written from the report.

At about 510 lines this module is longer than most: it is one command from the settings to the
report, and its steps (targets, distance, search, check, report) are read in that order; the runs
themselves are made by ``experiment.run_points``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import tomllib
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import optuna
import pandas as pd
from matplotlib.figure import Figure
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from scipy import stats
from tqdm import tqdm

from .ensemble import FILE as ENSEMBLE_FILE
from .evaluate import check_indicators
from .experiment import run_points
from .outputs import RATIO_PARTS, TOTAL, ratio
from .random_streams import replication_seed
from .scenario import Scenario, ScenarioError, plausible_ranges
from .sweep import code_version

COLUMNS = ("name", "output", "year", "value", "tolerance", "use", "extensive", "geography", "source", "adjustment")
USES = ("fit", "validation")
BEST_SHARE = 0.2  # the fitted ranges: the parameters' ranges over this best share of the trials
UNIDENTIFIED = 0.6  # a fitted range wider than this share of the searched range: not identified
FLAT = 0.2  # ... or a rank correlation with the distance (over all trials) weaker than this


class Settings(BaseModel):
    """The ``[calibrate]`` table of a calibration file; paths relative to that file."""

    model_config = ConfigDict(extra="forbid")
    targets: str = "targets.csv"
    scenario: str = "baseline"
    parameters: dict[str, list[float]] = Field(min_length=1)  # [] = the plausible range, else [low, high]
    scale: float = Field(0.2, gt=0, le=1)
    years: tuple[int, int] = (2016, 2024)
    trials: int = Field(40, ge=2)
    replications: int = Field(2, ge=1)
    check_replications: int = Field(5, ge=2)  # fresh seeds the finalists and the starting values are evaluated on
    finalists: int = Field(1, ge=1)  # the best trials evaluated again on the check seeds; the best there is the fit
    seed: int = Field(1, ge=0)
    scenario_out: str = "calibrated.toml"
    result: str = "fit_result.csv"  # every target against the fitted model: what the drift test holds to
    explanations: str = ""  # why the model misses a target: name, explanation ("" = none)
    ensemble_out: str = ""  # the ensemble of fitted parameter sets shipped beside the scenario ("" = only in --out)
    page: str = ""  # the model description's calibration page ("" = none)
    figure: str = ""  # a copy of the report's figure for the page ("" = none)

    @model_validator(mode="after")
    def _ranges(self) -> "Settings":
        for name, bounds in self.parameters.items():
            if bounds and not (len(bounds) == 2 and bounds[0] < bounds[1]):
                raise ValueError(f"parameters.{name} = {bounds}: give [] (its plausible range) or [low, high] "
                                 "with low below high")
        return self


def load_settings(path: str | Path) -> tuple[Settings, Path]:
    """The settings of a calibration file and its folder, or one clear error."""
    path = Path(path)
    if not path.is_file():
        raise ScenarioError(f"calibration file not found: {str(path)!r}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise ScenarioError(f"{path}: malformed TOML: {e}") from None
    try:
        return Settings.model_validate(data.get("calibrate", {})), path.parent
    except ValidationError as e:
        err = e.errors()[0]
        where = ".".join(str(x) for x in err["loc"]) or "calibrate"
        raise ScenarioError(f"{path}: calibrate.{where}: {err['msg']} (got {err.get('input')!r})") from None


def load_targets(path: str | Path) -> pd.DataFrame:
    """The targets table, checked: every output a yearly column, tolerances positive, use fit or validation."""
    path = Path(path)
    if not path.is_file():
        raise ScenarioError(f"targets file not found: {str(path)!r}")
    t = pd.read_csv(path, comment="#", skipinitialspace=True)
    missing = [c for c in COLUMNS if c not in t.columns]
    if missing:
        raise ScenarioError(f"{path}: column {missing[0]!r} missing; allowed columns: {', '.join(COLUMNS)}")
    for row in t.itertuples():
        check_indicators([row.output], field=f"{path.name}: target {row.name!r}, output")
        if not (isinstance(row.tolerance, (int, float)) and row.tolerance > 0):
            raise ScenarioError(f"{path.name}: target {row.name!r}, tolerance = {row.tolerance!r}: must be a number > 0")
        if row.use not in USES:
            raise ScenarioError(f"{path.name}: target {row.name!r}, use = {row.use!r}; allowed: {', '.join(USES)}")
    if t.name.duplicated().any():
        raise ScenarioError(f"{path.name}: target name {t.name[t.name.duplicated()].iloc[0]!r} appears twice")
    if not (t.use == "fit").any():
        raise ScenarioError(f"{path.name}: no target with use = fit; give at least one")
    return t.assign(extensive=t.extensive.astype(str).str.lower() == "true")


def load_explanations(path: str | Path, targets: pd.DataFrame) -> pd.Series:
    """Why the model misses a target (target name -> one line), checked: columns name and
    explanation, every name a target's, once, with a text."""
    path = Path(path)
    if not path.is_file():
        raise ScenarioError(f"explanations file not found: {str(path)!r}")
    t = pd.read_csv(path, comment="#", skipinitialspace=True, dtype=str, keep_default_na=False)
    if list(t.columns) != ["name", "explanation"]:
        raise ScenarioError(f"{path.name}: columns {', '.join(t.columns)}; allowed: name, explanation")
    for row in t.itertuples():
        if row.name not in set(targets.name):
            raise ScenarioError(f"{path.name}: name {row.name!r} is not a target of the targets table")
        if not row.explanation.strip():
            raise ScenarioError(f"{path.name}: target {row.name!r}, explanation = '': give one line saying why")
    if t.name.duplicated().any():
        raise ScenarioError(f"{path.name}: target {t.name[t.name.duplicated()].iloc[0]!r} appears twice")
    return t.set_index("name").explanation


def explain(result: pd.DataFrame, explanations: pd.Series) -> pd.DataFrame:
    """``result`` with each missed target's explanation ("" for a met one, or a miss not explained yet)."""
    why = result.name.map(lambda name: explanations.get(name, ""))  # (a map of no match is float, NaN)
    return result.assign(explanation=why.where(~result.met, ""))


def needed_outputs(targets: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(targets.output))


def per_seed(runs: pd.DataFrame, targets: pd.DataFrame, scale: float) -> pd.DataFrame:
    """Each target's model value in each seed's run (rows: seed; columns: target name)."""
    total = runs[runs.area == TOTAL].set_index(["seed", "year"])
    out = {}
    for t in targets.itertuples():
        at = total.xs(t.year, level="year")
        values = ratio(at, t.output) if t.output in RATIO_PARTS else at[t.output].astype(float)
        out[t.name] = values / scale if t.extensive else values
    return pd.DataFrame(out)


def model_means(runs: pd.DataFrame, targets: pd.DataFrame, scale: float) -> pd.Series:
    """Each target's model value over the seeds: a ratio from the summed counts, else the mean."""
    at = runs[runs.area == TOTAL].groupby("year").sum(numeric_only=True)
    n = runs.seed.nunique()
    out = {}
    for t in targets.itertuples():
        value = ratio(at.loc[[t.year]], t.output).iloc[0] if t.output in RATIO_PARTS else at.loc[t.year, t.output] / n
        out[t.name] = value / scale if t.extensive else value
    return pd.Series(out, dtype=float)


def distance(means: pd.Series, targets: pd.DataFrame) -> float:
    """Mean over the fit targets of the Huber loss of the error in tolerances: its square within
    the tolerance, linear beyond (NaN counts as far off)."""
    fit = targets[targets.use == "fit"].set_index("name")
    z = ((means[fit.index] - fit.value) / fit.tolerance).abs().fillna(10.0)
    return float(np.where(z <= 1, z ** 2, 2 * z - 1).mean())


def comparison(runs: pd.DataFrame, targets: pd.DataFrame, scale: float) -> pd.DataFrame:
    """Every target against the model: mean, 95% interval over the seeds (Student t), error in
    tolerances, met or not."""
    seeds = per_seed(runs, targets, scale)
    n = len(seeds)
    half = stats.t.ppf(0.975, max(n - 1, 1)) * seeds.std(ddof=1) / np.sqrt(n) if n > 1 else seeds.iloc[0] * np.nan
    t = targets.set_index("name")
    mean = model_means(runs, targets, scale)
    table = t[["use", "output", "year", "value", "tolerance"]].assign(
        model=mean, low=mean - half, high=mean + half, error=(mean - t.value) / t.tolerance)
    return table.assign(met=table.error.abs() <= 1).reset_index()


def _study_name(settings: Settings, targets_hash: str, base: Scenario, ranges: dict) -> str:
    """The study's key: what its trials' values depend on (not how many trials, nor where the
    results go), so ``--trials`` can extend a finished study."""
    what = settings.model_dump(mode="json", include={"targets", "scenario", "scale", "years", "replications", "seed"})
    key = json.dumps({"settings": what, "targets": targets_hash, "ranges": ranges,
                      "base": base.model_dump(mode="json"), "code": code_version()}, sort_keys=True)
    return "calibration-" + hashlib.sha256(key.encode()).hexdigest()[:16]


def search_ranges(settings: Settings) -> dict[str, tuple[float, float]]:
    """Each fitted parameter's searched range: given in the file, or its plausible range."""
    plausible = plausible_ranges()
    ranges = {}
    for name, bounds in settings.parameters.items():
        if not bounds and name not in plausible:
            raise ScenarioError(f"calibrate.parameters.{name}: no plausible range in the scenario's fields; "
                                "give one as [low, high]")
        ranges[name] = (float(bounds[0]), float(bounds[1])) if bounds else plausible[name]
    return ranges


def calibrate(config: str | Path, out: Path, *, trials: int | None = None, scale: float | None = None,
              years: tuple[int, int] | None = None, replications: int | None = None, seed: int | None = None,
              workers: int = 1, scheduler: str | None = None, quiet: bool = False) -> dict[str, Any]:
    """Run (or continue) the calibration of ``config`` into ``out``; write the fitted scenario,
    the report and the model description's page. Returns the summary (``summary.json``)."""
    settings, folder = load_settings(config)
    changes = {"trials": trials, "scale": scale, "years": years, "replications": replications, "seed": seed}
    settings = settings.model_copy(update={k: v for k, v in changes.items() if v is not None})
    try:
        settings = Settings.model_validate(settings.model_dump())
    except ValidationError as e:
        err = e.errors()[0]
        raise ScenarioError(f"--{err['loc'][0]}: {err['msg']} (got {err.get('input')!r})") from None
    if workers < 1:
        raise ScenarioError(f"--workers = {workers}: must be at least 1")
    targets_path = folder / settings.targets
    targets = load_targets(targets_path)
    targets_hash = hashlib.sha256(targets_path.read_bytes()).hexdigest()
    first, last = settings.years
    outside = targets[(targets.year < first) | (targets.year > last)]
    if len(outside):
        raise ScenarioError(f"calibrate.years = [{first}, {last}]: target {outside.name.iloc[0]!r} is for "
                            f"{outside.year.iloc[0]}; allowed: years that cover every target")
    explanations = (load_explanations(folder / settings.explanations, targets) if settings.explanations
                    else pd.Series(dtype=str))
    ranges = search_ranges(settings)
    base = Scenario.load(settings.scenario).with_values(
        {"run.scale": settings.scale, "run.start_year": first, "run.end_year": last})
    now = base.flat()
    unknown = [name for name in ranges if name not in now]
    if unknown:
        raise ScenarioError(f"calibrate.parameters.{unknown[0]}: not a parameter (see socialsim params)")
    seeds = [replication_seed(settings.seed, r) for r in range(settings.replications)]
    outputs = needed_outputs(targets)

    out.mkdir(parents=True, exist_ok=True)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)  # multivariate TPE
    storage = optuna.storages.JournalStorage(optuna.storages.journal.JournalFileBackend(str(out / "study.journal")))
    study = optuna.create_study(study_name=_study_name(settings, targets_hash, base, ranges), storage=storage,
                                load_if_exists=True, sampler=optuna.samplers.TPESampler(
                                    seed=settings.seed, n_startup_trials=min(10, settings.trials // 2),
                                    multivariate=True))  # the parameters act together (e.g. onset and hours)
    if not study.trials:  # trial 0: the scenario as it is, clipped to the searched ranges
        study.enqueue_trial({k: float(np.clip(now[k], lo, hi)) for k, (lo, hi) in ranges.items()})
    finished = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    bar = tqdm(total=settings.trials, initial=min(len(finished), settings.trials), unit="trial", disable=quiet)
    while len(finished) < settings.trials:
        batch = [study.ask() for _ in range(min(workers, settings.trials - len(finished)))]
        points = [{k: t.suggest_float(k, lo, hi) for k, (lo, hi) in ranges.items()} for t in batch]
        done: dict[int, pd.DataFrame] = {}
        run_points(points, seeds, base, outputs, done.__setitem__, workers=workers, scheduler=scheduler)
        for i, t in enumerate(batch):  # told in the order asked: the search does not depend on timing
            means = model_means(done[i], targets, settings.scale)
            t.set_user_attr("model", {k: (None if np.isnan(v) else float(v)) for k, v in means.items()})
            study.tell(t, distance(means, targets))
            finished.append(t)
            bar.update()
    bar.close()

    table = trials_table(study, ranges)
    # the finalists (the best trials on the search's few seeds, whose distance is noisy) and trial
    # 0 (the scenario as it was, so a fit never ends worse than where it started), evaluated again
    # on fresh seeds: the best there is the fit
    finalists = table.nsmallest(settings.finalists, "distance")
    finalists = pd.concat([finalists, table[(table.trial == 0) & ~table.trial.isin(finalists.trial)]])
    candidates = [{k: float(f"{row[k]:.4g}") for k in ranges} for _, row in finalists.iterrows()]
    check_seeds = [replication_seed(settings.seed + 1, r) for r in range(settings.check_replications)]
    done = {}
    run_points(candidates, check_seeds, base, outputs, done.__setitem__, workers=workers, scheduler=scheduler)
    checked = [distance(model_means(done[i], targets, settings.scale), targets) for i in range(len(candidates))]
    chosen, start = int(np.argmin(checked)), int(np.flatnonzero(finalists.trial.to_numpy() == 0)[0])
    best, fitted = finalists.iloc[chosen], candidates[chosen]
    result = explain(comparison(done[chosen], targets, settings.scale), explanations)
    paired = paired_change(done[start], done[chosen], targets, settings.scale)
    fit_ranges = fitted_ranges(table, ranges, fitted)
    provenance = {
        "targets": str(targets_path), "targets_sha256": targets_hash, "code_version": code_version(),
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "method": f"optuna {optuna.__version__} multivariate TPE (seed {settings.seed}), {len(table)} trials, "
                  f"{settings.replications} replication{'s' if settings.replications > 1 else ''} with common random "
                  f"numbers; the best {settings.finalists} and trial 0 evaluated again on "
                  f"{settings.check_replications} other seeds",
        "scenario": settings.scenario, "scale": settings.scale, "years": [first, last],
        "distance": "mean over the fit targets of the Huber loss of z = (model - value) / tolerance "
                    "(z^2 within the tolerance, 2|z| - 1 beyond)",
        "best_trial": int(best.trial), "best_distance": float(best.distance),
        "check_seeds": check_seeds, "check_distance": checked[chosen],
        "finalists": {int(t): round(d, 4) for t, d in zip(finalists.trial, checked)},
    }
    summary = {**provenance, "parameters": fitted,
               "met": {use: [int(result[result.use == use].met.sum()), int((result.use == use).sum())] for use in USES},
               "unexplained": result.name[~result.met & (result.explanation == "")].tolist()}
    fig = figure(result)
    table.to_csv(out / "trials.csv", index=False)
    result.to_csv(out / "targets_vs_model.csv", index=False)
    fit_ranges.to_csv(out / "fitted_ranges.csv", index=False)
    paired.to_csv(out / "before_after.csv", index=False)
    (out / "summary.json").write_text(json.dumps(summary, indent=1))
    text = report(result, fit_ranges, paired, provenance)
    (out / "report.md").write_text(f"# Calibration\n\n{text}")
    fig.savefig(out / "calibration.png", dpi=110)
    (folder / settings.scenario_out).write_text(scenario_file(fitted, provenance))
    members = ensemble_file(ensemble_members(table, best, ranges), provenance)
    (out / ENSEMBLE_FILE).write_text(members)
    if settings.ensemble_out:
        (folder / settings.ensemble_out).write_text(members)
    result.drop(columns="explanation").to_csv(folder / settings.result, index=False, float_format="%.6g")
    if settings.figure:
        fig.savefig(folder / settings.figure, dpi=110)
    if settings.page:
        page = folder / settings.page
        page.write_text(rewrite_blocks(page.read_text(), {"fit": text}, page))
    return summary


def paired_change(before: pd.DataFrame, after: pd.DataFrame, targets: pd.DataFrame, scale: float) -> pd.DataFrame:
    """What the fit changed: every target with the starting and the fitted values on the same
    seeds; the difference and its 95% interval from the per-seed (paired) differences."""
    b, a = per_seed(before, targets, scale), per_seed(after, targets, scale)
    diff = a - b
    n = len(diff)
    half = stats.t.ppf(0.975, n - 1) * diff.std(ddof=1) / np.sqrt(n)
    mean_b, mean_a = model_means(before, targets, scale), model_means(after, targets, scale)
    t = targets.set_index("name")
    return pd.DataFrame({"use": t.use, "output": t.output, "year": t.year, "observed": t.value, "before": mean_b,
                         "after": mean_a, "difference": mean_a - mean_b, "low": diff.mean() - half,
                         "high": diff.mean() + half}).rename_axis("name").reset_index()


def ensemble_members(table: pd.DataFrame, best: pd.Series, ranges: dict[str, tuple[float, float]]) -> pd.DataFrame:
    """The ensemble: the fit first, then the rest of the best fifth of the trials by distance
    (values rounded as in the scenario file)."""
    rest = best_share(table)
    members = pd.concat([best.to_frame().T, rest[rest.trial != best.trial]])
    members = members[["trial", "distance", *ranges]].astype({"trial": int})
    return members.assign(**{k: members[k].map(lambda v: float(f"{v:.4g}")) for k in ranges})


def ensemble_file(members: pd.DataFrame, provenance: dict[str, Any]) -> str:
    """The ensemble as CSV (``socialsim ensemble --members``), its provenance in the header."""
    p = provenance
    head = ["# The ensemble of fitted parameter sets, written by `socialsim calibrate` (do not edit by hand: rerun it):",
            "# the fit first, then the rest of the best fifth of the trials; `socialsim ensemble` runs a scenario on each.",
            f"# targets: {Path(p['targets']).name}, SHA-256 {p['targets_sha256']}; method: {p['method']}",
            f"# run: scenario {p['scenario']}, scale {p['scale']:g}, years {p['years'][0]}-{p['years'][1]}; "
            f"date: {p['date']}; code version: {p['code_version']}"]
    return "\n".join(head) + "\n" + members.to_csv(index=False, float_format="%.6g")


def trials_table(study: optuna.Study, ranges: dict[str, tuple[float, float]]) -> pd.DataFrame:
    """One row per finished trial: its parameters, distance and every target's model value."""
    rows = [{"trial": t.number, **t.params, "distance": t.value, **t.user_attrs["model"]}
            for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    return pd.DataFrame(rows)


def best_share(table: pd.DataFrame) -> pd.DataFrame:
    """The best fifth of the trials (at least 3): the fitted ranges and the ensemble."""
    return table.nsmallest(max(3, int(np.ceil(BEST_SHARE * len(table)))), "distance")


def fitted_ranges(table: pd.DataFrame, ranges: dict[str, tuple[float, float]], fitted: dict[str, float]) -> pd.DataFrame:
    """Per parameter: the searched range, the fitted value, its range over the best fifth of the
    trials (at least 3), the share of the searched range that covers, the rank correlation of
    the parameter with the distance over all trials, and whether the targets identify it: that
    share at most UNIDENTIFIED and that correlation at least FLAT in size (the sampler crowds
    its later trials near the best, so a narrow range alone can be its doing)."""
    best = best_share(table)
    rows = []
    for name, (lo, hi) in ranges.items():
        low, high = best[name].min(), best[name].max()
        width = (high - low) / (hi - lo)
        rho = stats.spearmanr(table[name], table.distance).statistic if len(table) > 2 else np.nan
        rows.append({"parameter": name, "searched_low": lo, "searched_high": hi, "fitted": fitted[name],
                     "best_low": low, "best_high": high, "share_of_range": width,
                     "rank_correlation_with_distance": rho,
                     "identified": bool(width <= UNIDENTIFIED and abs(rho) >= FLAT)})
    return pd.DataFrame(rows)


def _fmt(value: float) -> str:
    return "" if pd.isna(value) else f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def report(result: pd.DataFrame, fit_ranges: pd.DataFrame, paired: pd.DataFrame, provenance: dict[str, Any]) -> str:
    """The report's Markdown (the ``fit`` block of the calibration page): the run, the fit and
    the validation targets against the model, what the fit changed (paired seeds), the fitted
    ranges."""
    def targets_table(use: str) -> str:
        r = result[result.use == use]
        lines = ["| target | output | year | observed ± tolerance | model | 95% interval | error (tolerances) | met |",
                 "|---|---|---|---|---|---|---|---|"]
        lines += [f"| {t.name} | `{t.output}` | {t.year} | {_fmt(t.value)} ± {_fmt(t.tolerance)} | {_fmt(t.model)} | "
                  f"{_fmt(t.low)}–{_fmt(t.high)} | {t.error:+.2f} | {'yes' if t.met else '**no**'} |"
                  for t in r.itertuples()]
        missed = r[~r.met]
        why = [f"- {t.name}: {t.explanation or '**not explained yet** (add a line to the explanations table)'}"
               for t in missed.itertuples()]
        return (f"{int(r.met.sum())} of {len(r)} within tolerance.\n\n" + "\n".join(lines)
                + ("\n\nWhy the model misses:\n\n" + "\n".join(why) if why else ""))

    params = ["| parameter | searched | fitted | best fifth of the trials | share of the searched range | "
              "rank correlation with the distance | identified |", "|---|---|---|---|---|---|---|"]
    params += [f"| `{p.parameter}` | {p.searched_low:g}–{p.searched_high:g} | {p.fitted:g} | {p.best_low:.3g}–"
               f"{p.best_high:.3g} | {p.share_of_range:.0%} | {p.rank_correlation_with_distance:+.2f} | "
               f"{'yes' if p.identified else '**no**'} |" for p in fit_ranges.itertuples()]
    unidentified = ", ".join(f"`{p}`" for p in fit_ranges[~fit_ranges.identified].parameter) or "none"
    change = ["| target | use | observed | before the fit | fitted | difference (95% interval, paired seeds) |",
              "|---|---|---|---|---|---|"]
    change += [f"| {c.name} | {c.use} | {_fmt(c.observed)} | {_fmt(c.before)} | {_fmt(c.after)} | "
               f"{_fmt(c.difference)} ({_fmt(c.low)} to {_fmt(c.high)}) |" for c in paired.itertuples()]
    p = provenance
    return (f"Fitted by `socialsim calibrate` on {p['date']} (code {p['code_version']}): scenario {p['scenario']}, "
            f"scale {p['scale']:g}, years {p['years'][0]}-{p['years'][1]}; {p['method']}; distance: {p['distance']}. "
            f"Best trial {p['best_trial']} (distance {p['best_distance']:.2f}); the table shows the fitted values "
            f"evaluated again with other seeds ({len(p['check_seeds'])} replications, distance "
            f"{p['check_distance']:.2f}), the interval being that of the mean over those replications. Targets: "
            f"`{Path(p['targets']).name}` (SHA-256 {p['targets_sha256'][:12]}).\n\n"
            f"**Fit targets.** {targets_table('fit')}\n\n"
            f"**Validation targets** (not used in the fit). {targets_table('validation')}\n\n"
            f"**What the fit changed**: the values the fit started from and the fitted values, on the same "
            f"{len(p['check_seeds'])} seeds.\n\n" + "\n".join(change) + "\n\n"
            f"**Fitted parameters.** A parameter whose values over the best fifth of the trials span more than "
            f"{UNIDENTIFIED:.0%} of its searched range, or whose rank correlation with the distance over all "
            f"trials is weaker than {FLAT:g}, is not identified by the targets: {unidentified}.\n\n"
            + "\n".join(params) + "\n")


def figure(result: pd.DataFrame) -> Figure:
    """Each target's error in tolerances with its interval; the band of ±1 is 'met'."""
    fig = Figure(figsize=(7.0, 0.28 * len(result) + 1.2), layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(result))[::-1]
    ax.axvspan(-1, 1, color="0.9", label="within tolerance")
    for use, color in (("fit", "C0"), ("validation", "C1")):
        r = result.use == use
        err = (result.error[r], ((result.model - result.low) / result.tolerance)[r])
        ax.errorbar(err[0], y[r.to_numpy()], xerr=err[1].fillna(0), fmt="o", color=color, label=use, capsize=2)
    ax.set_yticks(y, [f"{n} ({yr})" for n, yr in zip(result.name, result.year)], fontsize=7)
    ax.axvline(0, color="k", lw=0.6)
    ax.set_xlabel("(model - observed) / tolerance")
    ax.legend(fontsize=7, loc="lower right")
    return fig


def scenario_file(fitted: dict[str, float], provenance: dict[str, Any], name: str = "calibrated",
                  base: str = "", note: str = "") -> str:
    """The fitted values as a scenario file (named ``name``, on ``base``), its provenance in the header."""
    p = provenance
    head = ["# Fitted parameters, written by `socialsim calibrate` (do not edit by hand: rerun it).",
            f"# targets: {Path(p['targets']).name}, SHA-256 {p['targets_sha256']}",
            f"# method: {p['method']}; distance {p['distance']}",
            f"# run: scenario {p['scenario']}, scale {p['scale']:g}, years {p['years'][0]}-{p['years'][1]}; "
            f"best trial {p['best_trial']}, distance {p['best_distance']:.3f} (on check seeds {p['check_distance']:.3f})",
            f"# date: {p['date']}; code version: {p['code_version']}",
            *([f"# {note}"] if note else []), "", "[scenario]", f'name = "{name}"',
            'description = "The fitted values of the uncertain parameters; every other parameter at its default"',
            *([f'base = "{base}"'] if base else [])]
    sections: dict[str, list[str]] = {}
    for key, value in fitted.items():
        section, name = key.split(".", 1)
        sections.setdefault(section, []).append(f"{name} = {value!r}")
    for section, lines in sections.items():
        head += ["", f"[{section}]", *lines]
    return "\n".join(head) + "\n"


def rewrite_blocks(page: str, blocks: dict[str, str], where: Path | str = "page") -> str:
    """``page`` with the text between ``<!-- begin calibration: NAME -->`` and ``<!-- end
    calibration: NAME -->`` replaced by ``blocks[NAME]``, for every name."""
    for name, block in blocks.items():
        pattern = re.compile(rf"(<!-- begin calibration: {name} -->\n).*?(<!-- end calibration: {name} -->)", re.S)
        if not pattern.search(page):
            raise ScenarioError(f"{where}: no block '{name}' (<!-- begin calibration: {name} --> ... end)")
        page = pattern.sub(lambda m: m.group(1) + block + m.group(2), page)
    return page
