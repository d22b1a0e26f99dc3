"""Demography, monthly: mortality, births, leaving home, couples forming and separating,
out-migration of households and in-migration aligned to the municipal projection (the last
two in ``migration.py``).

Age needs no update: it is derived from the birth month. The sub-processes run in the order of
``Demography.step``; each is a compiled loop over the persons it concerns. One pass over the
living (in ``mortality``) draws the deaths and lists whom births, unions, leaving home and
separations consider, so those loop over their candidates only; families are walked in the kin
lists (``kin.KinLists``) and household members found from the census grouping and the
month's changes (``Population.members_now``), rather than searched. Each sub-process draws from its own random
stream (``random_streams``).
"""

from __future__ import annotations

import numpy as np

from .candidacies import (
    BAND_OF_AGE,
    NEVER,
    DueList,
    age_band,
    band_bounds,
    entering_band,
    geometric_months,
    log_keep,
)
from .dataset import MAX_AGE
from .kernels import happens_this_month, inline, jit, monthly_probability, unit_hash
from .migration import Migration
from .population import FEMALE, MALE, NO_ID, Field, age_at, lives_with_parent_at
from .process import Clock, Process

AGE_GAP = 2.0  # years men are older than their female partner on average (pairing by age)
LEAVE_HOME_SPREAD = 2.0  # years: logistic spread of the leave-home age around its median
SEPARATION_MAX_AGE = 64  # couples whose man is older rarely separate; they are left out
P_MALE_BIRTH = 0.512  # CBS: about 105 boys per 100 girls
FERTILE_AGES = (12, 55)
# the life events drawn by thinning, each with its own candidacies
DEATH, BIRTH, LEAVE_HOME, UNION, SEPARATION = range(5)
EVENTS = 5


@jit
def at_home_share(age, median):
    """Share of persons of ``age`` (years, 18+) still living with a parent."""
    return 1.0 / (1.0 + np.exp((age - median) / LEAVE_HOME_SPREAD))


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


class Demography(Process):
    """Owns persons' life events and household membership changes, and the count of residents
    per area at the start of the month (``residents``)."""

    name = "demography"
    section = "demography"
    results = ("births", "deaths", "immigrants", "emigrants", "moved_in", "moved_out")
    in_warm_up = False  # ages and households are held during the warm-up

    household_fields = {"leave_next": Field(np.int32, 0)}  # month of the household's next out-migration candidacy
    person_fields = {
        "life_next": Field(np.int32, NEVER, EVENTS),  # month of the person's next candidacy for each life event
        "life_due": Field(np.int32, NEVER),  # the earliest of them
    }

    def __init__(self, model):
        super().__init__(model)
        self.ds = model.dataset
        self.residents: np.ndarray | None = None  # per area at the start of the month (set by init, step)
        self.migration = Migration(self)  # out- and in-migration (migration.py)
        self.events = {"separated": np.empty(0, np.int64), "widowed": np.empty(0, np.int64)}
        self.removed: list[np.ndarray] = []  # who died or left this month, for the processes after
        self._scheduled = 0  # persons 0 .. _scheduled-1 have a life-event candidacy drawn
        self._due = DueList()  # who has a life-event candidacy due (life_due)
        self._year: int | None = None  # the year of the rates and fertility weights
        self._bound: np.ndarray | None = None  # bounding monthly probability by (event, sex, age band)

    # --- helpers ---------------------------------------------------------------------
    def _tally(self, flow: str, areas: np.ndarray) -> None:
        self.model.recorder.count(flow, areas)

    def _move(self, persons: np.ndarray, households: np.ndarray) -> None:
        """Move persons to households, counting moves between areas."""
        p = self.pop.persons
        old = self.pop.households.area[p.household[persons]]
        new = self.pop.households.area[households]
        changed = old != new
        self._tally("moved_out", old[changed])
        self._tally("moved_in", new[changed])
        self.pop.move(persons, households)

    def _remove(self, persons: np.ndarray, flow: str) -> None:
        """Persons leave the population (death or emigration); partners left behind are single."""
        p = self.pop.persons
        self._tally(flow, self.pop.area_of(persons))
        self.pop.remove(persons)
        self.removed.append(persons)
        partners = p.partner[persons]
        partners = partners[partners != NO_ID]
        left = partners[p.alive[partners]]
        p.partner[left] = NO_ID
        if flow == "deaths":
            self.events["widowed"] = np.concatenate([self.events["widowed"], left])

    def _neighbours_key(self, month: int) -> np.uint64:
        """The hash key of the neighbour ties drawn for the month's new households (by id)."""
        return self.model.streams.key("demography.neighbours", month)

    def _kin_args(self) -> tuple:
        k = self.pop.kin
        return k.first_child["mother"], k.next_sibling["mother"], k.first_child["father"], k.next_sibling["father"]

    # --- the monthly step --------------------------------------------------------------
    def init(self, clock: Clock) -> None:
        self.residents = self.pop.counts(clock.now)[0].sum(axis=1)

    def step(self, clock: Clock) -> None:
        month, now = clock.month, clock.now
        self._now = now
        # last month's census: nothing has changed since
        self._groups = self.pop.household_groups(now)
        self.residents = self.pop.counts(now)[0].sum(axis=1)  # what budgets and prevention are shared by
        self._n_living = int(self.residents.sum())
        self.pop.clear_census()
        self._n_at_start = self.pop.persons.n
        self.removed = []
        self.events = {"separated": np.empty(0, np.int64), "widowed": np.empty(0, np.int64)}
        params = self.params
        year = now // 12
        self._year_rates(month, year, params)
        self._schedule_new(month)
        self.mortality(month)
        self.births(month)
        self.leave_home(month, params)
        self.unions(month, params)
        self.separations(month, params)
        self.foster_orphans(month)
        if params.projection_variant != "none":
            self.migration.out_migration(month, params)
            self.migration.in_migration(month, year, params)
        # households left empty are closed by the census that follows

    def _year_rates(self, month: int, year: int, params) -> None:
        """Once a year: the monthly death probabilities, the fertility rates and weights, and
        each (sex, age band)'s bounding probability of a life event (``bound``)."""
        if year == self._year:
            return
        p, ds = self.pop.persons, self.ds
        q = ds.qx(year) * params.mortality_multiplier * (1.0 - params.mortality_improvement) ** max(0, year - ds.mortality_years[1])
        self._q_month = monthly_probability(q)
        self._asfr = ds.asfr(year) * params.fertility_multiplier
        living = p.active()  # (once a year, before this month's changes)
        self._fertility_weight = _fertility_weights(living, p.birth_month, self._now, p.sex, p.partner,
                                                    params.single_fertility_ratio)
        age = np.arange(MAX_AGE + 1)
        adult = age >= 18
        fertile = (age >= FERTILE_AGES[0]) & (age <= FERTILE_AGES[1])
        # the highest monthly probability of each event at each age, for either partner status
        by_age = np.zeros((EVENTS, 2, MAX_AGE + 1))
        by_age[DEATH] = self._q_month
        by_age[BIRTH, FEMALE] = np.where(fertile, monthly_probability(
            self._asfr * max(1.0, params.single_fertility_ratio) / self._fertility_weight), 0.0)
        last_month = age + 11 / 12  # leaving home is likelier with every month of age
        by_age[LEAVE_HOME] = np.where(adult, 1.0 - at_home_share(last_month + 1 / 12, params.leave_home_median_age)
                                      / at_home_share(last_month, params.leave_home_median_age), 0.0)
        by_age[UNION] = np.where(adult, monthly_probability(
            ds.union_rate * params.union_rate_multiplier * max(params.single_parent_union_factor, 1.0)), 0.0)
        by_age[SEPARATION, MALE] = np.where(adult & (age <= SEPARATION_MAX_AGE),
                                            monthly_probability(params.separation_rate), 0.0)
        bound = band_bounds(by_age)
        if self._bound is not None:
            # bounds only rise: a lower rate is thinned as well from the old bound, and the
            # candidacies of an event whose bound rose are drawn afresh (they are memoryless)
            raised = bound > self._bound
            bound = np.maximum(bound, self._bound)
            if raised.any():
                self._due.reset()
                _reschedule(living, p.alive, p.birth_month, p.sex, p.mother, p.father, p.household, raised,
                            log_keep(bound), p.life_next,
                            p.life_due, self._now, self.model.streams.key("demography.life_year", month))
        self._bound, self._log_keep, self._year = bound, log_keep(bound), year

    def _schedule_new(self, month: int) -> None:
        """Persons added since the last month get their first candidacies (see ``mortality``)."""
        p = self.pop.persons
        self._fresh = self._scheduled  # ids from here on are drawn now, in their band of now
        _schedule(np.arange(self._fresh, p.n), p.alive, p.birth_month, p.sex, p.mother, p.father, p.household,
                  self._log_keep, p.life_next,
                  p.life_due, self._now, self.model.streams.key("demography.life_first", month))
        self._scheduled = p.n

    def mortality(self, month: int) -> None:
        """Deaths, by thinning as every life event: each event has its own candidacies, a
        person being a candidate in a month with the event's bounding probability for their sex
        and age band (``bound``; the months between candidacies drawn ahead), and a candidate
        then has the event with the ratio of its own monthly probability to that bound. That is
        the same as drawing every event for everyone every month, but a month looks only at its
        candidates (a few percent of residents). The same pass over the month's candidates sorts
        the survivors for births, unions, leaving home and separations (see ``_survey``)."""
        p, streams = self.pop.persons, self.model.streams
        due = self._due.due(p.life_due, self._now)
        dead, self._women, self._singles, self._at_home, self._couples = _survey(
            due, self._fresh, p.birth_month, self._now, p.sex, p.partner, p.mother, p.father, p.alive, p.household,
            p.life_next, p.life_due, self._q_month, self._bound, self._log_keep,
            streams.key("demography.mortality", month),
            streams.key("demography.life_band", month), streams.key("demography.life_next", month))
        self._remove(dead, "deaths")

    def births(self, month: int) -> None:
        p = self.pop.persons
        params = self.model.config.demography
        mothers = _mothers(self._women, p.birth_month, self._now, p.sex, p.partner, self._asfr,
                           params.single_fertility_ratio, self._fertility_weight, self._bound,
                           self.model.streams.key("demography.births", month))
        sex_u = self.model.streams.uniform("demography.birth_sex", month, mothers)
        babies = self.pop.add_persons(len(mothers), alive=True, sex=np.where(sex_u < P_MALE_BIRTH, MALE, FEMALE),
                       birth_month=self._now, household=p.household[mothers], mother=mothers,
                       father=p.partner[mothers])
        self.pop.kin.extend(p)  # a leaver takes their baby along
        self._tally("births", self.pop.area_of(babies))

    def leave_home(self, month: int, params) -> None:
        p = self.pop.persons
        leavers = _leavers(self._at_home, p.birth_month, self._now, p.sex, p.partner, p.mother, p.father, p.alive,
                           p.household, params.leave_home_median_age, self._bound,
                           self.model.streams.key("demography.leave_home", month))
        if len(leavers) == 0:
            return
        share = params.leave_home_outmigration_share if params.projection_variant != "none" else 0.0
        away = self.model.streams.uniform("demography.leave_home_where", month, leavers) < share
        kids, parent_idx = _children_living_with(leavers, p.birth_month, self._now, p.alive, p.household, p.mother,
                                                 *self._kin_args())
        # children of a leaver go with their parent
        away_kids = kids[away[parent_idx]]
        self._remove(np.concatenate([leavers[away], away_kids]), "emigrants")
        stay = ~away
        new_hh = np.full(len(leavers), NO_ID, dtype=np.int64)
        new_hh[stay] = self.pop.new_households(self.pop.area_of(leavers[stay]), self._now, self._neighbours_key(month),
                                               self.model.cohesion)
        stay_kids = stay[parent_idx]
        self._move(kids[stay_kids], new_hh[parent_idx[stay_kids]])
        self._move(leavers[stay], new_hh[stay])

    def unions(self, month: int, params) -> None:
        p = self.pop.persons
        ids, age = _union_seekers(self._singles, p.birth_month, self._now, p.sex, p.alive, p.partner, p.mother,
                                  p.father, p.household, *self._kin_args(),
                                  self.ds.union_rate * params.union_rate_multiplier, params.single_parent_union_factor,
                                  self._bound, self.model.streams.key("demography.unions", month))
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
        movers = self.pop.members_now(p.household[women])
        # to the man's household (two women of one household: the last pair's man)
        from_hh, last = np.unique(p.household[women][::-1], return_index=True)
        to_hh = p.household[men][::-1][last]
        self._move(movers, to_hh[np.searchsorted(from_hh, p.household[movers])])

    def separations(self, month: int, params) -> None:
        p = self.pop.persons
        leaving = _separating(self._couples, p.birth_month, self._now, p.sex, p.alive, p.partner,
                              monthly_probability(params.separation_rate), self._bound,
                              self.model.streams.key("demography.separations", month))
        if len(leaving) == 0:
            return
        self.events["separated"] = np.concatenate([leaving, p.partner[leaving]])
        p.partner[p.partner[leaving]] = NO_ID
        p.partner[leaving] = NO_ID
        new_hh = self.pop.new_households(self.pop.area_of(leaving), self._now, self._neighbours_key(month),
                                         self.model.cohesion)
        self._move(leaving, new_hh)

    def foster_orphans(self, month: int) -> None:
        """Minors left without an adult in their household move to a family in their area.
        Only a household someone left this month can have lost its last adult, so only those
        are examined."""
        p, h = self.pop.persons, self.pop.households
        changed = self.pop.left_households()
        members, adults = self.pop.count_members_now(changed, self._now)
        orphaned = changed[(members > 0) & (adults == 0)]
        if len(orphaned) == 0:
            return
        # rare (a handful per decade at 1:1): count adults in every household for the choice
        adults = _adults(p.active(), p.birth_month, self._now, p.alive, p.household, h.n)
        rng = self.model.streams.generator("demography.foster", month)
        with_adults = np.flatnonzero(h.alive & (adults > 0))
        for hh in orphaned:
            choices = with_adults[h.area[with_adults] == h.area[hh]]
            if len(choices) == 0:
                choices = with_adults
            kids = self.pop.members_now(np.array([hh]))
            self._move(kids, np.full(len(kids), rng.choice(choices)))


# --- compiled kernels: one loop per sub-process over the persons it concerns -------------------

@inline
def _band_bound(event, i, age, sex, bound):
    """The bounding monthly probability of ``event`` for person ``i`` of ``age``."""
    return bound[event, sex[i], BAND_OF_AGE[min(age, MAX_AGE)]]


@inline
def _next_candidacy(i, event, month, band, band_end, sex, log_keep, key, at_home):
    """The month of person ``i``'s next candidacy for ``event`` from ``month`` on (``month``
    included) while in age ``band``: geometric at the event's bound for the band
    (``log_keep``: log(1 - bound)), or the month the band ends if that comes first (to be drawn
    afresh there). Leaving home: only while living with a parent (``at_home``); no one comes
    to live with a parent within a band (only by being born, arriving, or turning 18 there),
    so those who do not have none in the band."""
    if event == LEAVE_HOME and not at_home:
        return band_end
    return min(month + geometric_months(unit_hash(key, i * EVENTS + event), log_keep[event, sex[i], band]), band_end)


@inline
def _earliest(i, life_next):
    earliest = life_next[i, 0]
    for event in range(1, EVENTS):
        earliest = min(earliest, life_next[i, event])
    return earliest


@jit
def _schedule(ids, alive, birth_month, sex, mother, father, household, log_keep, life_next, life_due, now, key):
    """The first candidacy for each life event of ``ids`` from month ``now`` on (the dead: never)."""
    for i in ids:
        if not alive[i]:
            life_due[i] = NEVER
            continue
        band, left = age_band(i, birth_month, now)
        band_end = now + left
        at_home = lives_with_parent_at(i, mother, father, alive, household)
        for event in range(EVENTS):
            life_next[i, event] = _next_candidacy(i, event, now, band, band_end, sex, log_keep, key, at_home)
        life_due[i] = _earliest(i, life_next)


@jit
def _reschedule(ids, alive, birth_month, sex, mother, father, household, raised, log_keep, life_next, life_due, now,
                key):
    """Draw afresh the next candidacy of those of ``ids`` for the events whose bound for their
    (sex, age band) was ``raised`` (those entering a band now are, when they are due)."""
    for i in ids:
        if not alive[i]:
            continue
        band, left = age_band(i, birth_month, now)
        if entering_band(i, birth_month, now, band):
            continue
        band_end = now + left
        at_home = lives_with_parent_at(i, mother, father, alive, household)
        for event in range(EVENTS):
            if raised[event, sex[i], band]:
                life_next[i, event] = _next_candidacy(i, event, now, band, band_end, sex, log_keep, key, at_home)
        life_due[i] = _earliest(i, life_next)


@jit
def _survey(due, fresh, birth_month, now, sex, partner, mother, father, alive, household, life_next, life_due,
            q_month, bound, log_keep, key, key_band, key_next):
    """The month's candidates among the persons ``due`` (a candidacy this month), each
    scheduled for their next candidacies (a person entering an age band, whose candidacies were
    drawn in the band before -- ids below ``fresh`` --, has theirs drawn afresh at its bounds:
    candidates now, or later). Of the candidates for death, who dies (monthly
    probability ``q_month[sex, age]`` against the bound); of the survivors, the candidates the
    later sub-processes consider: women aged 12-55 (births), single adults (unions), single
    adults living with a parent (leaving home) and men up to SEPARATION_MAX_AGE with a partner
    (separations). Partner status is that at the start of the month: the widowed of this month
    seek a partner or leave home from the next, couples formed this month can separate from the
    next. Returns (dead, women, singles, at home, men in a couple)."""
    n = len(due)
    dead, women = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    singles, at_home, men = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    n_dead = n_women = n_singles = n_home = n_men = 0
    for i in due:
        if not alive[i]:
            life_due[i] = NEVER
            continue
        a = age_at(birth_month, now, i)
        band, left = age_band(i, birth_month, now)
        band_end = now + left
        entering = i < fresh and entering_band(i, birth_month, now, band)
        # (living with a parent matters only where leaving home is drawn)
        with_parent = ((entering or life_next[i, LEAVE_HOME] <= now)
                       and lives_with_parent_at(i, mother, father, alive, household))
        if entering:
            for event in range(EVENTS):
                life_next[i, event] = _next_candidacy(i, event, now, band, band_end, sex, log_keep, key_band,
                                                      with_parent)
        candidate = 0  # a bit per event
        for event in range(EVENTS):
            if life_next[i, event] <= now:
                candidate |= 1 << event
                life_next[i, event] = _next_candidacy(i, event, now + 1, band, band_end, sex, log_keep, key_next,
                                                      with_parent)
        life_due[i] = _earliest(i, life_next)
        if candidate & (1 << DEATH) and unit_hash(key, i) * bound[DEATH, sex[i], band] < q_month[sex[i], min(a, MAX_AGE)]:
            dead[n_dead] = i
            n_dead += 1
            continue
        if candidate & (1 << BIRTH) and sex[i] == FEMALE and FERTILE_AGES[0] <= a <= FERTILE_AGES[1]:
            women[n_women] = i
            n_women += 1
        if candidate & (1 << SEPARATION) and sex[i] != FEMALE and partner[i] != NO_ID and a <= SEPARATION_MAX_AGE:
            men[n_men] = i
            n_men += 1
        if a >= 18 and partner[i] == NO_ID:
            if candidate & (1 << UNION):
                singles[n_singles] = i
                n_singles += 1
            if candidate & (1 << LEAVE_HOME) and with_parent:
                at_home[n_home] = i
                n_home += 1
    return dead[:n_dead], women[:n_women], singles[:n_singles], at_home[:n_home], men[:n_men]


@jit
def _fertility_weights(ids, birth_month, now, sex, partner, single_ratio):
    """The mean birth-rate weight of the women of each age (12-55) among ``ids``: 1 with a
    partner, ``single_ratio`` without (1 for ages without women)."""
    count = np.zeros(MAX_AGE + 1)
    weight = np.zeros(MAX_AGE + 1)
    for i in ids:
        a = age_at(birth_month, now, i)
        if sex[i] == FEMALE and FERTILE_AGES[0] <= a <= FERTILE_AGES[1]:
            count[a] += 1
            weight[a] += 1.0 if partner[i] != NO_ID else single_ratio
    mean = np.ones(MAX_AGE + 1)
    for a in range(MAX_AGE + 1):
        if count[a] > 0:
            mean[a] = max(weight[a] / count[a], 1e-12)
    return mean


@jit
def _mothers(women, birth_month, now, sex, partner, asfr, single_ratio, mean_weight, bound, key):
    """Of the candidate ``women`` (aged 12-55), those who give birth this month: the age-specific
    rate, most of it to women with a partner (the weight divided by the age's ``mean_weight``,
    so that each age keeps its rate)."""
    out = np.empty(len(women), dtype=np.int64)
    n = 0
    for i in women:
        a = age_at(birth_month, now, i)
        w = 1.0 if partner[i] != NO_ID else single_ratio
        if happens_this_month(unit_hash(key, i) * _band_bound(BIRTH, i, a, sex, bound), asfr[a] * w / mean_weight[a]):
            out[n] = i
            n += 1
    return out[:n]


@jit
def _leavers(at_home, birth_month, now, sex, partner, mother, father, alive, household, median, bound, key):
    """Of the candidates ``at_home``, the singles still living with a parent who leave home
    this month (the fall of the at-home share over the month, by age)."""
    out = np.empty(len(at_home), dtype=np.int64)
    n = 0
    for i in at_home:
        if partner[i] != NO_ID or not lives_with_parent_at(i, mother, father, alive, household):
            continue
        age = (now - birth_month[i]) / 12.0
        u = unit_hash(key, i) * _band_bound(LEAVE_HOME, i, age_at(birth_month, now, i), sex, bound)
        if u < 1.0 - at_home_share(age + 1.0 / 12.0, median) / at_home_share(age, median):
            out[n] = i
            n += 1
    return out[:n]


@inline
def _is_child_at_home(child, parent, birth_month, now, alive, household):
    return alive[child] and age_at(birth_month, now, child) < 18 and household[child] == household[parent]


@jit
def _children_living_with(parents, birth_month, now, alive, household, mother,
                          first_by_mother, next_by_mother, first_by_father, next_by_father):
    """Minors who live with one of ``parents`` (sorted ids), found in the kin lists; a child of
    two of them goes with the mother. Returns (child ids, index into parents)."""
    kids, which = [], []
    for k in range(len(parents)):
        parent = parents[k]
        child = first_by_mother[parent]
        while child >= 0:
            if _is_child_at_home(child, parent, birth_month, now, alive, household):
                kids.append(child)
                which.append(k)
            child = next_by_mother[child]
        child = first_by_father[parent]
        while child >= 0:
            if _is_child_at_home(child, parent, birth_month, now, alive, household):
                m = mother[child]
                j = np.searchsorted(parents, m)
                if not (m >= 0 and j < len(parents) and parents[j] == m
                        and _is_child_at_home(child, m, birth_month, now, alive, household)):
                    kids.append(child)
                    which.append(k)
            child = next_by_father[child]
    return np.array(kids, dtype=np.int64), np.array(which, dtype=np.int64)


@inline
def _has_child_at_home(parent, birth_month, now, alive, household,
                       first_by_mother, next_by_mother, first_by_father, next_by_father):
    return (_child_at_home_in(first_by_mother, next_by_mother, parent, birth_month, now, alive, household)
            or _child_at_home_in(first_by_father, next_by_father, parent, birth_month, now, alive, household))


@inline
def _child_at_home_in(first, following, parent, birth_month, now, alive, household):
    """Whether a child of ``parent`` by one parent's lists lives at home with them (a helper
    per list: a loop over a tuple of arrays would count references)."""
    child = first[parent]
    while child >= 0:
        if _is_child_at_home(child, parent, birth_month, now, alive, household):
            return True
        child = following[child]
    return False


@jit
def _union_seekers(ids, birth_month, now, sex, alive, partner, mother, father, household,
                   first_by_mother, next_by_mother, first_by_father, next_by_father,
                   union_rate, parent_factor, bound, key):
    """Of the candidates ``ids`` (adults single at the start of the month), those still single
    and not living with a parent who look for a partner this month (single parents at
    ``parent_factor`` times the rate): (ids, ages)."""
    out = np.empty(len(ids), dtype=np.int64)
    ages = np.empty(len(ids), dtype=np.int64)
    n = 0
    for i in ids:
        if not alive[i] or partner[i] != NO_ID:
            continue
        a = age_at(birth_month, now, i)
        rate = union_rate[min(a, MAX_AGE)]
        u = unit_hash(key, i) * _band_bound(UNION, i, a, sex, bound)
        # the family is walked only for the few the draw could select
        if rate <= 0 or not happens_this_month(u, rate * max(parent_factor, 1.0)):
            continue
        if _has_child_at_home(i, birth_month, now, alive, household,
                              first_by_mother, next_by_mother, first_by_father, next_by_father):
            rate *= parent_factor
        if happens_this_month(u, rate) and not lives_with_parent_at(i, mother, father, alive, household):
            out[n], ages[n] = i, a
            n += 1
    return out[:n], ages[:n]


@jit
def _separating(men, birth_month, now, sex, alive, partner, p_month, bound, key):
    """Of the candidate ``men`` (in a couple at the start of the month), those still in one who
    separate."""
    out = np.empty(len(men), dtype=np.int64)
    n = 0
    for i in men:
        if (alive[i] and partner[i] != NO_ID
                and unit_hash(key, i) * _band_bound(SEPARATION, i, age_at(birth_month, now, i), sex, bound) < p_month):
            out[n] = i
            n += 1
    return out[:n]


@jit
def _adults(ids, birth_month, now, alive, household, n_households):
    """Living adult members per household id."""
    adults = np.zeros(n_households, dtype=np.int32)
    for i in ids:
        if alive[i] and age_at(birth_month, now, i) >= 18:
            adults[household[i]] += 1
    return adults
