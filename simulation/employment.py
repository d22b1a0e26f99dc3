"""Employment: who is in paid work, for carer capacity and job loss as a life event.

Each person has a work-propensity trait; they are employed while it is below the employment
rate of their age and sex (data set ``employment.csv``). Each month a few traits are drawn
afresh (job churn), so people lose and find work while the rates by age hold.
"""

from __future__ import annotations

import numpy as np

from .kernels import inline, jit, unit_hash
from .population import Field

JOB_LOSS_MAX_AGE = 59  # leaving work later is mostly retirement, not a life event


class Employment:
    person_fields = {"work_trait": Field(np.float32, -1.0)}  # -1: not yet drawn

    def __init__(self, model):
        self.model = model
        self.pop = model.population
        self.rate = model.dataset.employment_rate
        self.job_losers = np.empty(0, dtype=np.int64)

    def step(self, month: int, now: int) -> None:
        p = self.pop.persons
        churn = 1.0 - (1.0 - self.model.config.needs.job_churn_rate) ** (1 / 12)
        keys = [self.model.streams.key(f"employment.{k}", month) for k in ("new", "churn", "redraw")]
        self.job_losers = _churn(self.pop.active_persons(), self.pop.ages(now), p.sex, p.work_trait, self.rate,
                                 churn, *keys)


@inline
def is_employed(i, age, sex, work_trait, rate):
    """Whether person ``i`` is in paid work: their trait is below the rate of their age and sex."""
    return work_trait[i] < rate[sex[i], min(age[i], rate.shape[1] - 1)]


@jit
def _churn(ids, age, sex, work_trait, rate, churn, key_new, key_churn, key_redraw):
    """Newcomers draw their work trait; a share ``churn`` of everyone draws it afresh.
    Returns who lost work this way (aged at most JOB_LOSS_MAX_AGE)."""
    lost = np.empty(len(ids), dtype=np.int64)
    n = 0
    for i in ids:
        if work_trait[i] < 0:
            work_trait[i] = unit_hash(key_new, i)
        if unit_hash(key_churn, i) < churn:
            before = is_employed(i, age, sex, work_trait, rate)
            work_trait[i] = unit_hash(key_redraw, i)
            if before and not is_employed(i, age, sex, work_trait, rate) and age[i] <= JOB_LOSS_MAX_AGE:
                lost[n] = i
                n += 1
    return lost[:n]
