"""Demography, monthly: mortality, births, leaving home, couples forming and separating,
out-migration of households and in-migration aligned to the municipal projection.

Age needs no update: it is derived from the birth month. Every sub-process is array work over
the living persons or households; the only loop is over orphaned households, which are rare.
Each sub-process draws from its own random stream (``random_streams``).
"""

from __future__ import annotations

import numpy as np

from .dataset import MAX_AGE
from .kernels import max_by
from .population import FEMALE, MALE, NO_ID

AGE_GAP = 2.0  # years men are older than their female partner on average (pairing by age)
LEAVE_HOME_SPREAD = 2.0  # years: logistic spread of the leave-home age around its median
SEPARATION_MAX_AGE = 64  # couples whose man is older rarely separate; they are left out
P_MALE_BIRTH = 0.512  # CBS: about 105 boys per 100 girls


def at_home_share(age: np.ndarray | float, median: float) -> np.ndarray:
    """Share of persons of ``age`` (years, 18+) still living with a parent."""
    return 1.0 / (1.0 + np.exp((np.asarray(age, dtype=float) - median) / LEAVE_HOME_SPREAD))


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

    # --- helpers ---------------------------------------------------------------------
    def _tally(self, flow: str, areas: np.ndarray) -> None:
        self.model.recorder.count(flow, areas)

    def _uniform(self, process: str, month: int, ids: np.ndarray) -> np.ndarray:
        """One uniform number per person (or household) id for ``process`` this month."""
        return self.model.streams.uniform(f"demography.{process}", month, ids)

    def _living(self) -> np.ndarray:
        """Living persons: the start-of-month ids less those who died or left since, plus
        those born or arrived since (``p.active()`` would scan every id ever used)."""
        p = self.pop.persons
        ids = self._ids[p.alive[self._ids]]
        if p.n > self._n_at_start:
            ids = np.concatenate([ids, self._n_at_start + np.flatnonzero(p.alive[self._n_at_start:])])
        return ids

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
        partners = p.partner[persons]
        partners = partners[partners != NO_ID]
        left = partners[p.alive[partners]]
        p.partner[left] = NO_ID
        if flow == "deaths":
            self.events["widowed"] = np.concatenate([self.events["widowed"], left])

    def _minors(self) -> np.ndarray:
        ids = self._living()
        return ids[self.pop.age_years(ids, self._now) < 18]

    def _children_of(self, parents: np.ndarray, kids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Minors ``kids`` who live with one of ``parents``: (child ids, index into parents)."""
        p = self.pop.persons
        is_parent = np.full(p.n, -1, dtype=np.int64)
        is_parent[parents] = np.arange(len(parents))
        idx = np.full(len(kids), -1, dtype=np.int64)
        for parent in (p.mother[kids], p.father[kids]):
            known = parent != NO_ID
            hit = np.full(len(kids), -1, dtype=np.int64)
            hit[known] = is_parent[parent[known]]
            same_hh = hit >= 0
            same_hh[same_hh] = p.household[parents[hit[same_hh]]] == p.household[kids[same_hh]]
            idx = np.where((idx < 0) & same_hh, hit, idx)
        return kids[idx >= 0], idx[idx >= 0]

    # --- the monthly step --------------------------------------------------------------
    def step(self, month: int, now: int) -> None:
        """``month``: index since the start; ``now``: absolute month (year * 12 + month0)."""
        self._now = now
        self.pop.clear_census()
        self._ids = self.pop.persons.active()
        self._n_at_start = self.pop.persons.n
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
        self.pop.close_empty_households()

    def mortality(self, month: int, year: int, params) -> None:
        p = self.pop.persons
        ids = self._ids
        age = np.minimum(self.pop.age_years(ids, self._now), MAX_AGE)
        last = self.ds.mortality_years[1]
        q = self.ds.qx(year) * params.mortality_multiplier
        q = q * (1.0 - params.mortality_improvement) ** max(0, year - last)
        dies = self._uniform("mortality", month, ids) < monthly(q)[p.sex[ids], age]
        self._remove(ids[dies], "deaths")

    def births(self, month: int, year: int, params) -> None:
        p = self.pop.persons
        ids = self._living()
        women = ids[p.sex[ids] == FEMALE]
        age = np.minimum(self.pop.age_years(women, self._now), MAX_AGE)
        fertile = (age >= 12) & (age <= 55)
        women, age = women[fertile], age[fertile]
        rate = self.ds.asfr(year)[age] * params.fertility_multiplier
        # women with a partner bear most children; normalise so each age keeps its ASFR
        w = np.where(p.partner[women] != NO_ID, 1.0, params.single_fertility_ratio)
        mean_w = np.bincount(age, w, minlength=MAX_AGE + 1) / np.maximum(np.bincount(age, minlength=MAX_AGE + 1), 1)
        p_month = monthly(rate * w / np.maximum(mean_w[age], 1e-12))
        mothers = women[self._uniform("births", month, women) < p_month]
        sex_u = self.model.streams.generator("demography.birth_sex", month).random(len(mothers))
        babies = p.add(len(mothers), alive=True, sex=np.where(sex_u < P_MALE_BIRTH, MALE, FEMALE),
                       birth_month=self._now, household=p.household[mothers], mother=mothers,
                       father=p.partner[mothers])
        self._tally("births", self.pop.area_of(babies))

    def leave_home(self, month: int, params) -> None:
        p = self.pop.persons
        ids = self._living()
        age_m = (self._now - p.birth_month[ids]) / 12.0
        cand = (age_m >= 18) & (p.partner[ids] == NO_ID)
        ids, age_m = ids[cand], age_m[cand]
        home = self.pop.lives_with_parent(ids)
        ids, age_m = ids[home], age_m[home]
        s_now = at_home_share(age_m, params.leave_home_median_age)
        s_next = at_home_share(age_m + 1 / 12, params.leave_home_median_age)
        leavers = ids[self._uniform("leave_home", month, ids) < 1.0 - s_next / s_now]
        if len(leavers) == 0:
            return
        rng = self.model.streams.generator("demography.leave_home_where", month)
        share = params.leave_home_outmigration_share if params.projection_variant != "none" else 0.0
        away = rng.random(len(leavers)) < share
        kids, parent_idx = self._children_of(leavers, self._minors())
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
        ids = self._living()
        ids = ids[p.partner[ids] == NO_ID]
        age = self.pop.age_years(ids, self._now)
        rate = self.ds.union_rate[np.minimum(age, MAX_AGE)] * params.union_rate_multiplier
        _, parent_idx = self._children_of(ids, self._minors())
        rate[parent_idx] *= params.single_parent_union_factor
        cand = rate > 0
        ids, age, rate = ids[cand], age[cand], rate[cand]
        seek = self._uniform("unions", month, ids) < monthly(rate)
        seek[seek] = ~self.pop.lives_with_parent(ids[seek])
        ids, age = ids[seek], age[seek]
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
        ids = self._living()
        men = ids[(p.sex[ids] == MALE) & (p.partner[ids] != NO_ID)]
        men = men[self.pop.age_years(men, self._now) <= SEPARATION_MAX_AGE]
        leaving = men[self._uniform("separations", month, men) < monthly(params.separation_rate)]
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
        adult = self.pop.age_years(ids, self._now) >= 18
        adults = np.bincount(p.household[ids[adult]], minlength=h.n)
        members = np.bincount(p.household[ids], minlength=h.n)
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
            self._move(kids, np.full(len(kids), rng.choice(choices)))

    def _oldest_age(self, ids: np.ndarray) -> np.ndarray:
        """Age of the oldest member of every household id (0 for empty ones)."""
        age = self.pop.age_years(ids, self._now)
        return np.minimum(max_by(self.pop.persons.household[ids], age, self.pop.households.n), MAX_AGE)

    def out_migration(self, month: int, params) -> None:
        p, h = self.pop.persons, self.pop.households
        ids = self._living()
        hh = h.active()
        rate = self.ds.migration_profile["out_rate"][self._oldest_age(ids)[hh]] * params.out_migration_multiplier
        leaving = np.zeros(h.n, dtype=bool)
        leaving[hh[self._uniform("out_migration", month, hh) < monthly(rate)]] = True
        self._remove(ids[leaving[p.household[ids]]], "emigrants")

    def in_migration(self, month: int, year: int, params) -> None:
        """Households arrive until the population meets the projection at the month's end;
        each copies the composition of a resident household (ages shifted a little)."""
        p, h = self.pop.persons, self.pop.households
        sc = self.model.config
        start = sc.run.start_year
        target = self.ds.projected_population(params.projection_variant, start + (month + 1) / 12) * sc.run.scale
        ids = self._living()
        need = int(round(target)) - len(ids)
        if need <= 0:
            return
        rng = self.model.streams.generator("demography.in_migration", month)
        hh = h.active()
        sizes = np.bincount(p.household[ids], minlength=h.n)[hh]
        weight = self.ds.migration_profile["in_weight"][self._oldest_age(ids)[hh]]
        weight = weight / weight.sum()
        chosen = np.empty(0, dtype=np.int64)
        while sizes[chosen].sum() < need:
            batch = rng.choice(len(hh), size=max(8, int(1.3 * need / sizes.mean())), p=weight)
            chosen = np.concatenate([chosen, batch])
        cum = np.cumsum(sizes[chosen])
        chosen = chosen[: int(np.searchsorted(cum, need)) + 1]
        templates = hh[chosen]

        # members of each template, as one block per clone, sorted by old id within a block
        members = ids[np.isin(p.household[ids], templates)]
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
        key = clone.astype(np.int64) * (p.n + 1) + old
        for field in ("partner", "mother", "father"):
            rel = getattr(p, field)[old]
            pos = np.searchsorted(key, clone * (p.n + 1) + rel)
            pos = np.minimum(pos, len(key) - 1)
            found = (rel != NO_ID) & (key[pos] == clone * (p.n + 1) + rel)
            getattr(p, field)[new] = np.where(found, new[pos], NO_ID)
        self._tally("immigrants", h.area[new_hh[clone]])
