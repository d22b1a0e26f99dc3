"""Costs by budget line, per area and month, from who receives what (EUR, nominal).

Customised provisions cost their formal hours at the domain's hourly tariff, or a yearly cost
per client (aids, protected living) (data set ``tariffs.csv``); general provisions and the
access team cost their places and staff; respite its days; the volunteer pool, area networks and
early signalling what the scenario prices them at; shelter is not simulated and costs
its budget; protected living is paid per contracted place, occupied or not (Emmen contracts the
places of its region).

Tariffs are in 2023 prices. The price path of the model is ``Costs.index``: the observed
consumer price index of the data set (``price_index.csv``) up to its last year, growing by
``funding.cost_inflation`` a year after it, relative to 2023. Prevention money, custom budgets,
aids and the budgets after the budget table follow it; the yearly table reports it as
``price_index`` with real (2023-price) cost and budget columns. What is mostly wages follows
``Costs.labour_index`` instead: a weighted index, ``labour_market.tariff_labour_share`` of it the
care wage index (``Costs.wage_index``: observed CAO wages of care and welfare, ``care_wages.csv``,
then ``labour_market.wage_growth``) times the profession's shortage premium and the hired staff
it pays (``labour_market.py``), the rest the price index, as municipalities index these tariffs.

Beside the municipality's cost it posts what the model's events cost other payers, reported but not
paid by the municipality (``other_payers`` section): health-insurance (Zvw) care after an escalation
while waiting, long-term care (Wlz) of the residents who left the Wmo for it, the informal carers'
hours at a shadow price, and the care those waiting for the access team or a provider go without, at
its price; with the municipal cost they make ``cost_societal_eur``.
"""

from __future__ import annotations

import numpy as np

from .contributions import income_class_of
from .domain import DOMAIN_INDEX, DOMAINS, WEEKS_PER_MONTH, Severity, Status, domain_flag
from .kernels import jit
from .labour_market import SUPPORT
from .process import Clock, Process

LINES = ("household_help", "support", "aids_adaptations", "youth_care", "protected_living",
         "general_provisions", "access_team", "respite", "custom_budget", "crisis", "shelter", "contractor_transition",
         "volunteers", "area_networks", "signalling")
TARIFF_YEAR = 2023
RESPITE_EUR_PER_DAY = 204.21  # Westerveld, Tarieven Wmo 2023
DOMAIN_LINE = {"household_help": "household_help", "individual_support": "support", "day_activities": "support",
               "debt_help": "support", "aids_adaptations": "aids_adaptations", "youth_care": "youth_care",
               "protected_living": "protected_living"}
DOMAINS_INDEX_PROTECTED = [d.name for d in DOMAINS].index("protected_living")
AIDS = DOMAIN_INDEX["aids_adaptations"]
# domains whose escalation costs the health insurance little (other_payers.zvw_eur_per_escalation_other):
# youth crisis care is the municipality's (Youth Act), debts cost no health care directly
ZVW_OTHER = np.isin(np.arange(len(DOMAINS)), [DOMAIN_INDEX["youth_care"], DOMAIN_INDEX["debt_help"]])
# bridging care by the line it is booked to (a memo: part of those lines); staff-bound domains only
BRIDGED_LINES = ("household_help", "support", "youth_care")
BRIDGING = tuple(f"bridging_{line}_eur" for line in BRIDGED_LINES)
BRIDGED_ROWS = [LINES.index(line) for line in BRIDGED_LINES]  # their rows of a cost table by (line, area)
COST_ACCOUNTS = tuple(f"cost_{line}_eur" for line in LINES)  # the ledger's accounts of the budget lines
SOCIETAL_ACCOUNTS = ("other_payers_zvw_eur", "other_payers_wlz_eur", "informal_care_value_eur", "care_not_delivered_eur")


class Costs(Process):
    """Posts the month's cost by budget line and the personal contributions to the ledger."""

    name = "costs"
    in_warm_up = False  # the warm-up's ledger is discarded: its money is not worked out
    results = (*COST_ACCOUNTS, "personal_contribution_eur", *BRIDGING, *SOCIETAL_ACCOUNTS)

    def __init__(self, model):
        super().__init__(model)
        t = model.dataset.tariffs.set_index("domain").loc[[d.name for d in DOMAINS]]
        self.eur_per_hour = t["eur_per_hour"].to_numpy(float)
        self.eur_per_client_year = t["eur_per_client_year"].to_numpy(float)
        self.line_of_domain = np.array([LINES.index(DOMAIN_LINE[d.name]) for d in DOMAINS])
        self.wmo = domain_flag("wmo")
        self._levels: dict[tuple[str, float, int], float] = {}  # price and wage levels (``_relative``)

    def index(self, year: int) -> float:
        """Price level of ``year`` relative to 2023 (2023 = 1)."""
        return self._relative("price", self.model.dataset.price_index, self.model.config.funding.cost_inflation, year)

    def wage_index(self, year: int) -> float:
        """Care wage level of ``year`` relative to 2023 (2023 = 1), before any shortage premium."""
        return self._relative("wage", self.model.dataset.care_wage_index, self.model.config.labour_market.wage_growth, year)

    def _relative(self, series: str, observed: dict[int, float], growth: float, year: int) -> float:
        """An observed yearly series (before its first year: the first), continued at ``growth``
        a year after its last, relative to its level in the tariffs' year (kept by series, growth
        and year: asked a dozen times a month)."""
        def level(y: int) -> float:
            last = max(observed)
            return observed[max(y, min(observed))] if y <= last else observed[last] * (1 + growth) ** (y - last)
        key = (series, growth, year)
        if key not in self._levels:
            self._levels[key] = level(year) / level(TARIFF_YEAR)
        return self._levels[key]

    def labour_index(self, year: int, premium: float | np.ndarray = 1.0) -> float | np.ndarray:
        """Price level relative to 2023 of what is mostly staff: the labour share at the care wage
        index times ``premium`` (a shortage premium, hired staff), the rest at the price index."""
        labour = self.model.config.labour_market.tariff_labour_share
        return labour * self.wage_index(year) * premium + (1 - labour) * self.index(year)

    def domain_index(self, year: int) -> np.ndarray:
        """Price level of each domain's tariff: staff-bound domains at the labour index with their
        profession's wage premium and hired-staff premium; the rest (aids) at the price index."""
        market = self.model.labour_market
        premium = market.wage * (1 + market.agency_share() * (self.model.config.providers.agency_premium - 1))
        profession = self.model.providers.domain_profession
        staffed = profession >= 0
        index = np.full(len(profession), self.index(year))
        index[staffed] = self.labour_index(year, premium[profession[staffed]])
        return index

    def custom_budget(self, areas: np.ndarray, year: int) -> None:
        """One-off custom budgets the access team grants (breakthrough method)."""
        eur = self.model.config.access_team.breakthrough_eur_per_case * self.index(year)
        self.model.ledger.post_each("cost_custom_budget_eur", areas, eur)

    def crisis(self, ids: np.ndarray, year: int) -> None:
        """What the problems of ``ids`` that escalated while waiting cost: crisis care to the
        municipality (``needs.crisis_eur_per_escalation``), and care to the health insurance by domain
        (``other_payers.zvw_eur_per_escalation_*``)."""
        if len(ids) == 0:  # (most months at small scale)
            return
        labour = self.labour_index(year)
        areas = self.pop.area_of(ids)
        self.model.ledger.post_each("cost_crisis_eur", areas, self.model.config.needs.crisis_eur_per_escalation * labour)
        o = self.model.config.other_payers
        zvw = np.where(ZVW_OTHER[self.pop.persons.need_domain[ids]], o.zvw_eur_per_escalation_other,
                       o.zvw_eur_per_escalation_wmo) * labour
        self.model.ledger.post("other_payers_zvw_eur", np.bincount(areas, zvw, minlength=self.pop.n_areas))

    def contractor_transition(self, eur: np.ndarray) -> None:
        """What replacing failed contractors costs, by area (``contractors.py``)."""
        self.model.ledger.post("cost_contractor_transition_eur", eur)

    def step(self, clock: Clock) -> None:
        p, ledger, n = self.pop.persons, self.model.ledger, self.pop.n_areas
        year = clock.year
        index = self.domain_index(year)
        labour = self.labour_index(year)
        ids = self.model.needs.with_status(Status.CUSTOM)
        # what ``_client_costs`` reads besides the clients, the same for each call this month
        inputs = (p.need_domain, p.need_severity, self.pop.areas(), p.household, self.model.providers.formal_hours_table,
                  self.eur_per_hour, self.eur_per_client_year, self.line_of_domain, self.wmo, index, len(LINES), n,
                  self.model.contributions.monthly_rates(year), *self.model.contributions.income_args())
        cost, contributions = _client_costs(ids, *inputs)
        bridging, missed = self.waiting(inputs)
        cost += bridging
        # household-help clients who also use an aid: their second provision (a person has one problem at a time)
        aided = self.model.provisions.aided(ids)
        cost[LINES.index("aids_adaptations")] += (np.bincount(self.pop.area_of(aided), minlength=n)
                                                  * self.eur_per_client_year[AIDS] / 12 * index[AIDS])
        f = self.model.config.funding
        cost[LINES.index("general_provisions")] = self.model.provisions.general_places() * f.general_place_eur_year / 12 * labour
        team = self.labour_index(year, self.model.labour_market.wage[SUPPORT])  # its social workers' market wage
        access = self.model.access_team
        paid_fte = access.staff_fte + access.agency_fte * self.model.config.providers.agency_premium
        cost[LINES.index("access_team")] = paid_fte * f.access_fte_eur_year / 12 * team
        cost[LINES.index("respite")] = self.model.informal_care.respite_days * RESPITE_EUR_PER_DAY * labour
        # the levers of the informal field and early signalling, each at its price (mostly staff: the labour index)
        c = self.model.config
        cost[LINES.index("volunteers")] = self.model.informal_care.volunteers() * c.informal_care.volunteer_eur_year / 12 * labour
        cost[LINES.index("area_networks")] = (c.network.area_network_eur_per_resident * self.model.demography.residents
                                              / 12 * labour)
        cost[LINES.index("signalling")] = self.model.prevention.signalling_eur_year() / 12 * labour
        share = self.model.municipality.population_share()
        protected = self.eur_per_client_year[DOMAINS_INDEX_PROTECTED]
        cost[LINES.index("protected_living")] = self.model.provisions.protected_places() * protected / 12 * labour * share
        cost[LINES.index("shelter")] = self.model.municipality.budget(year)["shelter"] / 12 * share
        ledger.post_rows(COST_ACCOUNTS, cost)
        ledger.post("personal_contribution_eur", contributions)
        ledger.post_rows(BRIDGING, bridging[BRIDGED_ROWS])
        o = self.model.config.other_payers
        ledger.post("other_payers_wlz_eur", self.model.long_term_care.residents_by_area() * o.wlz_eur_per_client_year
                    / 12 * labour)
        ledger.post("informal_care_value_eur", self.model.informal_care.hours_given * o.informal_eur_per_hour * labour)
        ledger.post("care_not_delivered_eur", missed.sum(axis=0))

    def waiting(self, inputs: tuple) -> tuple[np.ndarray, np.ndarray]:
        """This month's bridging care and care not delivered of those waiting for help, by (budget
        line, area). Each would cost the customised provision of their problem's domain and severity,
        at this month's price level, once served. Those waiting for a provider get a share of it as bridging
        care from hired staff at ``providers.agency_premium`` times that price, booked to the line of the
        domain (``bridging_share_heavy``, or ``bridging_share`` if more, with a heavy (urgent) problem;
        ``bridging_share`` with another), and go without the rest; those waiting for the access team's
        investigation get none (the team does not deliver care) and go without all of it. ``inputs``:
        what ``_client_costs`` reads besides the clients, made by ``step``."""
        p, pr, n = self.pop.persons, self.model.config.providers, self.pop.n_areas
        listed = self.model.needs.with_status(Status.CUSTOM_WAIT)
        queued = self.model.needs.with_status(Status.QUEUED)
        waiting = np.concatenate([listed, queued])
        share = np.concatenate([np.where(p.need_severity[listed] == Severity.HEAVY,
                                         max(pr.bridging_share, pr.bridging_share_heavy), pr.bridging_share),
                                np.zeros(len(queued))])
        bridging, missed = np.zeros((len(LINES), n)), np.zeros((len(LINES), n))
        for group in np.unique(share):  # (at most three: heavy, the others listed, and those queued for the team)
            served = _client_costs(waiting[share == group], *inputs)[0]
            bridging += served * group * pr.agency_premium
            missed += served * (1.0 - group)
        return bridging, missed


@jit
def _client_costs(ids, need_domain, need_severity, area, household, formal_hours, eur_per_hour, eur_per_client_year,
                  line_of_domain, wmo, index, n_lines, n_areas, rates, income_key, low, middle):
    """The month's cost of the clients ``ids`` of customised provisions by (budget line, area):
    their formal hours at the domain's hourly tariff plus a twelfth of its yearly cost per
    client, at the domain's price level ``index``; and the personal contributions of the Wmo clients among them by area
    (``rates`` by income class)."""
    cost = np.zeros((n_lines, n_areas))
    contributions = np.zeros(n_areas)
    for i in ids:
        d, a = need_domain[i], area[i]
        hours = formal_hours[d, need_severity[i]]
        cost[line_of_domain[d], a] += (hours * eur_per_hour[d] * WEEKS_PER_MONTH + eur_per_client_year[d] / 12) * index[d]
        contributions[a] += rates[income_class_of(household[i], income_key, low, middle)] * wmo[d]
    return cost, contributions
