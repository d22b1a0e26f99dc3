"""Prevention: money spent on prevention and the informal field, and early signalling.

Spending per area (the municipality's prevention budget plus what the area contractors
reinvest from their surplus, ``funding.py``) builds an *effective prevention stock* that follows
the spending with a delay (exponential smoothing, time constant ``prevention.delay_years``): costs
come before benefits. The stock per resident of the target group lowers the onset and the
escalation of problems with diminishing returns:

    effect = max_effect x (1 - exp(-stock per resident / eur_scale))

and strengthens the informal field (neighbours' willingness, the volunteer pool, respite
uptake) the same way. Effect sizes are weakly evidenced (Cochrane CD004396; Ecorys;
Gesundes Kinzigtal): they are parameters with plausible ranges for the sensitivity analysis.

Early signalling catches problems one step earlier (a severity lighter): home-help workers behind
the front door (residents of households with household help) and school social work (ages
12-17). GP practice nurses for youth handle light and medium youth questions themselves: fewer
direct GP referrals to specialist youth care (the effect a pilot measured, early help included).
Each channel has its price (``signalling_eur_year``, cost line ``signalling``).
"""

from __future__ import annotations

import numpy as np

from .kernels import in_sorted, unique_ids
from .process import Clock, Process
from .domain import DOMAIN_INDEX, Severity, Status

TARGET_AGES = {"all": (0, 200), "youth": (0, 17), "adults": (18, 64), "elderly": (65, 200)}


class Prevention(Process):
    name = "prevention"
    section = "prevention"
    results = ("prevention_spend_eur",)
    in_warm_up = False  # the warm-up is history: prevention starts at the start

    def __init__(self, model):
        super().__init__(model)
        n = self.pop.n_areas
        self.stock = np.zeros(n)  # effective prevention, EUR/year equivalent in 2023 prices
        self._stock_changes = 0  # how often the stock changed: a key for what follows from it
        self._saturations: dict = {}  # by (census, stock changes, scale, group)

    def spending(self) -> np.ndarray:
        """EUR per year per area: the municipal budget for prevention (per resident at the start
        of the month, in 2023 prices, indexed) plus what the contractors reinvest from their surplus (``funding.py``)."""
        config = self.model.config
        per_resident = np.array([config.area_value(a, "budget_eur_per_resident") for a in self.model.area_names])
        index = self.model.costs.index(self.model.clock.year)  # the per-resident budget is in 2023 prices
        return per_resident * index * self.model.demography.residents + self.model.municipality.contractors_prevention()

    def step(self, clock: Clock) -> None:
        c = self.params
        spend = self.spending()
        self.model.ledger.post("prevention_spend_eur", spend / 12)
        alpha = 1.0 - np.exp(-1.0 / max(c.delay_years * 12, 1e-9))
        # in 2023 prices: the effect depends on what the money buys, not on the price level
        real = spend / self.model.costs.index(clock.year)
        self.stock += alpha * (real - self.stock)
        self._stock_changes += 1

    def _saturation(self, scale: float, everyone: bool = False) -> np.ndarray:
        """0..1 per area, with diminishing returns in spending per resident of the target group
        (per resident of any age with ``everyone``)."""
        c = self.params
        group = "all" if everyone else c.target
        key = (self.pop.census, self._stock_changes, scale, group)
        if key not in self._saturations:
            if len(self._saturations) > 16:
                self._saturations.clear()
            per_resident = self.stock / np.maximum(self._residents(group), 1)
            self._saturations[key] = 1.0 - np.exp(-per_resident / scale)
        return self._saturations[key]

    def _residents(self, group: str) -> np.ndarray:
        """Residents of a target group per area (from the census)."""
        lo, hi = TARGET_AGES[group]
        return self.pop.counts(self.model.clock.now)[0][:, lo:hi + 1].sum(axis=1)

    def target_ages(self) -> tuple[int, int]:
        """First and last age (years) of the target group."""
        return TARGET_AGES[self.params.target]

    def onset_reduction(self) -> np.ndarray:
        """Relative reduction of the onset of problems in the target group, per area (0 = none)."""
        c = self.params
        return c.max_onset_reduction * self._saturation(c.eur_scale)

    def escalation_effect(self) -> np.ndarray:
        """Relative reduction of escalation while waiting, per area (0 = none), for the target
        group (``target_ages``)."""
        c = self.params
        return c.max_escalation_reduction * self._saturation(c.eur_scale)

    def field_strength(self) -> np.ndarray:
        """Multiplier on the informal field per area (1 = no effect)."""
        c = self.params
        return 1.0 + c.max_field_effect * self._saturation(c.eur_scale, everyone=True)

    def signalled(self, ids: np.ndarray, domain: np.ndarray, now: int, month: int) -> np.ndarray:
        """Which new problems (of these domains) early signalling catches a step earlier."""
        s = self.model.config.signalling
        if max(s.home_help_workers, s.school_social_work) * s.catch_share == 0:
            return np.zeros(len(ids), dtype=bool)  # no channel: no draw
        p = self.pop.persons
        age = self.pop.age_years(ids, now)
        clients = self.model.needs.with_status(Status.CUSTOM)
        clients = clients[p.need_domain[clients] == DOMAIN_INDEX["household_help"]]
        hh_help = in_sorted(p.household[ids], unique_ids(p.household[clients]))
        chance = np.zeros(len(ids))
        chance = np.maximum(chance, np.where(hh_help, s.home_help_workers, 0.0))
        chance = np.maximum(chance, np.where((age >= 12) & (age <= 17), s.school_social_work, 0.0))
        u = self.model.streams.uniform("prevention.signalling", month, ids)
        return u < chance * s.catch_share

    def signalling_eur_year(self) -> np.ndarray:
        """What early signalling costs per area, EUR per year in 2023 prices: each channel's
        price at full strength times its strength, per client of household help (home-help
        workers), per resident aged 0-17 (GP practice nurses) and 12-17 (school social work)."""
        s = self.model.config.signalling
        n = self.pop.n_areas
        eur = np.zeros(n)
        if s.home_help_workers > 0:
            p = self.pop.persons
            clients = self.model.needs.with_status(Status.CUSTOM)
            clients = clients[p.need_domain[clients] == DOMAIN_INDEX["household_help"]]
            eur += s.home_help_workers * s.home_help_eur_per_client_year * np.bincount(self.pop.area_of(clients),
                                                                                      minlength=n)
        by_age = self.pop.counts(self.model.clock.now)[0]
        eur += s.gp_practice_nurses * s.practice_nurse_eur_per_youth_year * by_age[:, :18].sum(axis=1)
        eur += s.school_social_work * s.school_social_work_eur_per_pupil_year * by_age[:, 12:18].sum(axis=1)
        return eur

    def gp_referral_factor(self, severity: np.ndarray) -> np.ndarray:
        """GP practice nurses handle light and medium youth questions themselves: fewer direct
        referrals of those (a heavy problem is referred as before)."""
        s = self.model.config.signalling
        return np.where(severity < Severity.HEAVY, 1.0 - s.gp_practice_nurses * s.practice_nurse_referral_reduction, 1.0)
