"""SocialDomainModel: the Mesa model. The monthly step order reads top to bottom in ``step``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mesa
from mesa.agentset import AgentSet
import numpy as np

from .access_team import AccessTeam
from .areas import Area
from .dataset import Dataset
from .demography import Demography
from .employment import Employment
from .informal_care import InformalCare
from .contributions import Contributions
from .costs import Costs
from .funding import Municipality
from .labour_market import LabourMarket
from .needs import Needs
from .outputs import Recorder
from .pathway import Pathway
from .population import Population
from .prevention import Prevention
from .providers import Providers
from .provisions import Provisions
from .random_streams import Streams
from .scenario import SECTIONS, Scenario, ScenarioError, closest
from .synthesis import synthesise
from .views import HouseholdView, PersonView


def _plain_parameter_names() -> dict[str, str]:
    """'fertility_multiplier' -> 'demography.fertility_multiplier' (names are unique)."""
    return {name: f"{section}.{name}" for section, cls in SECTIONS.items() for name in cls.model_fields}


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
        plain = _plain_parameter_names()
        for key in parameters:
            if key not in plain and key not in plain.values() and not key.startswith("areas."):
                raise ScenarioError(f"SocialDomainModel({key}=...): unknown parameter"
                                    f"{closest(key, [*plain, *plain.values()])}; see `socialsim params`")
        super().__init__(rng=rng)
        overrides = {plain.get(k, k): v for k, v in parameters.items()}
        if not isinstance(scenario, Scenario):
            scenario = Scenario.load(scenario)
        if overrides:
            scenario = scenario.with_values(overrides)
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
        self.month = 0  # months since the start
        self.warm_up_month: int | None = None  # during the warm-up: its (negative) month
        person_fields = {}
        for process in (Demography, Employment, Needs, InformalCare, Pathway, Providers):
            person_fields.update(process.person_fields)
        self.population = Population(len(self.area_names), scenario.network.neighbour_slots,
                                     person_fields=person_fields, household_fields=Demography.household_fields)
        synthesise(self.population, self.dataset, scenario, self.streams.generator("synthesis"),
                   self.start_month, self.cohesion)
        self.population.reserve(self.n_months)
        start_population = np.bincount(self.population.area_of(self.population.persons.active()),
                                       minlength=len(self.area_names)).astype(float)

        # processes, in step order
        self.recorder = Recorder(self)  # (the warm-up records into a recorder that is discarded)
        self.demography = Demography(self)
        self.employment = Employment(self)
        self.needs = Needs(self)
        self.informal_care = InformalCare(self)
        self.pathway = Pathway(self)
        self.access_team = AccessTeam(self, start_population)
        self.providers = Providers(self)
        self.labour_market = LabourMarket(self)
        self.provisions = Provisions(self, start_population)
        self.contributions = Contributions(self)
        self.costs = Costs(self)
        self.municipality = Municipality(self)
        self.prevention = Prevention(self)
        self.recorder.snapshot(self.now)
        self.warm_up(scenario.run.warm_up_months)
        self.labour_market.start()
        self.recorder = Recorder(self)
        self.recorder.snapshot(self.now)

        self.applied_policies: list[dict] = []
        self.timeline = [PolicyChange(self, p.year, p.set, p.note) for p in scenario.policy]
        for change in (c for c in self.timeline if c.year <= scenario.run.end_year):
            # half a time unit before the step of that year's January (step k runs at time k)
            self.schedule_event(change.apply, at=(change.year - scenario.run.start_year) * 12 + 0.5)

        self.datacollector = mesa.DataCollector(model_reporters={
            "year": lambda m: m.now // 12, "month": lambda m: m.now % 12 + 1,
            "population": lambda m: int(m.recorder.monthly_stocks[-1][0].sum()),
            "households": lambda m: int(m.recorder.monthly_stocks[-1][1].sum()),
        })
        self.datacollector.collect(self)

    @property
    def clock(self) -> int:
        """The month events are dated with: ``now``, except in the warm-up, where ages stay at
        the start but problems, requests and care relations are dated in the months before it
        (so queues keep their order and durations their length)."""
        return self.now + (self.warm_up_month or 0)

    @property
    def cohesion(self) -> np.ndarray:
        """Social cohesion per area index, as the scenario (and its timeline) sets it now (read
        again only when a policy replaces the configuration)."""
        if self._cohesion[0] is not self.config:
            self._cohesion = (self.config, np.array([a.cohesion for a in self.areas]))
        return self._cohesion[1]

    @property
    def now(self) -> int:
        """Absolute month (year * 12 + month0) at the start of the coming step."""
        return self.start_month + self.month

    def warm_up(self, months: int) -> None:
        """Problems, care and queues settle on the start population before the first month:
        the model starts with the stock of clients, carers and staff it would have, not with
        none. Meanwhile providers' staff follows demand at once (the labour market starts
        balanced on it)."""
        self.providers.unconstrained = True
        for month in range(-months, 0):
            self.warm_up_month = month
            self._social_step(month, self.now)
            self.recorder.end_month()
        self.warm_up_month = None
        self.providers.unconstrained = False

    def _social_step(self, month: int, now: int) -> None:
        self.population.take_census(now)  # ages, areas, household sizes for what follows
        self.employment.step(month, now)  # work status, job loss
        self.needs.step(month, now)  # problems end, escalate, begin
        self.informal_care.step(month, now)  # lost carers, strain, respite, derailment
        self.pathway.step(month, now)  # household -> own network -> access-team queue
        self.access_team.step(month, now)  # investigation within capacity, triage
        self.providers.step(month, now)  # customised provisions: waiting lists, staff wanted
        if not self.providers.unconstrained:
            self.labour_market.step(month, now)  # turnover, entrants, hiring
        self.provisions.step(month, now)  # protected living; client counts
        if self.warm_up_month is None:  # the warm-up is history: prevention starts at the start
            self.prevention.step(month, now)  # prevention spending builds up (with a delay)
        self.costs.step(month, now)  # cost by budget line, personal contributions
        self.municipality.step(month, now)  # in December: budgets, payments, surplus, reserve

    def step(self) -> None:
        """One month, in this order (each a call into its own module)."""
        month, now = self.month, self.now
        self.demography.step(month, now)  # deaths, births, households, migration
        self._social_step(month, now)  # employment, needs, informal care, pathway, access, provisions
        self.recorder.end_month()
        self.month += 1
        self.recorder.snapshot(self.now)
        self.datacollector.collect(self)
        if self.month >= self.n_months:
            self.running = False

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
