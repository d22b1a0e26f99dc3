"""The municipality and the money: budgets by line, the funding model of the area contracts,
the contractors' surplus and its reinvestment, and the social-domain reserve.

Budgets are the lines of the Emmen policy plan (2015-2021, data set ``budget.csv``), nominal;
after 2021 each line follows ``funding.budget_rule``: under ``prices_volume`` (the default, the
Gemeentefonds' rule: indexed for wages and prices and for volume) the price index
(``Costs.index``) times the line's volume, its need-weighted residents on 1 January
(``line_volume``), relative to 2021; under ``prices`` the price index alone; either times a
real growth of ``funding.budget_index``. The contract lines follow the tariffs' labour index
instead of the price index (``Costs.labour_index`` without the shortage premium: the OVA
indexation of Dutch care contracts). The budgets include the clients' personal contributions (plan 6.1), so
the contributions the model collects are reported but not added to the municipality's income.
The Wmo lines the areas' lead contractors deliver (household help and guidance: ``CONTRACT_BUDGET_LINES``) are funded by the scenario's ``funding.scheme``:

* ``population``: each area's contractor gets a yearly contract sum set per resident, weighted by
  need: the contract lines' budget of ``funding.contract_base_year`` per need-weighted resident
  (the model's age-specific onset rates of the contract domains), times the area's need-weighted
  residents and the tariffs' labour index; renegotiated each year on the realised cost
  (``contractors.py``; policy plan 3.2: a fixed amount per area "based on the questions and
  characteristics of the area": residents, age structure, present use). It keeps a surplus and
  reinvests a share in prevention and the informal field the next year; a deficit is its risk up
  to its risk capacity, beyond that the municipality pays and the contract is renegotiated or the
  contractor replaced.
* ``fee_for_service``: the contractor is paid what it delivers at the tariffs; no surplus, no
  incentive, no reinvestment.
* ``shared_savings``: paid per unit, plus a share of the saving against a benchmark, to be
  invested in prevention (the Coevorden pilot): the population-based contract sum, following the
  realised cost by the same yearly talks, without risk to the contractor.

All other lines, and the municipality's own prevention budget (``prevention.py``), are paid by
the municipality. The year is settled in December. Per area and year: ``budget = cost +
prevention spend + provider surplus + municipal result``.

The reserve rule (plan 6.2: the reserve is the buffer of the social domain, results are settled
with it): the municipal result goes into the reserve; a deficit is withdrawn from it; what would
take the reserve above ``funding.reserve_ceiling_eur`` (indexed) returns to the general fund, and
a deficit larger than the reserve is paid from the general fund, so the reserve stays between 0
and the ceiling (``general_fund_eur``: positive returned to, negative drawn from it).
"""

from __future__ import annotations

import numpy as np

from .costs import DOMAIN_LINE, LINES
from .domain import DOMAINS
from .process import Clock, Process

BUDGET_LINE_OF_COST = {
    "household_help": "huishoudelijke_hulp", "support": "begeleiding", "respite": "begeleiding",
    "aids_adaptations": "wmo_voorzieningen", "youth_care": "jeugdhulp", "protected_living": "beschermd_wonen",
    "general_provisions": "jeugdhulp_voorliggend_veld", "access_team": "jeugdhulp_voorliggend_veld",
    "custom_budget": "begeleiding", "crisis": "begeleiding",
    "shelter": "shelter",
    # replacing a failed contractor: a Wmo cost outside the contract, from the municipality's own means
    "contractor_transition": "wmo_voorzieningen",
    "volunteers": "jeugdhulp_voorliggend_veld", "area_networks": "jeugdhulp_voorliggend_veld",
    "signalling": "jeugdhulp_voorliggend_veld",
}
CONTRACT_BUDGET_LINES = ("huishoudelijke_hulp", "begeleiding")
CONTRACT_COST_LINES = tuple(c for c, b in BUDGET_LINE_OF_COST.items() if b in CONTRACT_BUDGET_LINES)
CONTRACT_DOMAINS = np.array([DOMAIN_LINE[d.name] in CONTRACT_COST_LINES for d in DOMAINS])
# the domains whose problems each budget line pays for (the volume of its budget after the table):
# the contract lines together, as the contract sums; the lines without a domain of their own (the
# general provisions and access, the shelters) follow the residents
LINE_DOMAINS = {b: CONTRACT_DOMAINS if b in CONTRACT_BUDGET_LINES
                else np.array([BUDGET_LINE_OF_COST[DOMAIN_LINE[d.name]] == b for d in DOMAINS])
                for b in dict.fromkeys(BUDGET_LINE_OF_COST.values())}


class Municipality(Process):
    """Settles the year in December from the ledger: budgets, payments to the contractors, their
    surplus and reinvestment, the municipal result and the reserve (posted to the ledger)."""

    name = "municipality"
    section = "funding"
    results = ("budget_eur", "contract_sum_eur", "provider_surplus_eur", "municipal_result_eur")

    def __init__(self, model):
        super().__init__(model)
        self.reinvested = np.zeros(self.pop.n_areas)  # EUR/year the contractors spend on prevention this year
        table = model.dataset.budget.set_index("line")
        # plain floats: costs ask for a budget every month, and pandas arithmetic costs a millisecond
        self.budget_table = {int(y): {k: float(v) for k, v in table[y].items()} for y in table.columns}
        onset = model.dataset.needs_onset
        # each budget line's weight by age: the onset of its domains' problems (1 without a domain)
        self.line_weight = {b: onset["onset"] * onset["domain_shares"][:, d].sum(axis=1) if d.any()
                            else np.ones(len(onset["onset"])) for b, d in LINE_DOMAINS.items()}
        # need weight of a resident by age for the contract sums: the onset of a contract domain's problem
        self.need_weight = self.line_weight[CONTRACT_BUDGET_LINES[0]]
        self.volumes: dict[int, dict[str, float]] = {}  # by year: each line's need-weighted residents on 1 January
        self.eur_per_need = None  # EUR per need-weighted resident at labour index 1; set at init
        self.volume = None  # last year's contract cost per formula EUR, without the shortage premium

    def init(self, clock: Clock) -> None:
        """The contract lines' budget of the base year per need-weighted resident of the start."""
        f = self.params
        years = sorted(self.budget_table)
        base = min(max(f.contract_base_year, years[0]), years[-1])
        lines = sum(self.budget_table[base][b] for b in CONTRACT_BUDGET_LINES) * 1000 * self.model.config.run.scale
        self.eur_per_need = lines / max(self.need_weighted(clock.now).sum(), 1e-9) \
            / self.model.costs.labour_index(f.contract_base_year)
        if clock.warm_up:
            # the start year's volume on the residents of 1 January, which the warm-up holds (costs,
            # which ask for the budget first, do not step in it; without a warm-up they ask in January)
            self.line_volume(clock.year)

    # --- budgets -------------------------------------------------------------------------
    def budget(self, year: int) -> dict[str, float]:
        """Budget by line (EUR, nominal, at the run's scale), shelter lines combined."""
        f = self.params
        years = sorted(self.budget_table)
        y = min(max(year, years[0]), years[-1])
        if year == self.model.clock.year:
            self.line_volume(year)  # the year's volume, as the year begins
        factor = {k: 1000 * self.model.config.run.scale for k in self.budget_table[y]}
        if year > years[-1]:
            costs, last = self.model.costs, years[-1]
            growth = (1 + f.budget_index) ** (year - last)
            price = costs.index(year) / costs.index(last) * growth
            # the contract sums are indexed like the tariffs (OVA), without the market's premium
            labour = costs.labour_index(year) / costs.labour_index(last) * growth
            factor = {k: v * (labour if k in CONTRACT_BUDGET_LINES else price) for k, v in factor.items()}
            if f.budget_rule == "prices_volume":
                # the volume since the table's last year (or the start, if the run began after it)
                now, then = self.line_volume(year), self.line_volume(max(last, self.model.config.run.start_year))
                factor = {k: v * now[self._volume_line(k)] / max(then[self._volume_line(k)], 1e-9)
                          for k, v in factor.items()}
        line = {k: v * factor[k] for k, v in self.budget_table[y].items()}
        out = {k: v for k, v in line.items() if k not in ("maatschappelijke_opvang", "vrouwenopvang")}
        out["shelter"] = line["maatschappelijke_opvang"] + line["vrouwenopvang"]
        return out

    @staticmethod
    def _volume_line(line: str) -> str:
        """The budget line whose volume a line of the table follows (the two shelter lines: one)."""
        return "shelter" if line in ("maatschappelijke_opvang", "vrouwenopvang") else line

    def line_volume(self, year: int) -> dict[str, float]:
        """Each budget line's need-weighted residents of the municipality in ``year``: counted the
        first time the year's budget is asked for (its January: costs and the settlement ask every
        month), so later years use the residents then."""
        if year not in self.volumes:
            by_age = self.pop.counts(self.model.clock.now)[0].sum(axis=0)  # residents by age
            self.volumes[year] = {b: float(by_age @ w[np.minimum(np.arange(len(by_age)), len(w) - 1)])
                                  for b, w in self.line_weight.items()}
        return self.volumes[year]

    def population_share(self) -> np.ndarray:
        """Each area's share of the residents at the start of the month."""
        stock = self.model.demography.residents
        return stock / max(stock.sum(), 1)

    def contractors_prevention(self) -> np.ndarray:
        """EUR per year per area the contractors spend on prevention this year (from last year's
        surplus; ``prevention.py`` adds it to the municipal prevention budget)."""
        return self.reinvested

    def need_weighted(self, now: int) -> np.ndarray:
        """Need-weighted residents per area: residents by age times the need weight of their age."""
        by_age = self.pop.counts(now)[0]  # residents by (area, age)
        return by_age @ self.need_weight[np.minimum(np.arange(by_age.shape[1]), len(self.need_weight) - 1)]

    def contract_sums(self, year: int) -> np.ndarray:
        """The population-based formula's contract sum per area (EUR, nominal, before renegotiation):
        the base year's amount per need-weighted resident x the area's need-weighted residents x the
        tariffs' labour index (OVA, without the market's premium)."""
        return self.eur_per_need * self.need_weighted(self.model.clock.now) * self.model.costs.labour_index(year)

    def volume_trend(self, year: int, contract_cost: np.ndarray, formula: np.ndarray) -> float:
        """The year's growth of the contract volume: the municipality's contract cost per formula EUR,
        without the contract domains' shortage premium (which the contracts do not index: the
        contractors' risk); 1 in the first settled year."""
        costs = self.model.costs
        premium = float(np.mean(costs.domain_index(year)[CONTRACT_DOMAINS])) / costs.labour_index(year)
        volume = contract_cost.sum() / premium / max(formula.sum(), 1e-9)
        trend, self.volume = (1.0 if self.volume is None else volume / self.volume), volume
        return trend

    def reserve_excess(self, reserve: float, year: int) -> float:
        """What the reserve rule moves to the general fund from a reserve of ``reserve`` EUR:
        the part above the (indexed) ceiling, or minus the part below zero."""
        ceiling = self.params.reserve_ceiling_eur * self.model.config.run.scale * self.model.costs.index(year) \
            / self.model.costs.index(2019)
        return reserve - min(max(reserve, 0.0), ceiling)

    # --- the year end ----------------------------------------------------------------------
    def step(self, clock: Clock) -> None:
        if clock.now % 12 == 0:
            self.model.ledger.open_year(clock.year)
        if clock.now % 12 == 11:
            self.settle(clock.year)

    def settle(self, year: int) -> None:
        f = self.params
        ledger = self.model.ledger
        n = self.pop.n_areas
        budget = self.budget(year)
        pop_share = self.population_share()

        formula = self.contract_sums(year)
        # the municipality's means for the contract lines (the budget table), shared out like the formula
        contract_budget = sum(budget[b] for b in CONTRACT_BUDGET_LINES) * formula / max(formula.sum(), 1e-9)
        central_budget = sum(v for b, v in budget.items() if b not in CONTRACT_BUDGET_LINES) * pop_share
        contract_cost = sum(ledger.year_total(f"cost_{c}_eur") for c in CONTRACT_COST_LINES)
        # the general places the contractors run are theirs to pay (in cost_general_provisions_eur)
        contractor_places = self.model.contractors.general_places() * f.general_place_eur_year \
            * self.model.costs.index(year)
        contract_cost = contract_cost + contractor_places
        prevention = self.reinvested  # the contractors' own spending
        trend = self.volume_trend(year, contract_cost, formula)
        municipal_prevention = ledger.year_total("prevention_spend_eur") - prevention

        match f.scheme:
            case "population":
                # renegotiations move the sum away from the formula (contractors.py)
                contract_sum = formula * self.model.contractors.budget_factors()
                result = contract_sum - contract_cost - prevention
                cover, transition = self.model.contractors.settle(result, contract_sum, contract_cost, trend)
                self.model.costs.contractor_transition(transition)
                payments = contract_sum + cover
                # result + cover, not payments - cost - prevention: exactly 0 where the equity runs out
                provider_surplus = result + cover
                next_prevention = f.reinvest_share * np.maximum(provider_surplus, 0.0)
            case "fee_for_service":
                contract_sum = formula  # the benchmark: paid at cost
                payments = contract_cost
                provider_surplus = -prevention
                next_prevention = np.zeros(n)
            case "shared_savings":
                contract_sum = formula * self.model.contractors.budget_factors()  # the benchmark
                bonus = f.savings_share * np.maximum(contract_sum - contract_cost, 0.0)
                self.model.contractors.follow(contract_sum, contract_cost, trend)
                payments = contract_cost + bonus
                provider_surplus = bonus - prevention
                next_prevention = bonus
        central_cost = sum(ledger.year_total(f"cost_{c}_eur") for c in LINES if c not in CONTRACT_COST_LINES) \
            - contractor_places
        # the budgets include the personal contributions (plan 6.1): not added again
        municipal_result = contract_budget + central_budget - payments - central_cost - municipal_prevention
        ledger.change_reserve(float(municipal_result.sum()))
        ledger.to_general_fund(year, self.reserve_excess(ledger.reserve, year))
        self.reinvested = next_prevention

        ledger.post("budget_eur", contract_budget + central_budget)
        ledger.post("contract_sum_eur", contract_sum)
        ledger.post("provider_surplus_eur", provider_surplus)
        ledger.post("municipal_result_eur", municipal_result)
