"""Migration, part of demography's month (``Demography.step`` runs it last): households leave
the municipality by the out-migration profile, and households arrive until the population meets
the municipal projection. By thinning, as problem onset: a household is a candidate for leaving
in a month with the probability of the highest rate (months between candidacies drawn ahead, in
the household field ``leave_next``), then leaves with the ratio of its own probability to that.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .candidacies import Candidacies, schedule_next
from .dataset import MAX_AGE
from .kernels import inline, jit, monthly_probability, unit_hash
from .population import NO_ID

if TYPE_CHECKING:
    from .demography import Demography


class Migration:
    """Demography's migration: its state (out-migration candidacies and rates) and its two
    sub-processes; persons who leave go through demography's ``_remove`` (so the month's
    ``removed`` lists them), arrivals are tallied as immigrants."""

    def __init__(self, demography: "Demography"):
        self.demography = demography
        self.model = demography.model
        self.pop = demography.pop
        self.ds = demography.ds
        self._candidacies = Candidacies()  # of out-migration, in the household field leave_next
        self._out_rates: tuple = (None, None, None)  # (multiplier, monthly probability by age, its highest)

    def out_migration(self, month: int, params) -> None:
        """Households as they were at the start of the month (by their eldest member's age
        then) leave with the members they have now. By thinning, as problem onset: a household
        is a candidate in a month with the probability of the highest rate (months between
        candidacies drawn ahead), then leaves with the ratio of its own probability to that."""
        d, h, streams = self.demography, self.pop.households, self.model.streams
        if self._out_rates[0] != params.out_migration_multiplier:
            p_month = monthly_probability(self.ds.migration_profile["out_rate"] * params.out_migration_multiplier)
            self._out_rates = (params.out_migration_multiplier, p_month, float(p_month.max()))
        _, p_month, bound = self._out_rates
        candidates, _ = self._candidacies.due(h.leave_next, d._now, bound,
                                              streams.key("demography.out_migration_first", month))
        leaving = _leaving(candidates, h.alive, *d._groups,
                           self.pop.persons.birth_month, h.leave_next, d._now, p_month, bound,
                           streams.key("demography.out_migration", month),
                           streams.key("demography.out_migration_next", month))
        d._remove(self.pop.members_now(leaving), "emigrants")

    def in_migration(self, month: int, year: int, params) -> None:
        """Households arrive until the population meets the projection at the month's end;
        each copies the composition of a resident household now (ages shifted a little),
        drawn by the weight of its eldest member's age at the start of the month. Runs last."""
        d, p, h = self.demography, self.pop.persons, self.pop.households
        sc = self.model.config
        start = sc.run.start_year
        target = self.ds.projected_population(params.projection_variant, start + (month + 1) / 12) * sc.run.scale
        residents = d._n_living + p.n - d._n_at_start - sum(len(r) for r in d.removed)
        need = int(round(target)) - residents
        if need <= 0:
            return
        rng = self.model.streams.generator("demography.in_migration", month)
        # templates by rejection sampling: no pass over all households
        weight = self.ds.migration_profile["in_weight"]
        templates, n_members = np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        while n_members.sum() < need:
            batch = rng.integers(0, len(d._groups[0]), max(64, 4 * need))  # households at the census
            eldest_age = _eldest_age(batch, *d._groups, self.pop.persons.birth_month, d._now)
            batch = batch[(rng.random(len(batch)) * weight.max() < weight[eldest_age]) & (eldest_age >= 0)]
            count = self.pop.household_sizes()[batch]  # members now
            templates, n_members = np.concatenate([templates, batch[count > 0]]), np.concatenate([n_members, count[count > 0]])
        templates = templates[: int(np.searchsorted(np.cumsum(n_members), need)) + 1]

        # members of each template, as one block per clone, sorted by old id within a block
        old, blocks = self.pop.member_blocks(templates)
        clone = np.repeat(np.arange(len(templates)), np.diff(blocks))
        new_hh = self.pop.new_households(h.area[templates], d._now, d._neighbours_key(month), self.model.cohesion)
        shift = rng.integers(-11, 1, len(templates))[clone]  # a little older, never born in the future
        new = self.pop.add_persons(len(old), alive=True, sex=p.sex[old], birth_month=p.birth_month[old] + shift,
                    household=new_hh[clone], children_outside=p.children_outside[old])
        _copy_relations(old, blocks, new, p.partner, p.mother, p.father)
        d._tally("immigrants", h.area[new_hh[clone]])


# --- compiled kernels ---------------------------------------------------------------------

@inline
def _eldest_birth(h, first, end, grouped, birth_month):
    """Birth month of the eldest of household ``h``'s members at the start of the month."""
    eldest = birth_month[grouped[first[h]]]
    for j in range(first[h] + 1, end[h]):
        eldest = min(eldest, birth_month[grouped[j]])
    return eldest


@jit
def _eldest_age(households, first, end, grouped, birth_month, now):
    """Age (at most MAX_AGE) now of the eldest member each of ``households`` had at the start
    of the month (census grouping); -1 for those without members then."""
    out = np.full(len(households), -1, dtype=np.int64)
    for k in range(len(households)):
        h = households[k]
        if end[h] > first[h]:
            out[k] = min((now - _eldest_birth(h, first, end, grouped, birth_month)) // 12, MAX_AGE)
    return out


@jit
def _leaving(candidates, alive, first, end, grouped, birth_month, leave_next, now, p_month, bound, key, key_next):
    """Of this month's ``candidates``, the households with members at the start of the month
    (census grouping) that move out: with the ratio of the monthly probability ``p_month`` for
    the age of their eldest member then to the ``bound``. Each living candidate is scheduled
    for its next candidacy."""
    out = np.empty(len(candidates), dtype=np.int64)
    n = 0
    for h in candidates:
        if schedule_next(h, alive, leave_next, now, bound, key_next) and h < len(first) and end[h] > first[h]:
            age = min((now - _eldest_birth(h, first, end, grouped, birth_month)) // 12, MAX_AGE)
            if unit_hash(key, h) * bound < p_month[age]:
                out[n] = h
                n += 1
    return out[:n]


@jit
def _copy_relations(old, blocks, new, partner, mother, father):
    """The clones ``new`` of the members ``old`` (a block per household copied, ``blocks``:
    the starts) are partners, mothers and fathers of each other as the originals are within
    their household; ties outside it are not copied."""
    for c in range(len(blocks) - 1):
        for k in range(blocks[c], blocks[c + 1]):
            for relation in (partner, mother, father):
                tie, copied = relation[old[k]], NO_ID
                for m in range(blocks[c], blocks[c + 1]):
                    if old[m] == tie:
                        copied = new[m]
                relation[new[k]] = copied
