"""SocialDomainModel: the Mesa model. The monthly step order reads top to bottom in ``step``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mesa
from mesa.agentset import AgentSet
import numpy as np

from . import warm_ups
from .access_team import AccessTeam
from .areas import Area
from .census import Census
from .contractors import Contractors
from .contributions import Contributions
from .costs import Costs
from .dataset import Dataset
from .demography import Demography
from .employment import Employment
from .funding import Municipality
from .headlines import Headlines
from .informal_care import InformalCare
from .labour_market import LabourMarket
from .ledger import Ledger
from .long_term_care import LongTermCare
from .needs import Needs
from .pathway import Pathway
from .population import Population
from .prevention import Prevention
from .process import Clock, Process
from .providers import Providers
from .provisions import Provisions
from .random_streams import Streams
from .recorder import Recorder, WarmUpRecorder
from .scenario import SECTIONS, Scenario, ScenarioError, closest
from .synthesis import synthesise
from .views import HouseholdView, PersonView

# The processes, in step order: this list registers their fields, runs the warm-up and the
# months (see ``process.py`` for the contract, ``docs/architecture.md`` for how to add one).
PROCESSES: tuple[type[Process], ...] = (
    Demography,  # deaths, births, households, migration (not in the warm-up: ages are held)
    Census,  # ages, areas, household sizes for what follows
    Employment,  # work status, job loss
    Needs,  # problems end, escalate, begin
    LongTermCare,  # heavy, lasting needs of the old leave the Wmo for the Wlz
    InformalCare,  # lost carers, strain, respite, derailment
    Pathway,  # household -> own network -> access-team queue
    AccessTeam,  # investigation within capacity, triage
    Providers,  # customised provisions: waiting lists, admissions, staff wanted
    Contractors,  # the lead contractors: hours, exit and general places by scheme; their year end (no step)
    LabourMarket,  # turnover, entrants, hiring (opens after the warm-up)
    Provisions,  # protected living; client counts
    Prevention,  # prevention spending builds up, with a delay (from the start, not in the warm-up)
    Contributions,  # the personal-contribution rules the pathway and costs ask (no step of its own)
    Costs,  # cost by budget line, personal contributions (to the ledger)
    Municipality,  # in December: budgets, payments, surplus, reserve (to the ledger)
)


def _plain_parameter_names() -> dict[str, str]:
    """'fertility_multiplier' -> 'demography.fertility_multiplier' (names are unique)."""
    return {name: f"{section}.{name}" for section, cls in SECTIONS.items() for name in cls.model_fields}


def configured(scenario: Scenario | str | Path | None = None, **parameters: Any) -> Scenario:
    """The scenario a model built as ``SocialDomainModel(scenario, **parameters)`` runs: loaded
    (a name or a path) and with the parameters set, by plain or dotted name."""
    plain = _plain_parameter_names()
    for key in parameters:
        if key not in plain and key not in plain.values() and not key.startswith("areas."):
            raise ScenarioError(f"SocialDomainModel({key}=...): unknown parameter"
                                f"{closest(key, [*plain, *plain.values()])}; see `socialsim params`")
    if not isinstance(scenario, Scenario):
        scenario = Scenario.load(scenario)
    overrides = {plain.get(k, k): v for k, v in parameters.items()}
    return scenario.with_values(overrides) if overrides else scenario


MAX_SEED = 2**63 - 1  # seeds are stored as int64 in the tables


def check_seed(name: str, value: Any, none_allowed: bool = False) -> None:
    """A seed is an integer 0..2**63-1 (``None``, where allowed: a fresh random seed)."""
    if value is None and none_allowed:
        return
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 0 <= value <= MAX_SEED:
        raise ScenarioError(f"{name} = {value!r}: a seed must be an integer 0..{MAX_SEED}"
                            + (" (or None for a random one)" if none_allowed else ""))


class PolicyChange:
    """A dated change of parameters, applied by Mesa's event list before that month's step."""

    def __init__(self, model: "SocialDomainModel", year: int, values: dict[str, Any], note: str):
        self.model, self.year, self.values, self.note = model, year, values, note

    def apply(self) -> None:
        self.model.config = self.model.config.with_values(self.values)
        self.model.applied_policies.append({"year": self.year, "set": self.values, "note": self.note})


class SocialDomainModel(mesa.Model):
    """A municipality's social domain, one month per step, from ``run.start_year`` (1 January)
    through ``run.end_year`` (31 December).

    ``scenario`` is a :class:`Scenario`, a path or a scenario name (see ``Scenario.load``);
    further keyword arguments override parameters by plain name (``fertility_multiplier=1.2``)
    or dotted name (``**{"demography.fertility_multiplier": 1.2}``), so ``mesa.batch_run`` can
    vary them. ``rng`` is the seed, as everywhere in Mesa.
    """

    def __init__(self, scenario: Scenario | str | Path | None = None, *, rng: int | None = None,
                 replication: int = 0, **parameters: Any):
        check_seed("rng", rng, none_allowed=True)
        scenario = configured(scenario, **parameters)
        super().__init__(rng=rng)
        self.config = scenario
        self.initial_config = scenario
        self._cohesion: tuple = (None, None)  # (the configuration it was read from, by area)
        self.seed = int(self._seed)
        self.replication = replication
        self.streams = Streams(self.seed)

        self.dataset = Dataset.load(scenario.run.dataset)
        scenario.check_against(self.dataset)
        self.area_names = self.dataset.area_names
        self.areas = AgentSet(
            [Area(self, i, name) for i, name in enumerate(self.area_names)],
            random=self.random,
        )

        self.start_month = scenario.run.start_year * 12
        self.n_months = (scenario.run.end_year - scenario.run.start_year + 1) * 12
        warm_up = warm_ups.key(scenario, self.seed, self.dataset) if warm_ups.folder() else None
        if warm_up is None or not warm_ups.restore(self, warm_up):
            self._build_and_warm_up(scenario)
            if warm_up is not None:
                warm_ups.store(self, warm_up)
        # what the warm-up does not read (a restored warm-up may come from another end year,
        # other dated policies, another replication)
        self.config = self.initial_config = scenario
        self.replication = replication
        self.n_months = (scenario.run.end_year - scenario.run.start_year + 1) * 12
        self.population.reserve(self.n_months)  # (no change unless restored from a shorter run)
        for process in self.processes:
            process.start(self.clock)
        self.recorder = Recorder(self)
        self.ledger = self._open_ledger()
        self.recorder.snapshot(self.now)

        self.applied_policies: list[dict] = []
        self.timeline = [PolicyChange(self, p.year, p.set, p.note) for p in scenario.policy]
        for change in (c for c in self.timeline if c.year <= scenario.run.end_year):
            # half a time unit before the step of that year's January (step k runs at time k)
            self.schedule_event(change.apply, at=(change.year - scenario.run.start_year) * 12 + 0.5)

        # the headline indicators after each month, by area and in total (headlines.py)
        self.datacollector = mesa.DataCollector(model_reporters=Headlines(self).reporters())
        self.datacollector.collect(self)

    def _build_and_warm_up(self, scenario: Scenario) -> None:
        """The population and the processes, to the end of the warm-up (what ``warm_ups`` keeps)."""
        self.clock = Clock(self.start_month, -scenario.run.warm_up_months)
        person_fields, household_fields = {}, {}
        for process in PROCESSES:
            person_fields.update(process.person_fields)
            household_fields.update(process.household_fields)
        self.population = Population(len(self.area_names), scenario.network.neighbour_slots,
                                     person_fields=person_fields, household_fields=household_fields)
        synthesise(self.population, self.dataset, scenario, self.streams.generator("synthesis"),
                   self.start_month, self.cohesion)
        self.population.reserve(self.n_months)
        # the residents per area the access team and places are sized on, once
        self.start_population = np.bincount(self.population.area_of(self.population.persons.active()),
                                            minlength=len(self.area_names)).astype(float)

        # the warm-up records into a recorder and ledger that are discarded (its recorder counts nothing)
        self.recorder = WarmUpRecorder(self)
        self.ledger = self._open_ledger()
        self.processes: list[Process] = []
        for process in PROCESSES:
            self.processes.append(process(self))
            setattr(self, process.name, self.processes[-1])
        for process in self.processes:
            process.init(self.clock)
        self._warm_up()

    @property
    def cohesion(self) -> np.ndarray:
        """Social cohesion per area index, as the scenario (and its timeline) sets it now (read
        again only when a policy replaces the configuration)."""
        if self._cohesion[0] is not self.config:
            self._cohesion = (self.config, np.array([a.cohesion for a in self.areas]))
        return self._cohesion[1]

    @property
    def now(self) -> int:
        """The clock's absolute month (year * 12 + month0) of the coming step."""
        return self.clock.now

    def _open_ledger(self) -> Ledger:
        reserve = float(self.dataset.meta["funding"]["reserve_start"]) * self.config.run.scale
        return Ledger(len(self.area_names), reserve)

    def _warm_up(self) -> None:
        """Problems, care and queues settle on the start population before the first month
        (the clock runs from ``-run.warm_up_months`` to 0): the model starts with the stock of
        clients and carers it would have, not with none. Only the processes that take part
        (``in_warm_up``) step; ages are held."""
        while self.clock.warm_up:
            for process in self.processes:
                if process.in_warm_up:
                    process.step(self.clock)
            self._end_month()

    def step(self) -> None:
        """One month: each process in the order of PROCESSES, then the month is recorded."""
        for process in self.processes:
            process.step(self.clock)
        self._end_month()
        self.recorder.snapshot(self.now)
        self.datacollector.collect(self)
        if self.clock.month >= self.n_months:
            self.running = False
            for process in self.processes:
                process.finalize(self.clock)

    def _end_month(self) -> None:
        self.recorder.end_month()
        self.ledger.end_month(self.clock)
        self.clock.advance()

    def run(self, progress=None) -> None:
        """Run to the end; ``progress`` is called with the number of months done."""
        while self.running:
            self.step()
            if progress is not None:
                progress(1)

    # --- inspection -------------------------------------------------------------------
    def person(self, pid: int) -> PersonView:
        if not 0 <= pid < self.population.persons.n:
            raise ScenarioError(f"person id {pid} out of range 0..{self.population.persons.n - 1}")
        return PersonView(self, int(pid))

    def household(self, hid: int) -> HouseholdView:
        if not 0 <= hid < self.population.households.n:
            raise ScenarioError(f"household id {hid} out of range 0..{self.population.households.n - 1}")
        return HouseholdView(self, int(hid))

    def yearly(self):
        """One row per year and area for the complete years so far (none before 12 steps:
        an empty table with the same columns)."""
        return self.recorder.yearly_table()

    def monthly(self):
        return self.recorder.monthly_table()
