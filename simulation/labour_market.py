"""The regional labour market for care and welfare workers: a pool of job seekers by
profession that providers hire from, fed by new entrants and by staff who change employer.

Each month providers lose staff by turnover; part of the leavers stays in the sector and
returns to the pool, the rest leaves it. New entrants join the pool at the rate that balanced
the sector at the start, growing or shrinking by ``labour_market.supply_growth`` per year (the
shortage scenario). Providers fill vacancies from the pool, competing in proportion to their
vacancies; the hiring speed is limited by ``labour_market.hire_share``.
"""

from __future__ import annotations

import numpy as np

from .domain import PROFESSIONS


class LabourMarket:
    def __init__(self, model):
        self.model = model
        self.pool = np.zeros(len(PROFESSIONS))  # FTE looking for work in the region
        self.base_entrants = np.zeros(len(PROFESSIONS))  # FTE per month at the start

    def start(self) -> None:
        """Balance the market on the staff the warm-up produced: entrants replace the leavers
        who leave the sector; the pool holds a few months of hiring."""
        c = self.model.config.labour_market
        staff = self.model.providers.fte.sum(axis=0)
        monthly_turnover = 1 - (1 - c.turnover_rate) ** (1 / 12)
        self.base_entrants = staff * monthly_turnover * (1 - c.stay_in_sector_share)
        self.pool = staff * c.initial_pool_share

    def step(self, month: int, now: int) -> None:
        c = self.model.config.labour_market
        providers = self.model.providers
        fte = providers.fte.copy()
        monthly_turnover = 1 - (1 - c.turnover_rate) ** (1 / 12)
        leavers = fte * monthly_turnover
        fte -= leavers
        years = month / 12
        self.pool += leavers.sum(axis=0) * c.stay_in_sector_share
        self.pool += self.base_entrants * (1 + c.supply_growth) ** years
        vacancies = np.maximum(providers.target_fte - fte, 0)
        total = vacancies.sum(axis=0)
        hires_total = np.minimum(total, self.pool * c.hire_share)
        share = np.divide(vacancies, total, out=np.zeros_like(vacancies), where=total > 0)
        fte += share * hires_total
        self.pool -= hires_total
        # staff the providers no longer need leave to the pool (no redundancies beyond turnover)
        surplus = np.maximum(fte - providers.target_fte * 1.2, 0)
        fte -= surplus
        self.pool += surplus.sum(axis=0)
        providers.fte[:] = fte
