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
  At each client's re-assessment (``reassessment_months``) it steps the light and medium clients
  of its customised care down ("afschalen") to their own network, or to a general place, where
  that covers the need (plan 3.2: part of the support "can be delivered by the
  informal field: an incentive to strengthen and widen it"; 3.4: general provisions first).
* ``fee_for_service``: paid per unit, it delivers more hours per client
  (``fee_for_service_hours_factor``) and ends care later (``fee_for_service_exit_factor``).
* ``shared_savings``: paid per unit plus a share of the saving (``shared_savings_hours_factor``);
  it looks for a step-down at a re-assessment with the probability of the share of the saving it
  keeps (``funding.savings_share``); under fee-for-service, which a step-down only costs revenue,
  never.

The same incentive acts at intake (plan 3.2: "it is the provider's responsibility to deliver that
support and care in the area ... part of it can also be delivered by the informal field"): a
customised indication of a light or medium problem of a contract domain that the access team sends
to the contractor is first looked at for delivery through the informal field (``intake_search_share``
times the share of the saving the contractor keeps, as for step-downs): the contractor arranges the
client's network with support and volunteers (as the access team arranges them, at its
``mobilisation``); where these cover the hours, the request is solved by it
(``outcome_informal_contractor``, counted in the 40% indicator: no formal or professional care is
delivered, plan 3.1), else the client goes on to customised care.

The contract sum (population-based funding only: under the other schemes the municipality pays the
cost) is the formula's (``funding.Municipality.contract_sums``: per need-weighted resident, indexed)
times the contractor's budget factor, which the yearly budget talks move by ``renegotiation_share``
of the gap between the year's cost and sum (up after a deficit, down after a saving). Risk
capacity: a contractor starts a contract with an equity of ``funding.risk_limit`` times its contract
sum and keeps each year's result in it. A year that would take it below zero exhausts it: the
municipality pays the shortfall and the contract is renegotiated: the sum covers the year's cost
from the next year, and the contractor's risk capacity is restored (``risk_limit`` times that
sum); if it happens again in the same contract term (``contract_years``, counted from the run's
start; at the end of a term the contract is renewed) the contractor fails and is replaced: a new
contractor starts with fresh risk capacity at a sum that covers the failed one's cost of the year
(at least the formula's), the municipality pays a transition cost (``transition_cost_share`` of the
formula sum, cost line ``contractor_transition``) and ``disruption_staff_loss`` of the staff of the
failed contractor leaves.

The contractors are Mesa agents; the municipality's December settlement hands each its result and
Mesa steps them (``Contractor.close_year``).
"""

from __future__ import annotations

from enum import IntEnum

import mesa
from mesa.agentset import AgentSet
import numpy as np

from .access_team import ARRANGED_NETWORK
from .domain import Severity, Status, domain_flag, takes_on
from .funding import CONTRACT_DOMAINS
from .process import Clock, Process
from .random_streams import id_uniform



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
        self.renegotiated_in: int | None = None  # the contract term of its last renegotiation
        self.budget_factor = 1.0  # its area budget relative to the formula
        self.standing = Standing.ACTIVE  # in the year just settled
        self.cover = 0.0  # EUR the municipality paid this year beyond the contractor's risk capacity
        self.transition_eur = 0.0  # EUR the municipality paid this year to replace it

    def close_year(self) -> None:
        """Keep the year's result (``Contractors.result``; ``sum``, ``cost``: its contract sum and
        cost) in the equity and renegotiate the sum; renegotiate the contract, or fail, when the
        equity does not hold."""
        contractors = self.model.contractors
        result, contract_sum, cost = (x[self.area] for x in (contractors.result, contractors.sum, contractors.cost))
        c, risk_limit = contractors.params, self.model.config.funding.risk_limit
        if self.equity is None:
            self.equity = risk_limit * contract_sum
        self.cover, self.transition_eur, self.standing = 0.0, 0.0, Standing.ACTIVE
        equity = self.equity + result
        if equity >= 0:
            self.equity = equity
            self.talk()
            return
        self.cover = -equity  # the municipality pays what the contractor cannot
        formula_sum = contract_sum / self.budget_factor
        term = (self.model.clock.year - self.model.config.run.start_year) // c.contract_years
        if self.renegotiated_in != term:
            # the sum covers the realised cost, and with the municipality's cover the contractor can bear risk again
            self.standing, self.renegotiated_in = Standing.RENEGOTIATED, term
            self.budget_factor = cost / formula_sum * contractors.trend
        else:
            # failed: a new contractor takes over, with fresh risk capacity, at a sum that covers what the
            # failed one spent on care (no one bids below it), at least the formula's
            self.standing, self.renegotiated_in = Standing.REPLACED, None
            self.budget_factor = max(cost / formula_sum, 1.0) * contractors.trend
            self.transition_eur = c.transition_cost_share * formula_sum
        self.equity = risk_limit * formula_sum * self.budget_factor

    def talk(self) -> None:
        """The yearly budget talks: the sum follows the municipality's realised volume trend (the
        prognosis) and ``renegotiation_share`` of the area's gap between cost and sum."""
        contractors = self.model.contractors
        contract_sum, cost = contractors.sum[self.area], contractors.cost[self.area]
        gap = cost / contract_sum - 1 if contract_sum > 0 else 0.0
        self.budget_factor *= contractors.trend * (1 + contractors.params.renegotiation_share * gap)


class Contractors(Process):
    """The lead contractors' decisions: hours per client and exit by scheme (asked by providers and
    needs), delivery through the informal field at intake (asked by the pathway), step-downs, the
    general-provision places they run (asked by provisions), and their year end."""

    name = "contractors"
    section = "contractors"
    results = ("contractor_renegotiated", "contractor_replaced", "contractor_equity_eur", "stepped_down_informal",
               "stepped_down_general")

    def __init__(self, model):
        super().__init__(model)
        self.agents = AgentSet([Contractor(model, a) for a in range(self.pop.n_areas)], random=model.random)
        self.result = np.zeros(self.pop.n_areas)  # the year's result under population-based funding
        self.sum = np.zeros(self.pop.n_areas)  # the year's contract sum
        self.cost = np.zeros(self.pop.n_areas)  # the year's contract cost
        self.trend = 1.0  # the year's growth of the contract volume (cost per formula EUR, without the premium)

    def start(self, clock: Clock) -> None:
        """The contracts start with the run (Emmen's area contracts began in 2016-2017): what
        the warm-up's settlements did to the contractors is forgotten."""
        for contractor in self.agents:
            contractor.equity, contractor.renegotiated_in, contractor.budget_factor = None, None, 1.0

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

    def kept_share(self) -> float:
        """The share of what a lighter solution saves that the contractor keeps: all under
        population-based funding, the savings share under shared savings, none paid per unit."""
        return {"population": 1.0, "fee_for_service": 0.0,
                "shared_savings": self.model.config.funding.savings_share}[self.scheme]

    def step_down_share(self) -> float:
        """Probability that a re-assessment looks for a lighter solution: ``step_down_share`` times
        the share of the saving the contractor keeps."""
        return self.params.step_down_share * self.kept_share()

    def take_on(self, ids: np.ndarray) -> np.ndarray:
        """The customised indications ``ids`` reach the contractors (the pathway resolves them as
        customised): with ``intake_search_share`` times the share of the saving it keeps, the
        contractor looks for delivery of a light or medium problem of its contract domains
        through the informal field: the client's network, mobilised with its support, and
        volunteers (the domain's arranged route must take the problem on, as at the access
        team). The requests they cover are solved informally by the contractor
        (``informal_contractor``). Not to a general place: the access team tried the area's
        places, the contractors' among them, in the same triage. Returns the indications left
        for customised care."""
        share = self.params.intake_search_share * self.kept_share()
        if share <= 0.0 or len(ids) == 0:
            return ids
        p, clock = self.pop.persons, self.model.clock
        dom = p.need_domain[ids]
        look = (CONTRACT_DOMAINS[dom] & (p.need_severity[ids] <= Severity.MEDIUM)
                & takes_on("arranged", self.model.config.substitution, dom, id_uniform(ids, self.model.seed, "substitution"))
                & (self.model.streams.uniform("contractors.intake", clock.month, ids) < share))
        if not look.any():
            return ids
        arranged = np.zeros(len(ids), dtype=bool)
        arranged[look] = self.model.informal_care.match(ids[look], ARRANGED_NETWORK, clock.now, clock.month,
                                                        mobilisation=self.model.config.access_team.mobilisation)
        self.model.pathway.resolve(ids[arranged], "informal_contractor", Status.INFORMAL)
        return ids[~arranged]

    def step_down(self, clock: Clock) -> None:
        """Re-assessments (a client's monthly chance ``1 / reassessment_months``): the light and
        medium clients of the contract domains' customised care whom the contractor steps down
        leave it for informal support from their own network (asked as the pathway asks it,
        without the access team's mobilisation) where it covers their hours, else for a free
        general place of their area. Not to volunteers: the area's pool is what the access team
        arranges for new requests, and a step-down would only move it away from them. They keep
        their problem; the request stays counted as met by a customised provision (the 40%
        indicator counts requests solved without the formal field, plan 2016, 3.1)."""
        share = self.step_down_share()
        if share <= 0.0:
            return
        p, month, now, needs = self.pop.persons, clock.month, clock.now, self.model.needs
        ids = needs.with_status(Status.CUSTOM)
        ids = ids[CONTRACT_DOMAINS[p.need_domain[ids]] & (p.need_severity[ids] <= Severity.MEDIUM)]
        due = self.model.streams.uniform("contractors.reassessment", month, ids) < share / self.params.reassessment_months
        ids = ids[due]
        if len(ids) == 0:
            return
        care = self.model.informal_care
        # the help alongside the provision is part of what the network can give: matched anew
        care.release(ids)
        covered = self.model.pathway.own_network_covers(ids, now, month)
        care.alongside_formal(ids[~covered], now, month)
        to_informal = ids[covered]
        needs.set_status(to_informal, Status.INFORMAL)
        rest = ids[~covered]
        rest = rest[domain_flag("general")[p.need_domain[rest]]]
        to_general = rest[self.model.provisions.admit_general(rest)]
        needs.set_status(to_general, Status.GENERAL)
        rec = self.model.recorder
        rec.count("stepped_down_informal", self.pop.area_of(to_informal))
        rec.count("stepped_down_general", self.pop.area_of(to_general))

    def budget_factors(self) -> np.ndarray:
        """Each area's contract sum relative to the formula (raised by renegotiations)."""
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
    def settle(self, result: np.ndarray, contract_sum: np.ndarray, cost: np.ndarray,
               trend: float) -> tuple[np.ndarray, np.ndarray]:
        """The year's result, contract sum and contract cost of each contractor (population-based
        funding; EUR by area) and the municipality's volume trend: each closes its year. Returns
        what the municipality pays beyond their risk capacity and for replacing failed contractors (EUR by area); the staff of a failed
        contractor leaves."""
        self.result, self.sum, self.cost, self.trend = result, contract_sum, cost, trend
        self.agents.do("close_year")
        by_area = self._by_area()
        cover = np.array([c.cover for c in by_area])
        transition = np.array([c.transition_eur for c in by_area])
        replaced = np.flatnonzero([c.standing == Standing.REPLACED for c in by_area])
        self.model.providers.lose_lead_staff(replaced, self.params.disruption_staff_loss)
        self.record(by_area)
        return cover, transition

    def follow(self, contract_sum: np.ndarray, cost: np.ndarray, trend: float) -> None:
        """Shared savings: the benchmark sum, against which the saving is measured, follows the
        realised cost by the same yearly talks; the contractors bear no risk."""
        self.sum, self.cost, self.trend = contract_sum, cost, trend
        self.agents.do("talk")

    def record(self, by_area: list[Contractor]) -> None:
        rec, areas = self.model.recorder, np.arange(self.pop.n_areas)
        standing = np.array([c.standing for c in by_area])
        rec.count("contractor_renegotiated", areas, (standing == Standing.RENEGOTIATED).astype(float))
        rec.count("contractor_replaced", areas, (standing == Standing.REPLACED).astype(float))
        rec.count("contractor_equity_eur", areas, np.array([c.equity or 0.0 for c in by_area]))
