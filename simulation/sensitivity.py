"""Global sensitivity analysis of the headline outputs: Morris screening and Sobol indices (SALib).

The parameters vary over their plausible ranges (``plausible`` in the scenario fields, see
:func:`simulation.scenario.plausible_ranges`); every design point is run with the same seeds
(common random numbers), and its output is the mean over those replications (ratios from summed
counts), so differences between points are the parameters', not noise. ``socialsim sensitivity``
writes the design, every run, a table of indices (CSV, Parquet, Markdown) and a figure.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from tqdm import tqdm
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from .experiment import replication_means, run_points
from .outputs import RATIO_PARTS, yearly_columns
from .random_streams import replication_seed
from .scenario import Scenario, ScenarioError, plausible_ranges
from .sweep import code_version

Method = Literal["morris", "sobol"]

# the headline outputs; every informal-share variant among the yearly columns joins them
OUTPUTS: tuple[str, ...] = ("cost_total_eur", "unmet_need_persons", "carers_heavily_burdened")
AT_YEARS: tuple[int, ...] = (2030, 2040)
MORRIS_LEVELS = 4  # grid levels per parameter; 4 with a jump of 2 levels is SALib's and Saltelli's advice


def headline_outputs() -> list[str]:
    """``informal_share`` and its variants (e.g. a durable share), then the other headline outputs."""
    return [c for c in yearly_columns() if c.startswith("informal_share")] + list(OUTPUTS)


def problem(parameters: Sequence[str] | None = None, group: str | None = None) -> dict[str, Any]:
    """A SALib problem over ``parameters`` (dotted names), or every parameter with a plausible
    range (of one section, ``group``)."""
    ranges = plausible_ranges(group)
    if parameters:
        every = plausible_ranges()
        unknown = [p for p in parameters if p not in every]
        if unknown:
            raise ScenarioError(f"--parameters: {unknown[0]!r} has no plausible range; allowed: "
                                f"{', '.join(every)} (see socialsim params)")
        ranges = {p: every[p] for p in parameters}
    if len(ranges) < 2:
        raise ScenarioError(f"parameters: {len(ranges)} given; a sensitivity analysis needs at least 2")
    return {"num_vars": len(ranges), "names": list(ranges), "bounds": [list(b) for b in ranges.values()]}


def design(method: Method, prob: dict[str, Any], n: int, seed: int) -> np.ndarray:
    """Design points, one row each: ``n`` Morris trajectories (n * (D + 1) points) or a Sobol
    (Saltelli) sample of base size ``n`` (a power of 2; n * (D + 2) points, first-order and total
    indices only)."""
    if method == "morris":
        return morris_sample.sample(prob, N=n, num_levels=MORRIS_LEVELS, seed=seed)
    if n & (n - 1):
        raise ScenarioError(f"--n = {n}: a Sobol sample needs a power of 2 (e.g. {1 << max(n.bit_length() - 1, 1)})")
    return sobol_sample.sample(prob, N=n, calc_second_order=False, seed=seed)


def indices(method: Method, prob: dict[str, Any], x: np.ndarray, y: np.ndarray, seed: int) -> pd.DataFrame:
    """One row per parameter: Morris mu, mu*, its 95% interval half-width and sigma, or Sobol S1
    and ST with their 95% interval half-widths (bootstrap)."""
    if method == "morris":
        r = morris_analyze.analyze(prob, x, y, num_levels=MORRIS_LEVELS, conf_level=0.95, seed=seed)
        cols = ["mu", "mu_star", "mu_star_conf", "sigma"]
    else:
        r = sobol_analyze.analyze(prob, y, calc_second_order=False, conf_level=0.95, seed=seed)
        cols = ["S1", "S1_conf", "ST", "ST_conf"]
    return pd.DataFrame({"parameter": prob["names"], **{c: np.asarray(r[c], dtype=float) for c in cols}})


def analyse(method: Method, prob: dict[str, Any], x: np.ndarray, means: pd.DataFrame,
            at: Sequence[int], seed: int) -> tuple[pd.DataFrame, list[str]]:
    """Indices for every output and year in ``at``; outputs undefined at some point (a ratio
    with nothing to divide, e.g. at a tiny scale) are skipped and named in the second value."""
    tables, skipped = [], []
    for name in means.columns:
        for year in at:
            y = means.xs(year, level="year")[name].reindex(range(len(x))).to_numpy(dtype=float)
            if not np.isfinite(y).all():
                skipped.append(f"{name} {year}")
                continue
            t = indices(method, prob, x, y, seed)
            t.insert(0, "year", year)
            t.insert(0, "output", name)
            tables.append(t)
    if not tables:
        raise ScenarioError(f"no output is defined at every design point in {', '.join(map(str, at))}; "
                            "choose --at within the run's years or a larger --scale")
    return pd.concat(tables, ignore_index=True), skipped


def figure(method: Method, table: pd.DataFrame, top: int = 8) -> Figure:
    """Morris: mu* against sigma per output, the ``top`` parameters labelled. Sobol: S1 and ST
    with 95% intervals for the ``top`` parameters by ST, per output."""
    panels = list(table.groupby(["output", "year"], sort=False))
    cols = min(3, len(panels))
    rows = -(-len(panels) // cols)
    fig = Figure(figsize=(5.2 * cols, 3.9 * rows), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax, ((output, year), t) in zip(axes, panels):
        if method == "morris":
            ax.errorbar(t.mu_star, t.sigma, xerr=t.mu_star_conf, fmt="o", ms=4, alpha=0.8, elinewidth=0.8)
            for _, r in t.nlargest(top, "mu_star").iterrows():
                ax.annotate(r.parameter.split(".", 1)[1], (r.mu_star, r.sigma), fontsize=7,
                            xytext=(3, 2), textcoords="offset points")
            ax.set_xlabel("mu* (mean |elementary effect|)")
            ax.set_ylabel("sigma (interaction / non-linearity)")
        else:
            t = t.nlargest(top, "ST").iloc[::-1]
            pos = np.arange(len(t))
            ax.barh(pos + 0.2, t.ST, 0.4, xerr=t.ST_conf, label="ST (total)")
            ax.barh(pos - 0.2, t.S1, 0.4, xerr=t.S1_conf, label="S1 (first order)")
            ax.set_yticks(pos, [p.split(".", 1)[1] for p in t.parameter], fontsize=7)
            ax.set_xlabel("Sobol index (95% interval)")
            ax.legend(fontsize=7)
        ax.set_title(f"{output} {year}", fontsize=9)
    for ax in axes[len(panels):]:
        ax.set_visible(False)
    return fig


def markdown(table: pd.DataFrame, method: Method) -> str:
    """The indices as Markdown, one table per output and year, most influential first."""
    key = "mu_star" if method == "morris" else "ST"
    parts = []
    for (output, year), t in table.groupby(["output", "year"], sort=False):
        t = t.drop(columns=["method", "output", "year"], errors="ignore").sort_values(key, ascending=False)
        parts.append(f"### {output} {year}\n\n" + t.to_markdown(index=False, floatfmt=".4g"))
    return "\n\n".join(parts) + "\n"


def sensitivity(out: Path, *, method: Method = "morris", n: int = 10, parameters: Sequence[str] | None = None,
                group: str | None = None, scenario: str | Path = "baseline", scale: float | None = None,
                years: tuple[int, int] | None = None, at: Sequence[int] = AT_YEARS, seed: int = 1,
                replications: int = 2, workers: int = 1, scheduler: str | None = None,
                quiet: bool = False) -> pd.DataFrame:
    """Run a Morris or Sobol design into ``out`` and return the table of indices.

    Resumes: design points whose runs are already in ``out/runs.parquet`` (same design, settings
    and code) are not run again; the file is brought up to date as points finish."""
    if replications < 1 or workers < 1 or n < 1:
        raise ScenarioError(f"--replications, --workers and --n must be at least 1 (got {replications}, {workers}, {n})")
    values = {"run.scale": scale} if scale is not None else {}
    if years is not None:
        values |= {"run.start_year": years[0], "run.end_year": years[1]}
    base = Scenario.load(scenario, values)
    prob = problem(parameters, group)
    x = design(method, prob, n, seed)
    points = [dict(zip(prob["names"], map(float, row))) for row in x]
    seeds = [replication_seed(seed, r) for r in range(replications)]
    outputs = headline_outputs()
    settings = {"method": method, "n": n, "seed": seed, "seeds": seeds, "scenario": base.model_dump(mode="json"),
                "problem": prob, "outputs": outputs, "code_version": code_version()}
    out.mkdir(parents=True, exist_ok=True)
    runs_path, settings_path = out / "runs.parquet", out / "design.json"
    previous = json.loads(settings_path.read_text()) if settings_path.exists() else None
    kept = [pd.read_parquet(runs_path)] if previous == settings and runs_path.exists() else []
    settings_path.write_text(json.dumps(settings, indent=1))
    done_points = set(kept[0].point) if kept else set()
    if not quiet:
        print(f"{method}: {len(x)} design points x {replications} replications = {len(x) * replications} runs"
              f" ({len(done_points)} points already done)")
    bar = tqdm(total=len(x), initial=len(done_points), unit="point", disable=quiet)

    def keep(point: int, runs: pd.DataFrame) -> None:
        kept.append(runs.assign(point=point))
        if len(kept) % workers == 0:  # a killed analysis resumes from here
            pd.concat(kept, ignore_index=True).to_parquet(runs_path, index=False)
        bar.update()

    run_points(points, seeds, base, outputs, keep, workers=workers, scheduler=scheduler, skip=done_points)
    bar.close()
    runs = pd.concat(kept, ignore_index=True).sort_values(["point", "seed", "year", "area"], ignore_index=True)
    runs.to_parquet(runs_path, index=False)
    pd.DataFrame(x, columns=prob["names"]).rename_axis("point").reset_index().to_parquet(out / "design.parquet", index=False)

    means = replication_means(runs, outputs)
    counts = [name for name in outputs if name not in RATIO_PARTS]
    means[counts] /= base.run.scale  # effects on counts and money for the whole municipality
    table, skipped = analyse(method, prob, x, means, at, seed)
    table.insert(0, "method", method)
    table.to_csv(out / "indices.csv", index=False)
    table.to_parquet(out / "indices.parquet", index=False)
    note = f"; not defined at every point, skipped: {', '.join(skipped)}" if skipped else ""
    (out / "indices.md").write_text(
        f"# {method.capitalize()} indices, scenario {base.scenario.name}\n\n{len(x)} design points x "
        f"{replications} replications (common random numbers), scale {base.run.scale:g} (counts and money "
        f"for the whole municipality), {base.run.start_year}-{base.run.end_year}{note}.\n\n"
        + markdown(table, method))
    figure(method, table).savefig(out / "sensitivity.png", dpi=110)
    return table

