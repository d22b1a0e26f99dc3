"""The municipality and the money: budgets by line, the funding model of the area contracts,
the contractors' surplus and its reinvestment, and the social-domain reserve.

Budgets are the lines of the Emmen policy plan (2015-2021, data set ``budget.csv``), nominal;
after 2021 the last year follows the price index (``Costs.index``) times a real growth of
``funding.budget_index``. The budgets include the clients' personal contributions (plan 6.1), so
the contributions the model collects are reported but not added to the municipality's income.
The Wmo lines the areas' lead contractors deliver (household help and guidance: ``CONTRACT_BUDGET_LINES``) are funded by the scenario's ``funding.scheme``:

* ``population``: each area's contractor gets a fixed yearly budget from a formula
  (residents, age structure, previous use; policy plan 3.2). It keeps a surplus and reinvests a
  share in prevention and the informal field the next year; a deficit is its risk up to its risk
  capacity, beyond that the municipality pays and the contract is renegotiated or the contractor
  replaced (``contractors.py``).
* ``fee_for_service``: the contractor is paid what it delivers at the tariffs; no surplus, no
  incentive, no reinvestment.
* ``shared_savings``: paid per unit, plus a share of the saving against the area budget, to be
  invested in prevention (the Coevorden pilot).

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

from .costs import LINES
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


class Municipality(Process):
    """Settles the year in December from the ledger: budgets, payments to the contractors, their
    surplus and reinvestment, the municipal result and the reserve (posted to the ledger)."""

    name = "municipality"
    section = "funding"
    results = ("budget_eur", "provider_surplus_eur", "municipal_result_eur")

    def __init__(self, model):
        super().__init__(model)
        self.reinvested = np.zeros(self.pop.n_areas)  # EUR/year the contractors spend on prevention this year
        self.use_share = None  # areas' share of last year's contract cost (formula input)
        table = model.dataset.budget.set_index("line")
        # plain floats: costs ask for a budget every month, and pandas arithmetic costs a millisecond
        self.budget_table = {int(y): {k: float(v) for k, v in table[y].items()} for y in table.columns}

    # --- budgets -------------------------------------------------------------------------
    def budget(self, year: int) -> dict[str, float]:
        """Budget by line (EUR, nominal, at the run's scale), shelter lines combined."""
        f = self.params
        years = sorted(self.budget_table)
        y = min(max(year, years[0]), years[-1])
        factor = 1000 * self.model.config.run.scale
        if year > years[-1]:
            index = self.model.costs.index
            factor *= index(year) / index(years[-1]) * (1 + f.budget_index) ** (year - years[-1])
        line = {k: v * factor for k, v in self.budget_table[y].items()}
        out = {k: v for k, v in line.items() if k not in ("maatschappelijke_opvang", "vrouwenopvang")}
        out["shelter"] = line["maatschappelijke_opvang"] + line["vrouwenopvang"]
        return out

    def population_share(self) -> np.ndarray:
        """Each area's share of the residents at the start of the month."""
        stock = self.model.demography.residents
        return stock / max(stock.sum(), 1)

    def contractors_prevention(self) -> np.ndarray:
        """EUR per year per area the contractors spend on prevention this year (from last year's
        surplus; ``prevention.py`` adds it to the municipal prevention budget)."""
        return self.reinvested

    def area_shares(self) -> np.ndarray:
        """The population-based formula: residents, age structure and previous use."""
        f = self.params
        by_age = self.pop.counts(self.model.clock.now)[0]  # residents by (area, age)
        residents = by_age.sum(axis=1) / by_age.sum()
        age = np.arange(by_age.shape[1])
        weight = 1.0 + (age >= 65) + 2.0 * (age >= 80)  # older residents use more support
        aged = by_age @ weight / (by_age.sum(axis=0) @ weight)
        use = residents if self.use_share is None else self.use_share
        w = np.array([f.formula_weight_residents, f.formula_weight_age, f.formula_weight_use])
        return (w[0] * residents + w[1] * aged + w[2] * use) / w.sum()

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

        contract_budget = sum(budget[b] for b in CONTRACT_BUDGET_LINES) * self.area_shares()
        central_budget = sum(v for b, v in budget.items() if b not in CONTRACT_BUDGET_LINES) * pop_share
        contract_cost = sum(ledger.year_total(f"cost_{c}_eur") for c in CONTRACT_COST_LINES)
        # the general places the contractors run are theirs to pay (in cost_general_provisions_eur)
        contractor_places = self.model.contractors.general_places() * f.general_place_eur_year \
            * self.model.costs.index(year)
        contract_cost = contract_cost + contractor_places
        prevention = self.reinvested  # the contractors' own spending
        municipal_prevention = ledger.year_total("prevention_spend_eur") - prevention

        match f.scheme:
            case "population":
                # a renegotiated contract pays more than the formula budget (contractors.py)
                contract_sum = contract_budget * self.model.contractors.budget_factors()
                result = contract_sum - contract_cost - prevention
                cover, transition = self.model.contractors.settle(result, contract_sum)
                self.model.costs.contractor_transition(transition)
                payments = contract_sum + cover
                # result + cover, not payments - cost - prevention: exactly 0 where the equity runs out
                provider_surplus = result + cover
                next_prevention = f.reinvest_share * np.maximum(provider_surplus, 0.0)
            case "fee_for_service":
                payments = contract_cost
                provider_surplus = -prevention
                next_prevention = np.zeros(n)
            case "shared_savings":
                bonus = f.savings_share * np.maximum(contract_budget - contract_cost, 0.0)
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
        self.use_share = contract_cost / max(contract_cost.sum(), 1e-9)

        ledger.post("budget_eur", contract_budget + central_budget)
        ledger.post("provider_surplus_eur", provider_surplus)
        ledger.post("municipal_result_eur", municipal_result)
