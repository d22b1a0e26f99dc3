"""Goal-seeking: the cheapest mix of the policy plan's levers that reaches a target.

The levers are those of ``simulation/scenarios/ambition_40.toml`` plus the prevention budget,
each between its baseline value and beyond the plan's level (:data:`LEVERS`), in force from the
first simulated year. A mix's cost is the model's own: care cost (``cost_total_eur``, every
budget line, general provisions and respite included) plus prevention spending
(``prevention_spend_eur``), summed from the start to the target year and scaled to the whole
municipality. Every lever has its price in those lines (``simulation/levers.py``) except the
access team's informal-first referral, whose price is the team's time: longer waits, which the
unmet-need constraint below sees.

optuna's TPE sampler (seeded: the same seed gives the same trials) searches two objectives,
lower cost and a higher indicator (the durable informal share when the model has it, else the
informal share) in the target year, under one constraint: no more unmet need in the target year
than the baseline (the levers at their baseline values, evaluated first). Every trial runs the
same seeds (common random numbers). The answer is the cheapest feasible trial whose indicator
reaches the target; the Pareto front is the set of feasible trials no other feasible trial beats
on both cost and indicator.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import optuna
import pandas as pd
from matplotlib.figure import Figure
from tqdm import tqdm

from .outputs import yearly_columns
from .random_streams import replication_seed
from .scenario import Scenario, ScenarioError
from .experiment import replication_means, run_points
from .summarize import interval

# lever -> (baseline value, upper end searched): from no change to beyond the plan's level
LEVERS: dict[str, tuple[float, float]] = {
    "access_team.informal_first": (0.5, 1.0),
    "informal_care.respite_uptake": (0.1, 0.4),
    "informal_care.volunteer_share": (0.05, 0.1),
    "network.area_network_eur_per_resident": (0.0, 30.0),
    "provisions.general_capacity_multiplier": (1.0, 3.0),
    "signalling.home_help_workers": (0.0, 1.0),
    "prevention.budget_eur_per_resident": (0.0, 100.0),
}
COST = ("cost_total_eur", "prevention_spend_eur")
UNMET = "unmet_need_persons"


def indicator_name() -> str:
    """The durable informal share when the model records it, else the informal share."""
    return "informal_share_durable" if "informal_share_durable" in yearly_columns() else "informal_share"


def trial_values(runs: pd.DataFrame, indicator: str, target_year: int, scale: float) -> pd.DataFrame:
    """Per trial: cost (EUR, whole municipality, start to target year), indicator and unmet need
    in the target year, from the mean over seeds (ratios from summed counts)."""
    means = replication_means(runs[runs.year <= target_year], [indicator, UNMET, *COST], keys=("trial", "year"))
    cost = means[list(COST)].sum(axis=1).groupby(level="trial").sum() / scale
    at = means.xs(target_year, level="year")
    return pd.DataFrame({"cost_eur": cost, indicator: at[indicator], UNMET: at[UNMET] / scale})


def per_seed(runs: pd.DataFrame, indicator: str, target_year: int, scale: float) -> pd.DataFrame:
    """The same three values for every seed of one trial (the spread across replications)."""
    return pd.concat({seed: trial_values(r.assign(trial=0), indicator, target_year, scale).iloc[0]
                      for seed, r in runs.groupby("seed")}, axis=1).T


def pareto_front(trials: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """The feasible trials that no feasible trial beats on both lower cost and higher indicator."""
    ok = trials[trials.feasible].sort_values(["cost_eur", indicator], ascending=[True, False])
    better_than_cheaper = ok[indicator] > ok[indicator].cummax().shift(fill_value=-np.inf)
    return ok[better_than_cheaper]


def optimize(out: Path, *, target: float = 0.40, target_year: int = 2030, scenario: str | Path = "baseline",
             scale: float | None = None, years: tuple[int, int] | None = None, trials: int = 40, seed: int = 1,
             replications: int = 2, workers: int = 1, scheduler: str | None = None,
             quiet: bool = False) -> dict[str, Any]:
    """Search the lever mix into ``out`` (trials, Pareto front, report, figure); returns the answer."""
    if trials < 2 or replications < 1 or workers < 1:
        raise ScenarioError(f"--trials must be at least 2, --replications and --workers at least 1 "
                            f"(got {trials}, {replications}, {workers})")
    base = Scenario.load(scenario)
    if scale is not None:
        base = base.with_values({"run.scale": scale})
    if years is not None:
        base = base.with_values({"run.start_year": years[0], "run.end_year": years[1]})
    if not base.run.start_year <= target_year <= base.run.end_year:
        raise ScenarioError(f"--target-year = {target_year}: outside the simulated years "
                            f"{base.run.start_year}-{base.run.end_year}")
    indicator = indicator_name()
    seeds = [replication_seed(seed, r) for r in range(replications)]
    indicators = [indicator, UNMET, *COST]
    sampler = optuna.samplers.TPESampler(seed=seed, n_startup_trials=min(10, trials // 2))
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(directions=["minimize", "maximize"], sampler=sampler)
    study.enqueue_trial({name: lo for name, (lo, _) in LEVERS.items()})  # trial 0: the baseline
    runs: list[pd.DataFrame] = []
    reference: float | None = None
    bar = tqdm(total=trials, unit="trial", disable=quiet)
    while len(runs) < trials:
        batch = [study.ask() for _ in range(min(workers, trials - len(runs)))]
        mixes = [{name: t.suggest_float(name, lo, hi) for name, (lo, hi) in LEVERS.items()} for t in batch]
        done: dict[int, pd.DataFrame] = {}
        run_points(mixes, seeds, base, indicators, done.__setitem__, workers=workers, scheduler=scheduler)
        for i, t in enumerate(batch):  # told in the order asked, so the search does not depend on timing
            r = done[i].assign(trial=t.number)
            runs.append(r)
            v = trial_values(r, indicator, target_year, base.run.scale).iloc[0]
            reference = v[UNMET] if reference is None else reference
            t.set_constraint("more_unmet_need_than_baseline", float(v[UNMET] - reference))
            study.tell(t, [float(v.cost_eur), float(v[indicator])])
            bar.update()
    bar.close()
    every = pd.concat(runs, ignore_index=True)
    table = trial_values(every, indicator, target_year, base.run.scale)
    levers = pd.DataFrame([t.params for t in study.trials], index=[t.number for t in study.trials])
    table = levers.join(table).rename_axis("trial").reset_index()
    table["feasible"] = table[UNMET] <= table.loc[0, UNMET]
    front = pareto_front(table, indicator)
    table["pareto"] = table.trial.isin(front.trial)
    reaching = table[table.feasible & (table[indicator] >= target)]
    answer = _answer(reaching, table, every, indicator, target, target_year, base, seeds)
    _write(out, table, front, every, answer, indicator)
    return answer


def _answer(reaching: pd.DataFrame, table: pd.DataFrame, every: pd.DataFrame, indicator: str, target: float,
            target_year: int, base: Scenario, seeds: Sequence[int]) -> dict[str, Any]:
    reached = not reaching.empty
    best = reaching.nsmallest(1, "cost_eur").iloc[0] if reached else \
        table[table.feasible].nlargest(1, indicator).iloc[0]
    spread = per_seed(every[every.trial == best.trial], indicator, target_year, base.run.scale).assign(trial=best.trial)
    bounds = interval(spread, ["trial"], ["cost_eur", indicator]).set_index("indicator")[["low", "high"]]
    baseline = table.iloc[0]
    return {
        "reached": reached, "indicator": indicator, "target": target, "target_year": target_year,
        "scenario": base.scenario.name, "scale": base.run.scale, "years": [base.run.start_year, base.run.end_year],
        "seeds": list(seeds), "trial": int(best.trial), "mix": {name: float(best[name]) for name in LEVERS},
        "cost_eur": float(best.cost_eur), "cost_eur_interval": bounds.loc["cost_eur"].tolist(),
        indicator: float(best[indicator]), f"{indicator}_interval": bounds.loc[indicator].tolist(),
        UNMET: float(best[UNMET]), "baseline": {"cost_eur": float(baseline.cost_eur),
                                                indicator: float(baseline[indicator]), UNMET: float(baseline[UNMET])},
    }


def figure(table: pd.DataFrame, front: pd.DataFrame, answer: dict[str, Any]) -> Figure:
    """Cost against the indicator for every trial; the Pareto front, the target and the answer."""
    indicator = answer["indicator"]
    fig = Figure(figsize=(6.4, 4.4), layout="constrained")
    ax = fig.subplots()
    for feasible, style in ((True, {"color": "C0", "label": "trial"}),
                            (False, {"color": "0.7", "label": "more unmet need than the baseline"})):
        t = table[table.feasible == feasible]
        ax.scatter(t.cost_eur / 1e6, t[indicator], s=14, **style)
    ax.step(front.cost_eur / 1e6, front[indicator], where="post", color="C1", label="Pareto front")
    ax.axhline(answer["target"], color="C3", ls="--", lw=0.8, label=f"target {answer['target']:g}")
    base = answer["baseline"]
    ax.scatter([base["cost_eur"] / 1e6], [base[indicator]], marker="s", color="k", label="baseline", zorder=3)
    ax.scatter([answer["cost_eur"] / 1e6], [answer[indicator]], marker="*", s=140, color="C3", zorder=3,
               label="cheapest reaching the target" if answer["reached"] else "closest to the target")
    ax.set_xlabel(f"cost {answer['years'][0]}-{answer['target_year']}, care + prevention (EUR million)")
    ax.set_ylabel(f"{indicator} {answer['target_year']}")
    ax.legend(fontsize=7)
    return fig


def report(answer: dict[str, Any], front: pd.DataFrame) -> str:
    """A short Markdown report: the mix, its cost and indicator with intervals, the front."""
    ind, (lo, hi), (clo, chi) = answer["indicator"], answer[f"{answer['indicator']}_interval"], answer["cost_eur_interval"]
    head = (f"Cheapest mix reaching {ind} >= {answer['target']:g} in {answer['target_year']}"
            if answer["reached"] else f"No mix tried reached {ind} >= {answer['target']:g} in "
            f"{answer['target_year']}; the feasible mix closest to it")
    mix = "\n".join(f"| {k} | {LEVERS[k][0]:g} | {v:.3g} |" for k, v in answer["mix"].items())
    base = answer["baseline"]
    return (f"# Goal-seeking, scenario {answer['scenario']} (scale {answer['scale']:g}, "
            f"{len(answer['seeds'])} replications, common random numbers)\n\n## {head}\n\n"
            f"| lever | baseline | mix |\n|---|---|---|\n{mix}\n\n"
            f"- {ind} {answer['target_year']}: {answer[ind]:.3f} (95% interval across replications {lo:.3f}-{hi:.3f}); "
            f"baseline {base[ind]:.3f}\n"
            f"- cost {answer['years'][0]}-{answer['target_year']} (care + prevention, whole municipality): "
            f"EUR {answer['cost_eur'] / 1e6:,.1f}M ({clo / 1e6:,.1f}-{chi / 1e6:,.1f}M); baseline "
            f"EUR {base['cost_eur'] / 1e6:,.1f}M\n"
            f"- unmet need {answer['target_year']}: {answer[UNMET]:,.0f} persons (baseline {base[UNMET]:,.0f})\n\n"
            f"## Pareto front (cost against {ind})\n\n"
            + front.drop(columns=["feasible"]).to_markdown(index=False, floatfmt=".4g") + "\n")


def _write(out: Path, table: pd.DataFrame, front: pd.DataFrame, runs: pd.DataFrame, answer: dict[str, Any],
           indicator: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "trials.csv", index=False)
    table.to_parquet(out / "trials.parquet", index=False)
    front.to_csv(out / "pareto.csv", index=False)
    runs.to_parquet(out / "runs.parquet", index=False)
    (out / "best.json").write_text(json.dumps(answer, indent=1))
    (out / "report.md").write_text(report(answer, front))
    figure(table, front, answer).savefig(out / "optimize.png", dpi=110)
