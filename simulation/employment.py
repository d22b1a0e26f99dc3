"""Employment: who is in paid work, for carer capacity and job loss as a life event.

Each person has a work-propensity trait; they are employed while it is below the employment
rate of their age and sex (data set ``employment.csv``). Each month a few traits are drawn
afresh (job churn), so people lose and find work while the rates by age hold; whose month of
churn it is, is drawn ahead (months between churns are geometric).
"""

from __future__ import annotations

import numpy as np

from .candidacies import Candidacies, schedule_next
from .kernels import hash_uniform, inline, jit, monthly_probability, unit_hash
from .population import Field
from .process import Clock, Process

JOB_LOSS_MAX_AGE = 59  # leaving work later is mostly retirement, not a life event


class Employment(Process):
    name = "employment"
    section = "needs"  # (job churn is a needs parameter: job loss is a life event that brings problems)
    person_fields = {
        "work_trait": Field(np.float32, -1.0),  # -1: not yet drawn
        "churn_next": Field(np.int32, 0),  # model-clock month of the person's next job churn
    }

    def __init__(self, model):
        super().__init__(model)
        self.rate = model.dataset.employment_rate
        self.job_losers = np.empty(0, dtype=np.int64)
        self._candidacies = Candidacies()  # of job churn, in the person field churn_next

    def step(self, clock: Clock) -> None:
        """Newcomers draw their work trait; those whose churn month this is draw it afresh
        (churn months drawn ahead, geometric, so a month looks only at its churners)."""
        p, streams, month, now = self.pop.persons, self.model.streams, clock.month, clock.now
        churn = monthly_probability(self.params.job_churn_rate)
        candidates, new = self._candidacies.due(p.churn_next, clock.date, churn, streams.key("employment.first_churn", month))
        drawn = p.work_trait[new] >= 0  # (all but newcomers, when everyone was scheduled afresh)
        p.work_trait[new] = np.where(drawn, p.work_trait[new], hash_uniform(new, streams.key("employment.new", month)))
        self.job_losers = _churn(candidates, p.alive, self.pop.ages(now), p.sex, p.work_trait, self.rate, p.churn_next,
                                 clock.date, churn,
                                 streams.key("employment.redraw", month), streams.key("employment.churn", month))


@inline
def is_employed(i, age, sex, work_trait, rate):
    """Whether person ``i`` is in paid work: their trait is below the rate of their age and sex."""
    return work_trait[i] < rate[sex[i], min(age[i], rate.shape[1] - 1)]


@jit
def _churn(candidates, alive, age, sex, work_trait, rate, churn_next, clock, churn, key_redraw, key_next):
    """Living ``candidates`` (whose churn month this is) draw their work trait afresh and their
    next churn month. Returns who lost work this way (aged at most JOB_LOSS_MAX_AGE)."""
    lost = np.empty(len(candidates), dtype=np.int64)
    n = 0
    for i in candidates:
        if not schedule_next(i, alive, churn_next, clock, churn, key_next):
            continue
        before = is_employed(i, age, sex, work_trait, rate)
        work_trait[i] = unit_hash(key_redraw, i)
        if before and not is_employed(i, age, sex, work_trait, rate) and age[i] <= JOB_LOSS_MAX_AGE:
            lost[n] = i
            n += 1
    return lost[:n]
