"""The areas' lead contractors: how they act under the funding scheme, and what happens to one
that runs out of risk capacity.

Each area has one lead contractor (hoofdaannemer, Emmen policy plan 2016, 3.2) that holds the
contract for the Wmo contract lines (household help and support: ``funding.CONTRACT_COST_LINES``)
and delivers them with its subcontractors (``providers.py``). What it decides follows the
incentive of the scheme (``funding.scheme``; parameters in the ``contractors`` section):

* ``population``: a fixed area budget rewards fewer formal hours per client (the tariff table's
  hours, calibrated under this scheme: ``population_hours_factor``) and general provisions in place
  of customised care: the contractor runs part of the area's general-provision places
  (``contractor_places_per_1000``, paid from its budget), where the access team sends light and
  medium problems before customised care; under the other schemes nobody runs them. It bears its
  deficits from its risk capacity.
* ``fee_for_service``: paid per unit, it delivers more hours per client
  (``fee_for_service_hours_factor``) and ends care later (``fee_for_service_exit_factor``).
* ``shared_savings``: paid per unit plus a share of the saving (``shared_savings_hours_factor``).

Risk capacity (population-based funding only: under the other schemes the municipality pays the
cost): a contractor starts a contract with an equity of ``funding.risk_limit`` times its area
budget and keeps each year's result in it. A year that would take it below zero exhausts it: the
municipality pays the shortfall and the contract is renegotiated (the area budget rises by
``renegotiation_raise`` from the next year); if it happens again in the same contract the contractor
fails and is replaced: a new contractor starts with fresh risk capacity at a budget that covers the
failed one's spending of the year (at least the formula budget), the municipality pays a transition cost (``transition_cost_share`` of the area budget, cost line
``contractor_transition``) and ``disruption_staff_loss`` of the staff of the failed contractor leaves.

The contractors are Mesa agents; the municipality's December settlement hands each its result and
Mesa steps them (``Contractor.close_year``).
"""

from __future__ import annotations

from enum import IntEnum

import mesa
from mesa.agentset import AgentSet
import numpy as np

from .costs import DOMAIN_LINE
from .domain import DOMAINS
from .funding import CONTRACT_COST_LINES
from .process import Clock, Process

CONTRACT_DOMAINS = np.array([DOMAIN_LINE[d.name] in CONTRACT_COST_LINES for d in DOMAINS])


class Standing(IntEnum):
    """What happened to a contract in a year."""

    ACTIVE = 0
    RENEGOTIATED = 1
    REPLACED = 2  # failed and replaced by a new contractor


class Contractor(mesa.Agent):
    """The lead contractor of one area, under its current contract."""

    def __init__(self, model, area: int):
        super().__init__(model)
        self.area = area
        self.equity: float | None = None  # EUR of risk capacity left; set at the first settlement
        self.renegotiated = False  # in the current contract
        self.budget_factor = 1.0  # its area budget relative to the formula
        self.standing = Standing.ACTIVE  # in the year just settled
        self.cover = 0.0  # EUR the municipality paid this year beyond the contractor's risk capacity
        self.transition_eur = 0.0  # EUR the municipality paid this year to replace it

    def close_year(self) -> None:
        """Keep the year's result (``Contractors.result``, ``budget``) in the equity; renegotiate,
        or fail, when it does not hold."""
        contractors = self.model.contractors
        result, budget = contractors.result[self.area], contractors.budget[self.area]
        c = contractors.params
        if self.equity is None:
            self.equity = self.model.config.funding.risk_limit * budget
        self.cover, self.transition_eur, self.standing = 0.0, 0.0, Standing.ACTIVE
        equity = self.equity + result
        if equity >= 0:
            self.equity = equity
            return
        self.cover = -equity  # the municipality pays what the contractor cannot
        if not self.renegotiated:
            self.standing, self.renegotiated, self.equity = Standing.RENEGOTIATED, True, 0.0
            self.budget_factor *= 1 + c.renegotiation_raise
            return
        # failed: a new contractor takes over, with fresh risk capacity, at a budget that covers
        # what the failed one spent (no one bids below it), at least the formula's
        formula_budget = budget / self.budget_factor
        self.standing, self.renegotiated = Standing.REPLACED, False
        self.budget_factor = max(1.0, (budget - result) / formula_budget)
        self.equity = self.model.config.funding.risk_limit * formula_budget * self.budget_factor
        self.transition_eur = c.transition_cost_share * formula_budget


class Contractors(Process):
    """The lead contractors' decisions: hours per client and exit by scheme (asked by providers and
    needs), the general-provision places they run (asked by provisions), and their year end."""

    name = "contractors"
    section = "contractors"
    results = ("contractor_renegotiated", "contractor_replaced", "contractor_equity_eur")

    def __init__(self, model):
        super().__init__(model)
        self.agents = AgentSet([Contractor(model, a) for a in range(self.pop.n_areas)], random=model.random)
        self.result = np.zeros(self.pop.n_areas)  # the year's result under population-based funding
        self.budget = np.zeros(self.pop.n_areas)

    def start(self, clock: Clock) -> None:
        """The contracts start with the run (Emmen's area contracts began in 2016-2017): what
        the warm-up's settlements did to the contractors is forgotten."""
        for contractor in self.agents:
            contractor.equity, contractor.renegotiated, contractor.budget_factor = None, False, 1.0

    @property
    def scheme(self) -> str:
        return self.model.config.funding.scheme

    # --- what the scheme makes them do ------------------------------------------------------
    def hours_factor(self) -> np.ndarray:
        """Formal hours per client the contractors deliver relative to the tariff table, by domain
        (the providers' staff and the costs follow it)."""
        c = self.params
        factor = {"population": c.population_hours_factor, "fee_for_service": c.fee_for_service_hours_factor,
                  "shared_savings": c.shared_savings_hours_factor}[self.scheme]
        return np.where(CONTRACT_DOMAINS, factor, 1.0)

    def exit_factor(self) -> np.ndarray:
        """Rate at which problems in the contractors' customised care end, relative to the needs'
        rates, by domain."""
        factor = self.params.fee_for_service_exit_factor if self.scheme == "fee_for_service" else 1.0
        return np.where(CONTRACT_DOMAINS, factor, 1.0)

    def budget_factors(self) -> np.ndarray:
        """Each area's contract budget relative to the formula (raised after a renegotiation)."""
        return np.array([c.budget_factor for c in self._by_area()])

    def _by_area(self) -> list[Contractor]:
        return sorted(self.agents, key=lambda c: c.area)

    def general_places(self) -> np.ndarray:
        """General-provision places the contractors run and pay for, per area: under
        population-based funding their part of the general places (``provisions.general_places``)."""
        return self._places() if self.scheme == "population" else np.zeros(self.pop.n_areas)

    def places_not_run(self) -> np.ndarray:
        """Of the general places, those the contractors run under population-based funding and,
        under another scheme, nobody does (per area)."""
        return np.zeros(self.pop.n_areas) if self.scheme == "population" else self._places()

    def _places(self) -> np.ndarray:
        return np.floor(self.params.contractor_places_per_1000 * self.model.start_population / 1000)

    # --- the year end -----------------------------------------------------------------------
    def settle(self, result: np.ndarray, budget: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The year's result and area budget of each contractor (population-based funding; EUR by
        area): each closes its year. Returns what the municipality pays beyond their risk capacity
        and for replacing failed contractors (EUR by area); the staff of a failed contractor leaves."""
        self.result, self.budget = result, budget
        self.agents.do("close_year")
        by_area = self._by_area()
        cover = np.array([c.cover for c in by_area])
        transition = np.array([c.transition_eur for c in by_area])
        replaced = np.flatnonzero([c.standing == Standing.REPLACED for c in by_area])
        self.model.providers.lose_lead_staff(replaced, self.params.disruption_staff_loss)
        self.record(by_area)
        return cover, transition

    def record(self, by_area: list[Contractor]) -> None:
        rec, areas = self.model.recorder, np.arange(self.pop.n_areas)
        standing = np.array([c.standing for c in by_area])
        rec.count("contractor_renegotiated", areas, (standing == Standing.RENEGOTIATED).astype(float))
        rec.count("contractor_replaced", areas, (standing == Standing.REPLACED).astype(float))
        rec.count("contractor_equity_eur", areas, np.array([c.equity or 0.0 for c in by_area]))
