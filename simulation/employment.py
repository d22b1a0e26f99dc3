"""Employment: who is in paid work, for carer capacity and job loss as a life event.

Each person has a work-propensity trait; they are employed while it is below the employment
rate of their age and sex (data set ``employment.csv``). Each month a few traits are drawn
afresh (job churn), so people lose and find work while the rates by age hold.
"""

from __future__ import annotations

import numpy as np

from .dataset import MAX_AGE
from .population import Field

JOB_LOSS_MAX_AGE = 59  # leaving work later is mostly retirement, not a life event


class Employment:
    person_fields = {"work_trait": Field(np.float32, -1.0)}  # -1: not yet drawn

    def __init__(self, model):
        self.model = model
        self.pop = model.population
        self.rate = model.dataset.employment_rate
        self.job_losers = np.empty(0, dtype=np.int64)

    def employed(self, ids: np.ndarray, now: int) -> np.ndarray:
        age = np.minimum(self.pop.age_years(ids, now), MAX_AGE)
        return self.pop.persons.work_trait[ids] < self.rate[self.pop.persons.sex[ids], age]

    def step(self, month: int, now: int) -> None:
        p = self.pop.persons
        ids = self.pop.active_persons()
        rng = self.model.streams.generator("employment", month)
        u = rng.random(p.n)
        new = ids[p.work_trait[ids] < 0]
        p.work_trait[new] = u[new]
        before = self.employed(ids, now)
        churn = rng.random(len(ids)) < 1.0 - (1.0 - self.model.config.needs.job_churn_rate) ** (1 / 12)
        redraw = ids[churn]
        p.work_trait[redraw] = rng.random(len(redraw))
        after = self.employed(ids, now)
        lost = before & ~after & (self.pop.age_years(ids, now) <= JOB_LOSS_MAX_AGE)
        self.job_losers = ids[lost]
