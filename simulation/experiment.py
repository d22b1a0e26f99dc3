"""What the analyses and the headline experiments share: design points run with the same seeds
(common random numbers) on the sweep engine's executors (a local process pool, or a Dask cluster),
their means over replications, summaries per variant and year with 95% intervals, lines with
bands, and Markdown reports.

A variant of an experiment is a scenario (name or path) and parameters set from its first year;
its replications are seeds ``replication_seed(seed, r)``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from .dataset import Dataset
from .outputs import RATIO_PARTS, ratio
from .random_streams import replication_seed
from .scenario import Scenario, ScenarioError
from .summarize import interval
from .sweep import Run, code_version, dask_results, local_results

Variants = Mapping[str, tuple[str, Mapping[str, Any]]]


def options(doc: str, name: str, scale: float = 0.1, replications: int = 3, years: tuple[int, int] = (2016, 2040),
            extra: Callable[[argparse.ArgumentParser], None] | None = None) -> argparse.Namespace:
    """The command line every experiment script takes (quick defaults; ``extra`` adds its own), parsed."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    if extra is not None:
        extra(parser)
    parser.add_argument("--scale", type=float, default=scale, help=f"population scale (default {scale})")
    parser.add_argument("--replications", type=int, default=replications,
                        help=f"seeds per variant, common to all variants (default {replications})")
    parser.add_argument("--years", nargs=2, type=int, default=list(years), metavar=("START", "END"),
                        help=f"simulated years (default {years[0]} {years[1]})")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=1, help="parallel worker processes")
    parser.add_argument("--warm-up-months", type=int, default=None, metavar="MONTHS",
                        help="run.warm_up_months of every variant (default: each scenario's own); a short "
                             "warm-up leaves the stocks unsettled, for smoke tests of a script")
    parser.add_argument("--out", type=Path, default=Path("results/experiments") / name)
    args = parser.parse_args()
    if args.replications < 1 or args.workers < 1:
        parser.error("--replications and --workers must be at least 1")
    return args


def run_settings(args: argparse.Namespace) -> dict[str, Any]:
    """``run_variants``'s keywords from the shared options (``options``): scale, years,
    replications, seed, workers and warm-up, as every headline experiment passes them."""
    return dict(scale=args.scale, years=args.years, replications=args.replications, seed=args.seed,
                workers=args.workers, warm_up_months=args.warm_up_months)

def run_points(points: Sequence[Mapping[str, Any]], seeds: Sequence[int], scenario: Scenario,
               indicators: Sequence[str], done: Callable[[int, pd.DataFrame], None], *, workers: int = 1,
               scheduler: str | None = None, skip: set[int] | frozenset[int] = frozenset()) -> None:
    """Run every point (parameters over ``scenario``) with every seed on the sweep engine's
    executor; ``done(point, runs)`` receives each point's runs (all seeds) once they are all in.
    Points in ``skip`` are not run (a resumed analysis). A failed run stops everything: an analysis
    needs every point."""
    from .compilation import warm_kernels

    todo = [Run(f"{i}-{r}", i, r, int(seed), dict(p)) for i, p in enumerate(points) if i not in skip
            for r, seed in enumerate(seeds)]
    if not todo:
        return
    warm_kernels(quiet=True)  # once here, not in every worker
    identity = {"code_version": code_version(), "dataset_hash": Dataset.load(scenario.run.dataset).content_hash}
    args = (scenario.model_dump_json(), list(indicators), identity)
    results = dask_results(todo, args, scheduler) if scheduler else local_results(todo, args, workers)
    point_of = {run.key: run.point for run in todo}
    waiting: dict[int, list[pd.DataFrame]] = {}
    try:
        for result in results:
            point = point_of[result["key"]]
            if result["status"] != "done":
                raise ScenarioError(f"design point {point} ({dict(points[point])}): {result['error']}")
            waiting.setdefault(point, []).append(result["table"])
            if len(waiting[point]) == len(seeds):
                done(point, pd.concat(waiting.pop(point), ignore_index=True).sort_values(["seed", "year", "area"]))
    finally:
        results.close()


def replication_means(runs: pd.DataFrame, outputs: Sequence[str], keys: Sequence[str] = ("point", "year")) -> pd.DataFrame:
    """The municipality's outputs per ``keys``, averaged over seeds; ratios from summed counts."""
    total = runs[runs.area == "total"].drop(columns=["area", "seed"])
    grouped = total.groupby(list(keys))
    sums, means = grouped.sum(), grouped.mean()
    for name in outputs:
        if name in RATIO_PARTS:
            means[name] = ratio(sums, name)
    return means[list(outputs)]


def run_variants(variants: Variants, indicators: Sequence[str], *, scale: float, years: Sequence[int],
                 replications: int, seed: int = 1, workers: int = 1,
                 warm_up_months: int | None = None) -> pd.DataFrame:
    """Every variant with the same seeds; the tidy runs with a ``variant`` column. ``warm_up_months``
    (None: each scenario's own) sets every variant's ``run.warm_up_months``."""
    seeds = [replication_seed(seed, r) for r in range(replications)]
    names = list(variants)
    run = {"run.scale": scale, "run.start_year": years[0], "run.end_year": years[1]}
    if warm_up_months is not None:
        run["run.warm_up_months"] = warm_up_months
    tables: list[pd.DataFrame] = []
    for scenario in dict.fromkeys(sc for sc, _ in variants.values()):  # one executor pass per scenario
        try:
            base = Scenario.load(scenario).with_values(run)
        except ScenarioError as e:
            raise SystemExit(f"error: scenario {scenario!r}: {e}") from None
        mine = [name for name in names if variants[name][0] == scenario]
        run_points([variants[name][1] for name in mine], seeds, base, indicators,
                   lambda i, runs: tables.append(runs.assign(variant=mine[i])), workers=workers)
    out = pd.concat(tables, ignore_index=True)
    out.insert(0, "variant", pd.Categorical(out.pop("variant"), categories=names))
    return out.sort_values(["variant", "seed", "year", "area"], ignore_index=True)


def summary(runs: pd.DataFrame, indicators: Sequence[str], scale: float) -> pd.DataFrame:
    """The municipality per variant, year and indicator: mean, low, high (95%) across replications.
    Counts and amounts are scaled to the whole municipality; ratios are not."""
    total = runs[runs.area == "total"]
    s = interval(total, ["variant", "year"], indicators)
    counts = ~s.indicator.isin(list(RATIO_PARTS))
    s.loc[counts, ["mean", "low", "high"]] /= scale
    return s


def lines(s: pd.DataFrame, indicators: Sequence[str], title: str, refs: Mapping[str, float] | None = None) -> Figure:
    """One panel per indicator: a line per variant with its 95% band; optional reference lines."""
    cols = min(3, len(indicators))
    rows = -(-len(indicators) // cols)
    fig = Figure(figsize=(4.6 * cols, 3.3 * rows), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax, name in zip(axes, indicators):
        t = s[s.indicator == name]
        for i, (variant, v) in enumerate(t.groupby("variant", observed=True, sort=False)):
            ax.plot(v.year, v["mean"], color=f"C{i}", lw=1.4, label=str(variant))
            ax.fill_between(v.year, v.low, v.high, color=f"C{i}", alpha=0.2, lw=0)
        if refs and name in refs:
            ax.axhline(refs[name], color="k", ls="--", lw=0.8)
        ax.set_title(name, fontsize=9)
        ax.set_xlabel("year")
    for ax in axes[len(indicators):]:
        ax.set_visible(False)
    axes[0].legend(fontsize=7)
    fig.suptitle(title, fontsize=10)
    return fig


def report_years(years: Sequence[int], wanted: Sequence[int]) -> list[int]:
    """The ``wanted`` years inside the simulated ``years`` (start, end), and the last year."""
    return sorted({y for y in wanted if years[0] <= y <= years[1]} | {years[1]})


def at_years(s: pd.DataFrame, years: Sequence[int], indicators: Sequence[str]) -> pd.DataFrame:
    """A wide table for the report: per variant, 'mean (low-high)' of each indicator and year."""
    t = s[s.year.isin(years) & s.indicator.isin(indicators)].copy()
    t["value"] = [fmt(m, lo, hi) for m, lo, hi in zip(t["mean"], t.low, t.high)]
    wide = t.pivot_table(index="variant", columns=["indicator", "year"], values="value", aggfunc="first",
                         observed=True)
    wide.columns = [f"{i} {y}" for i, y in wide.columns]
    return wide[[f"{i} {y}" for i in indicators for y in years if f"{i} {y}" in wide.columns]]


def fmt(mean: float, lo: float, hi: float) -> str:
    """'0.312 (0.301-0.323)'; amounts of a million or more in millions ('88.5M (80.1-96.9M)')."""
    unit, div, digits = ("M", 1e6, ",.1f") if abs(mean) >= 1e6 else ("", 1, ".3f" if abs(mean) < 10 else ",.0f")
    text = f"{mean / div:{digits}}"
    return text + unit if pd.isna(lo) else f"{text} ({lo / div:{digits}} to {hi / div:{digits}}{unit})"


def write(out: Path, name: str, runs: pd.DataFrame, s: pd.DataFrame, figures: Mapping[str, Figure],
          report: str) -> None:
    """``runs.parquet``, ``summary.csv``, the figures (PNG) and ``report.md`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    runs.to_parquet(out / "runs.parquet", index=False)
    s.to_csv(out / "summary.csv", index=False)
    for file, fig in figures.items():
        fig.savefig(out / f"{file}.png", dpi=110)
    (out / "report.md").write_text(report)
    print(f"wrote {out}/report.md, summary.csv, runs.parquet, " + ", ".join(f"{f}.png" for f in figures))


def header(title: str, args: argparse.Namespace, question: str) -> str:
    """The report's first lines: what was run, at what scale, with how many replications."""
    warm_up = "" if args.warm_up_months is None else f", a warm-up of {args.warm_up_months} months"
    return (f"# {title}\n\n{question}\n\nScale {args.scale:g} (counts and money scaled to the whole municipality), "
            f"{args.years[0]}-{args.years[1]}{warm_up}, {args.replications} replications with common random numbers "
            f"(seed {args.seed}); values are means with 95% intervals across replications in brackets.\n")
