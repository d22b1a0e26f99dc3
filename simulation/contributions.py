"""The personal contribution (eigen bijdrage) for Wmo provisions and its effect on demand.

Regimes by year: income-dependent until ``flat_from`` (2019), a flat subscription rate
(abonnementstarief) until ``income_from`` (2026), income-dependent again from then on. Under an
income-dependent regime some middle- and high-income residents organise help themselves
rather than ask (their problem gets status PRIVATE: no request); under the flat rate nobody
does, which is why demand rose in 2019.
"""

from __future__ import annotations

import numpy as np

from .kernels import inline, unit_hash
from .domain import DOMAIN_INDEX, DOMAINS
from .process import Process
from .random_streams import id_uniform, trait_key

LOW, MIDDLE, HIGH = 0, 1, 2
# by domain: whether its clients may organise help privately
OPT_OUT = np.isin(np.arange(len(DOMAINS)), [DOMAIN_INDEX[d] for d in ("household_help", "individual_support", "day_activities")])


class Contributions(Process):
    """The rules of the personal contribution, which the pathway (who opts out) and costs (what
    clients pay) ask; no monthly step of its own."""

    name = "contributions"
    section = "contributions"

    def income_dependent(self, year: int) -> bool:
        c = self.params
        return not (c.flat_from <= year < c.income_from)

    def income_class(self, ids: np.ndarray) -> np.ndarray:
        """Low / middle / high income of the person's household (a persistent trait)."""
        c = self.params
        u = id_uniform(self.pop.persons.household[ids], self.model.seed, "income")
        return np.where(u < c.share_low_income, LOW, np.where(u < c.share_low_income + c.share_middle_income, MIDDLE, HIGH))

    def opts_out(self, ids: np.ndarray, year: int, month: int) -> np.ndarray:
        """Who organises help privately instead of asking (income-dependent regime only)."""
        c = self.params
        if not self.income_dependent(year) or len(ids) == 0:
            return np.zeros(len(ids), dtype=bool)
        p_out = np.array([0.0, c.opt_out_middle, c.opt_out_high])[self.income_class(ids)]
        eligible = OPT_OUT[self.pop.persons.need_domain[ids]]
        u = self.model.streams.uniform("contributions.opt_out", month, ids)
        return eligible & (u < p_out)

    def monthly_rates(self, year: int) -> np.ndarray:
        """Contribution per month of a Wmo client by income class LOW, MIDDLE, HIGH (EUR, nominal)."""
        c = self.params
        if not self.income_dependent(year):
            return np.full(3, c.flat_rate_eur_month)
        return np.array([c.flat_rate_eur_month, c.middle_income_eur_month, c.high_income_eur_month])

    def income_args(self) -> tuple:
        """What ``income_class_of`` takes besides the household: the trait's key and the
        upper bounds of the low and middle classes."""
        c = self.params
        return trait_key(self.model.seed, "income"), c.share_low_income, c.share_low_income + c.share_middle_income


@inline
def income_class_of(household, key, low, middle):
    """``Contributions.income_class`` of a person in ``household``, for kernels (LOW, MIDDLE,
    HIGH are 0, 1, 2: counted without a branch)."""
    u = unit_hash(key, household)
    return np.int64(u >= low) + np.int64(u >= middle)
