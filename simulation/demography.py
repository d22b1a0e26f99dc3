"""Demography, monthly: mortality, births, leaving home, couples forming and separating,
out-migration of households and in-migration aligned to the municipal projection.

Age needs no update: it is derived from the birth month. Every sub-process is array work over
the living persons or households; the only loop is over orphaned households, which are rare.
Each sub-process draws from its own random stream (``random_streams``).
"""

from __future__ import annotations

import numpy as np

from .dataset import MAX_AGE
from .kernels import happens_this_month, jit, unit_hash
from .population import FEMALE, MALE, NO_ID, lives_with_parent_at

AGE_GAP = 2.0  # years men are older than their female partner on average (pairing by age)
LEAVE_HOME_SPREAD = 2.0  # years: logistic spread of the leave-home age around its median
SEPARATION_MAX_AGE = 64  # couples whose man is older rarely separate; they are left out
P_MALE_BIRTH = 0.512  # CBS: about 105 boys per 100 girls


@jit
def at_home_share(age, median):
    """Share of persons of ``age`` (years, 18+) still living with a parent."""
    return 1.0 / (1.0 + np.exp((age - median) / LEAVE_HOME_SPREAD))


def monthly(p_year: np.ndarray | float) -> np.ndarray:
    """Monthly probability from a yearly probability (constant hazard within the year)."""
    return 1.0 - (1.0 - np.clip(p_year, 0.0, 1.0)) ** (1.0 / 12.0)


def pair_by_age(men: np.ndarray, women: np.ndarray, age_men: np.ndarray, age_women: np.ndarray,
                rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Pair men and women of similar age (men AGE_GAP older): both sorted by age with noise,
    the larger group thinned by quantile so ranks match."""
    m = men[np.argsort(age_men + rng.normal(0, 1.5, len(men)), kind="stable")]
    w = women[np.argsort(age_women + AGE_GAP + rng.normal(0, 1.5, len(women)), kind="stable")]
    k = min(len(m), len(w))
    if k == 0:
        return m[:0], w[:0]
    if len(m) > k:
        m = m[((np.arange(k) + 0.5) * len(m) / k).astype(np.int64)]
    if len(w) > k:
        w = w[((np.arange(k) + 0.5) * len(w) / k).astype(np.int64)]
    return m, w


class Demography:
    """Owns persons' life events and household membership changes."""

    def __init__(self, model):
        self.model = model
        self.pop = model.population
        self.ds = model.dataset
        self.events = {"separated": np.empty(0, np.int64), "widowed": np.empty(0, np.int64)}
        self.removed: list[np.ndarray] = []  # who died or left this month, for the processes after

    # --- helpers ---------------------------------------------------------------------
    def _tally(self, flow: str, areas: np.ndarray) -> None:
        self.model.recorder.count(flow, areas)

    def _living(self) -> np.ndarray:
        """Living persons: the start-of-month ids less those who died or left since, plus
        those born or arrived since (``p.active()`` would scan every id ever used)."""
        if self._living_ids is None:  # reset by every removal and addition
            p = self.pop.persons
            ids = self._ids[p.alive[self._ids]]
            if p.n > self._n_at_start:
                ids = np.concatenate([ids, self._n_at_start + np.flatnonzero(p.alive[self._n_at_start:])])
            self._living_ids = ids
        return self._living_ids

    def _move(self, persons: np.ndarray, households: np.ndarray) -> None:
        """Move persons to households, counting moves between areas."""
        p = self.pop.persons
        old = self.pop.households.area[p.household[persons]]
        new = self.pop.households.area[households]
        changed = old != new
        self._tally("moved_out", old[changed])
        self._tally("moved_in", new[changed])
        p.household[persons] = households

    def _remove(self, persons: np.ndarray, flow: str) -> None:
        """Persons leave the population (death or emigration); partners left behind are single."""
        p = self.pop.persons
        self._tally(flow, self.pop.area_of(persons))
        p.alive[persons] = False
        self._living_ids = None
        self.removed.append(persons)
        partners = p.partner[persons]
        partners = partners[partners != NO_ID]
        left = partners[p.alive[partners]]
        p.partner[left] = NO_ID
        if flow == "deaths":
            self.events["widowed"] = np.concatenate([self.events["widowed"], left])

    def _children_of(self, parents: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Minors who live with one of ``parents``: (child ids, index into parents)."""
        p = self.pop.persons
        return _children_living_with(parents, self._living(), p.birth_month, self._now, p.mother, p.father,
                                     p.household, p.n)

    # --- the monthly step --------------------------------------------------------------
    def step(self, month: int, now: int) -> None:
        """``month``: index since the start; ``now``: absolute month (year * 12 + month0)."""
        self._now = now
        self.pop.clear_census()
        self._ids = self.pop.persons.active()
        self._n_at_start = self.pop.persons.n
        self._living_ids = self._ids
        self.removed = []
        self.events = {"separated": np.empty(0, np.int64), "widowed": np.empty(0, np.int64)}
        params = self.model.config.demography
        year = now // 12
        self.mortality(month, year, params)
        self.births(month, year, params)
        self.leave_home(month, params)
        self.unions(month, params)
        self.separations(month, params)
        self.foster_orphans(month)
        if params.projection_variant != "none":
            self.out_migration(month, params)
            self.in_migration(month, year, params)
        self.pop.close_empty_households(self._sizes)

    def mortality(self, month: int, year: int, params) -> None:
        p = self.pop.persons
        last = self.ds.mortality_years[1]
        q = self.ds.qx(year) * params.mortality_multiplier
        q = q * (1.0 - params.mortality_improvement) ** max(0, year - last)
        self._remove(_draw(self._ids, p.birth_month, self._now, p.sex, monthly(q),
                           self.model.streams.key("demography.mortality", month)), "deaths")

    def births(self, month: int, year: int, params) -> None:
        p = self.pop.persons
        mothers = _mothers(self._living(), p.birth_month, self._now, p.sex, p.partner,
                           self.ds.asfr(year) * params.fertility_multiplier, params.single_fertility_ratio,
                           self.model.streams.key("demography.births", month))
        sex_u = self.model.streams.generator("demography.birth_sex", month).random(len(mothers))
        babies = p.add(len(mothers), alive=True, sex=np.where(sex_u < P_MALE_BIRTH, MALE, FEMALE),
                       birth_month=self._now, household=p.household[mothers], mother=mothers,
                       father=p.partner[mothers])
        self._living_ids = None
        self._tally("births", self.pop.area_of(babies))

    def leave_home(self, month: int, params) -> None:
        p = self.pop.persons
        leavers = _leavers(self._living(), p.birth_month, self._now, p.partner, p.mother, p.father, p.alive,
                           p.household, params.leave_home_median_age,
                           self.model.streams.key("demography.leave_home", month))
        if len(leavers) == 0:
            return
        rng = self.model.streams.generator("demography.leave_home_where", month)
        share = params.leave_home_outmigration_share if params.projection_variant != "none" else 0.0
        away = rng.random(len(leavers)) < share
        kids, parent_idx = self._children_of(leavers)
        # children of a leaver go with their parent
        away_kids = kids[away[parent_idx]]
        self._remove(np.concatenate([leavers[away], away_kids]), "emigrants")
        stay = leavers[~away]
        new_hh = self.pop.new_households(self.pop.area_of(stay), self._now, rng, self.model.cohesion)
        stay_kids = ~away[parent_idx]
        hh_of = np.full(p.n, NO_ID, dtype=np.int64)
        hh_of[stay] = new_hh
        self._move(kids[stay_kids], hh_of[leavers[parent_idx[stay_kids]]])
        self._move(stay, new_hh)

    def unions(self, month: int, params) -> None:
        p = self.pop.persons
        singles = self._living()
        singles = singles[p.partner[singles] == NO_ID]
        parent = np.zeros(len(singles), dtype=np.bool_)  # single parents form couples less often
        parent[self._children_of(singles)[1]] = True
        ids, age = _union_seekers(singles, parent, p.birth_month, self._now, p.mother, p.father, p.alive,
                                  p.household, self.ds.union_rate * params.union_rate_multiplier,
                                  params.single_parent_union_factor,
                                  self.model.streams.key("demography.unions", month))
        male = p.sex[ids] == MALE
        rng = self.model.streams.generator("demography.union_match", month)
        men, women = pair_by_age(ids[male], ids[~male], age[male], age[~male], rng)
        keep = p.household[men] != p.household[women]
        men, women = men[keep], women[keep]
        if len(men) == 0:
            return
        p.partner[men] = women
        p.partner[women] = men
        # the woman's household moves into the man's
        target = np.full(self.pop.households.n, NO_ID, dtype=np.int64)
        target[p.household[women]] = p.household[men]
        living = self._living()
        dest = target[p.household[living]]
        movers = dest != NO_ID
        self._move(living[movers], dest[movers])

    def separations(self, month: int, params) -> None:
        p = self.pop.persons
        leaving = _separating(self._living(), p.birth_month, self._now, p.sex, p.partner,
                              monthly(params.separation_rate), self.model.streams.key("demography.separations", month))
        if len(leaving) == 0:
            return
        self.events["separated"] = np.concatenate([leaving, p.partner[leaving]])
        p.partner[p.partner[leaving]] = NO_ID
        p.partner[leaving] = NO_ID
        rng = self.model.streams.generator("demography.separation_where", month)
        new_hh = self.pop.new_households(self.pop.area_of(leaving), self._now, rng, self.model.cohesion)
        self._move(leaving, new_hh)

    def foster_orphans(self, month: int) -> None:
        """Minors left without an adult in their household move to a family in their area."""
        p, h = self.pop.persons, self.pop.households
        ids = self._living()
        members, adults, oldest = _household_counts(ids, p.birth_month, self._now, p.household, h.n)
        # kept up to date for migration and closing empty households, which follow
        self._sizes, self._oldest = members, np.minimum(oldest, MAX_AGE)
        orphaned = np.flatnonzero((members > 0) & (adults == 0))
        if len(orphaned) == 0:
            return
        rng = self.model.streams.generator("demography.foster", month)
        with_adults = np.flatnonzero(h.alive & (adults > 0))
        for hh in orphaned:  # rare: a handful per decade at 1:1
            choices = with_adults[h.area[with_adults] == h.area[hh]]
            if len(choices) == 0:
                choices = with_adults
            kids = ids[p.household[ids] == hh]
            family = rng.choice(choices)
            self._move(kids, np.full(len(kids), family))
            members[hh] -= len(kids)
            members[family] += len(kids)

    def out_migration(self, month: int, params) -> None:
        p = self.pop.persons
        ids = self._living()
        leaving = _leaving(self._sizes, self._oldest, self.ds.migration_profile["out_rate"] * params.out_migration_multiplier,
                           self.model.streams.key("demography.out_migration", month))
        self._remove(ids[leaving[p.household[ids]]], "emigrants")
        self._sizes[leaving] = 0  # what in-migration copies from

    def in_migration(self, month: int, year: int, params) -> None:
        """Households arrive until the population meets the projection at the month's end;
        each copies the composition of a resident household (ages shifted a little).
        Runs after ``out_migration`` (household counts kept since ``foster_orphans``)."""
        p, h = self.pop.persons, self.pop.households
        sc = self.model.config
        start = sc.run.start_year
        target = self.ds.projected_population(params.projection_variant, start + (month + 1) / 12) * sc.run.scale
        ids = self._living()
        need = int(round(target)) - len(ids)
        if need <= 0:
            return
        rng = self.model.streams.generator("demography.in_migration", month)
        hh = np.flatnonzero(self._sizes)
        sizes = self._sizes[hh]
        weight = self.ds.migration_profile["in_weight"][self._oldest[hh]]
        weight = weight / weight.sum()
        chosen = np.empty(0, dtype=np.int64)
        while sizes[chosen].sum() < need:
            batch = rng.choice(len(hh), size=max(8, int(1.3 * need / sizes.mean())), p=weight)
            chosen = np.concatenate([chosen, batch])
        cum = np.cumsum(sizes[chosen])
        chosen = chosen[: int(np.searchsorted(cum, need)) + 1]
        templates = hh[chosen]

        # members of each template, as one block per clone, sorted by old id within a block
        is_template = np.zeros(h.n, dtype=bool)
        is_template[templates] = True
        members = ids[is_template[p.household[ids]]]
        by_hh = members[np.argsort(p.household[members], kind="stable")]
        first = np.searchsorted(p.household[by_hh], templates)
        n_members = sizes[chosen]
        clone = np.repeat(np.arange(len(templates)), n_members)
        offset = np.arange(n_members.sum()) - np.repeat(np.cumsum(n_members) - n_members, n_members)
        old = by_hh[first[clone] + offset]

        new_hh = self.pop.new_households(h.area[templates], self._now, rng, self.model.cohesion)
        shift = rng.integers(-11, 1, len(templates))[clone]  # a little older, never born in the future
        new = p.add(len(old), alive=True, sex=p.sex[old], birth_month=p.birth_month[old] + shift,
                    household=new_hh[clone], children_outside=p.children_outside[old])
        self._living_ids = None
        key = clone.astype(np.int64) * (p.n + 1) + old
        for field in ("partner", "mother", "father"):
            rel = getattr(p, field)[old]
            pos = np.searchsorted(key, clone * (p.n + 1) + rel)
            pos = np.minimum(pos, len(key) - 1)
            found = (rel != NO_ID) & (key[pos] == clone * (p.n + 1) + rel)
            getattr(p, field)[new] = np.where(found, new[pos], NO_ID)
        self._tally("immigrants", h.area[new_hh[clone]])


# --- compiled kernels: one loop over the living persons per sub-process --------------------

@jit
def _age(birth_month, now, i):
    return (now - birth_month[i]) // 12


@jit
def _draw(ids, birth_month, now, sex, p_month, key):
    """Who of ``ids`` has the event with monthly probability ``p_month[sex, age]``."""
    out = np.empty(len(ids), dtype=np.int64)
    n = 0
    for i in ids:
        if unit_hash(key, i) < p_month[sex[i], min(_age(birth_month, now, i), MAX_AGE)]:
            out[n] = i
            n += 1
    return out[:n]


@jit
def _mothers(ids, birth_month, now, sex, partner, asfr, single_ratio, key):
    """Women who give birth this month: the age-specific rate, most of it to women with a
    partner (weights normalised so that each age keeps its rate)."""
    count = np.zeros(MAX_AGE + 1)
    weight = np.zeros(MAX_AGE + 1)
    for i in ids:
        a = min(_age(birth_month, now, i), MAX_AGE)
        if sex[i] == FEMALE and 12 <= a <= 55:
            count[a] += 1
            weight[a] += 1.0 if partner[i] != NO_ID else single_ratio
    out = np.empty(len(ids), dtype=np.int64)
    n = 0
    for i in ids:
        a = min(_age(birth_month, now, i), MAX_AGE)
        if sex[i] == FEMALE and 12 <= a <= 55:
            w = 1.0 if partner[i] != NO_ID else single_ratio
            if happens_this_month(unit_hash(key, i), asfr[a] * w / max(weight[a] / count[a], 1e-12)):
                out[n] = i
                n += 1
    return out[:n]


@jit
def _leavers(ids, birth_month, now, partner, mother, father, alive, household, median, key):
    """Single adults living with a parent who leave home this month (the fall of the
    at-home share over the month, by age)."""
    out = np.empty(len(ids), dtype=np.int64)
    n = 0
    for i in ids:
        age = (now - birth_month[i]) / 12.0
        if age < 18 or partner[i] != NO_ID or not lives_with_parent_at(i, mother, father, alive, household):
            continue
        if unit_hash(key, i) < 1.0 - at_home_share(age + 1.0 / 12.0, median) / at_home_share(age, median):
            out[n] = i
            n += 1
    return out[:n]


@jit
def _children_living_with(parents, ids, birth_month, now, mother, father, household, n_ids):
    """Minors among ``ids`` who live with one of ``parents`` (the mother first):
    (child ids, index into parents)."""
    index = np.full(n_ids, -1, dtype=np.int64)
    for k in range(len(parents)):
        index[parents[k]] = k
    kids = np.empty(len(ids), dtype=np.int64)
    which = np.empty(len(ids), dtype=np.int64)
    n = 0
    for i in ids:
        if _age(birth_month, now, i) >= 18:
            continue
        for parent in (mother[i], father[i]):
            if parent >= 0 and index[parent] >= 0 and household[parent] == household[i]:
                kids[n], which[n] = i, index[parent]
                n += 1
                break
    return kids[:n], which[:n]


@jit
def _union_seekers(singles, parent, birth_month, now, mother, father, alive, household, union_rate,
                   parent_factor, key):
    """Singles not living with a parent who look for a partner this month: (ids, ages)."""
    out = np.empty(len(singles), dtype=np.int64)
    ages = np.empty(len(singles), dtype=np.int64)
    n = 0
    for k in range(len(singles)):
        i = singles[k]
        a = _age(birth_month, now, i)
        rate = union_rate[min(a, MAX_AGE)] * (parent_factor if parent[k] else 1.0)
        if rate > 0 and happens_this_month(unit_hash(key, i), rate) \
                and not lives_with_parent_at(i, mother, father, alive, household):
            out[n], ages[n] = i, a
            n += 1
    return out[:n], ages[:n]


@jit
def _separating(ids, birth_month, now, sex, partner, p_month, key):
    """Men with a partner (up to SEPARATION_MAX_AGE) who separate this month."""
    out = np.empty(len(ids), dtype=np.int64)
    n = 0
    for i in ids:
        if sex[i] == MALE and partner[i] != NO_ID and _age(birth_month, now, i) <= SEPARATION_MAX_AGE \
                and unit_hash(key, i) < p_month:
            out[n] = i
            n += 1
    return out[:n]


@jit
def _leaving(sizes, oldest, out_rate, key):
    """Households (with members) that move out of the municipality this month, by the
    yearly rate for the age of their oldest member: a mask over household ids."""
    leaving = np.zeros(len(sizes), dtype=np.bool_)
    for h in range(len(sizes)):
        if sizes[h] > 0 and happens_this_month(unit_hash(key, h), out_rate[oldest[h]]):
            leaving[h] = True
    return leaving


@jit
def _household_counts(ids, birth_month, now, household, n_households):
    """Per household id: members, adult members, and the age of the oldest member."""
    members = np.zeros(n_households, dtype=np.int64)
    adults = np.zeros(n_households, dtype=np.int64)
    oldest = np.zeros(n_households, dtype=np.int64)
    for i in ids:
        h, a = household[i], _age(birth_month, now, i)
        members[h] += 1
        adults[h] += a >= 18
        oldest[h] = max(oldest[h], a)
    return members, adults, oldest
