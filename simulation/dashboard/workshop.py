"""A workshop run: a named scenario, the plan's levers as a workshop moves them, and a quick
run setting (a small proportional sample, a few replications, to a near horizon) -> the tidy
yearly table of all replications.

The levers are scenario parameters (``socialsim params``). A lever left at the scenario's own
value keeps the scenario's dated changes of it (``[[policy]]``); a lever that is moved applies
from the first year and replaces those dated changes, so what the workshop sees is what it set.
Replication ``r`` of every run uses the model seed ``replication_seed(seed, r)``, as
``socialsim run --seed`` does: two runs that differ only in a lever differ only by that lever
(common random numbers), not by noise, and ``socialsim run`` reproduces a workshop run exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import pandas as pd

from ..random_streams import replication_seed
from ..runner import run_replication
from ..scenario import SCENARIO_DIR, SECTIONS, USER_SCENARIO_DIR, Scenario, ScenarioError


@dataclass(frozen=True)
class Lever:
    """A scenario parameter on a slider. The slider shows ``value * display`` (e.g. percent)."""

    key: str
    low: float
    high: float
    step: float
    display: float = 1.0
    choices: tuple[str, ...] = ()  # a choice lever (no slider)

    @property
    def info(self):
        section, name = self.key.split(".")
        return SECTIONS[section].model_fields[name]

    def to_slider(self, value: Any) -> Any:
        return value if self.choices else round(float(value) * self.display, 6)

    def from_slider(self, shown: Any) -> Any:
        return shown if self.choices else round(float(shown) / self.display, 9)


# the policy plan's levers, in workshop ranges inside each parameter's allowed range
LEVERS = [
    Lever("prevention.budget_eur_per_resident", 0.0, 100.0, 5.0),
    Lever("access_team.informal_first", 0.0, 1.0, 0.05, display=100),
    Lever("informal_care.respite_uptake", 0.0, 0.5, 0.01, display=100),
    Lever("informal_care.volunteer_share", 0.0, 0.15, 0.005, display=100),
    Lever("access_team.staff_multiplier", 0.25, 3.0, 0.05),
    Lever("labour_market.supply_growth", -0.05, 0.05, 0.005, display=100),
    Lever("funding.scheme", 0, 0, 0, choices=("population", "fee_for_service", "shared_savings")),
]
LEVER_BY_KEY = {lever.key: lever for lever in LEVERS}

SCALES = (0.02, 0.05, 0.1)
DEFAULT_SCALE = 0.1  # a run costs about 3.7 s of one core (0.05: 3.0 s), mostly fixed costs
DEFAULT_REPLICATIONS = 3
DEFAULT_END_YEAR = 2035


def scenario_names() -> list[str]:
    """The named scenarios and the project's own (experiments/scenarios, from where it is started)."""
    return sorted({p.stem for folder in (USER_SCENARIO_DIR, SCENARIO_DIR) for p in folder.glob("*.toml")})


def lever_values(scenario: Scenario) -> dict[str, Any]:
    """The levers' values in the scenario at its start."""
    flat = scenario.flat()
    return {lever.key: flat[lever.key] for lever in LEVERS}


def lever_timeline(scenario: Scenario, key: str) -> list[tuple[int, Any]]:
    """The scenario's own dated changes of a lever: [(year, value), ...]."""
    return sorted((p.year, p.set[key]) for p in scenario.policy if key in p.set)


def with_levers(scenario: Scenario, levers: dict[str, Any]) -> Scenario:
    """The scenario with the moved levers applied from the first year (see the module doc)."""
    unknown = sorted(set(levers) - set(LEVER_BY_KEY))
    if unknown:
        raise ScenarioError(f"lever {unknown[0]!r}: not a workshop lever; allowed: {', '.join(LEVER_BY_KEY)}")
    start = lever_values(scenario)
    moved = {key: value for key, value in levers.items() if value != start[key]}
    if not moved:
        return scenario
    data = scenario.model_dump()
    for policy in data["policy"]:
        policy["set"] = {k: v for k, v in policy["set"].items() if k not in moved}
    data["policy"] = [p for p in data["policy"] if p["set"]]
    for key, value in moved.items():
        section, name = key.split(".")
        data[section][name] = value
    return Scenario.from_dict(data)


def workshop_scenario(name: str, levers: dict[str, Any] | None = None, scale: float = DEFAULT_SCALE,
                      end_year: int = DEFAULT_END_YEAR) -> Scenario:
    """A named scenario at the workshop's scale and horizon, with the levers applied."""
    scenario = Scenario.load(name, {"run.scale": scale, "run.end_year": end_year})
    return with_levers(scenario, levers or {})


def run_workshop(scenario: Scenario, replications: int = DEFAULT_REPLICATIONS, seed: int = 1,
                 progress: Callable[[int, int], None] | None = None) -> pd.DataFrame:
    """Run the replications one after another (2 cores are shared in a meeting room; the
    numba kernels keep one run to a few seconds) and return their yearly tables, with the
    dashboard's two derived indicators."""
    if replications < 1:
        raise ScenarioError(f"replications = {replications}: must be at least 1")
    tables = []
    for r in range(replications):
        if progress is not None:
            progress(r, replications)
        yearly, _, _ = run_replication(scenario, replication_seed(seed, r), r)
        tables.append(yearly)
    if progress is not None:
        progress(replications, replications)
    yearly = pd.concat(tables, ignore_index=True)
    yearly["unmet_need_per_1000"] = 1000 * yearly.unmet_need_persons / yearly.population.where(yearly.population > 0)
    yearly["cost_vs_budget"] = yearly.cost_total_eur / yearly.budget_eur.where(yearly.budget_eur > 0)
    return yearly


def results_csv(yearly: pd.DataFrame, scenario: Scenario) -> bytes:
    """The current results as plain CSV (opens in a spreadsheet), with the sample's scale as
    a column: at scale 0.1 the counts are those of a 10% sample."""
    return yearly.assign(scale=scenario.run.scale).to_csv(index=False).encode()


def csv_filename(scenario: Scenario) -> str:
    run = scenario.run
    return f"socialsim_{scenario.scenario.name}_scale{run.scale:g}_{run.start_year}-{run.end_year}.csv"
