"""Demography, monthly: mortality, births, leaving home, couples forming and separating,
out-migration of households and in-migration aligned to the municipal projection (the last
two in ``migration.py``).

Age needs no update: it is derived from the birth month. The sub-processes run in the order of
``Demography.step``. Who has a life event this month is drawn by the compiled kernels of
``life_events.py`` (by thinning, looping over each event's candidates only); this module applies
the events to persons and households: babies join their mother's household, leavers and
separated partners form households, couples move in together, orphans are fostered, and the
dead and the emigrants leave. Household members are found from the census grouping and the
month's changes (``Population.members_now``), rather than searched. Each sub-process draws from
its own random stream (``random_streams``).
"""

from __future__ import annotations

import numpy as np

from . import life_events as events
from .candidacies import NEVER, DueList, band_bounds, log_keep
from .dataset import MAX_AGE
from .kernels import monthly_probability
from .life_events import (
    BIRTH,
    DEATH,
    EVENTS,
    FERTILE_AGES,
    LEAVE_HOME,
    SEPARATION,
    SEPARATION_MAX_AGE,
    UNION,
    People,
    Thinning,
    at_home_share,
)
from .migration import Migration
from .population import FEMALE, MALE, NO_ID, Field
from .process import Clock, Process

AGE_GAP = 2.0  # years men are older than their female partner on average (pairing by age)
DEATH_BANDS = (65, 70, 75, 80, 85, 90, 95)  # lower bounds of the age bands whose deaths add up to the life table's
N_DEATH_CELLS = 2 * (len(DEATH_BANDS) + 1)
# the cell (sex, death band) of each (sex, age)
DEATH_CELL = (np.arange(2)[:, None] * (len(DEATH_BANDS) + 1)
              + np.searchsorted(DEATH_BANDS, np.arange(MAX_AGE + 1), side="right"))
P_MALE_BIRTH = 0.512  # CBS: about 105 boys per 100 girls


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
    results = ("births", "deaths", "deaths_80_plus", "immigrants", "emigrants", "moved_in", "moved_out")
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
        self._death_rates: tuple = (None, None)  # ((year, multiplier, improvement), monthly death probability by sex and age)

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
        if len(persons) == 0:  # (most calls at small scales)
            return
        p = self.pop.persons
        areas = self.pop.area_of(persons)
        self._tally(flow, areas)
        if flow == "deaths":
            self._tally("deaths_80_plus", areas[self.pop.age_years(persons, self._now) >= 80])
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

    def _thinning(self) -> Thinning:
        p = self.pop.persons
        return Thinning(p.life_next, p.life_due, self._bound, self._log_keep)

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
        self.mortality(month, self.excess_mortality(month))
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
        self._q_month = self.death_probability(year)
        self._asfr = ds.asfr(year) * params.fertility_multiplier
        living = p.active()  # (once a year, before this month's changes)
        self._fertility_weight = events.fertility_weights(living, People.of(p), self._now,
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
                events.redraw_candidacies(living, People.of(p), self._now,
                                          Thinning(p.life_next, p.life_due, bound, log_keep(bound)), raised,
                                          self.model.streams.key("demography.life_year", month))
        self._bound, self._log_keep, self._year = bound, log_keep(bound), year

    def death_probability(self, year: int) -> np.ndarray:
        """Monthly death probability by (sex, age) in ``year``: the life table with the scenario's
        multiplier and improvement (worked out again only when these change: the warm-up asks
        every month)."""
        params, ds = self.params, self.ds
        key = (year, params.mortality_multiplier, params.mortality_improvement)
        if self._death_rates[0] != key:
            q = ds.qx(year) * params.mortality_multiplier * (1.0 - params.mortality_improvement) ** max(0, year - ds.mortality_years[1])
            self._death_rates = (key, monthly_probability(q))
        return self._death_rates[1]

    def would_die(self, ids: np.ndarray, clock: Clock, stream: str) -> np.ndarray:
        """The warm-up's stand-in for deaths (demography holds the population then): the persons of
        ``ids`` who would have died this month at the start year's death rates of their sex and
        age. The caller ends what it owns of theirs, as if a resident of the same sex and age
        without it took their place, so long stocks settle where deaths would hold them."""
        q = self.death_probability(clock.year)
        p = self.pop.persons
        u = self.model.streams.uniform(stream, clock.month, ids)
        return ids[u < q[p.sex[ids], np.minimum(self.pop.age_years(ids, clock.now), q.shape[1] - 1)]]

    def _schedule_new(self, month: int) -> None:
        """Persons added since the last month get their first candidacies (see ``mortality``)."""
        p = self.pop.persons
        self._fresh = self._scheduled  # ids from here on are drawn now, in their band of now
        events.first_candidacies(np.arange(self._fresh, p.n), People.of(p), self._now, self._thinning(),
                                 self.model.streams.key("demography.life_first", month))
        self._scheduled = p.n

    def mortality(self, month: int, q_month: np.ndarray) -> None:
        """Deaths at the monthly probabilities ``q_month`` by (sex, age), by thinning as every
        life event (``life_events``); the same pass over the month's candidates lists the
        survivors whom births, unions, leaving home and separations consider
        (``life_events.survey``)."""
        p, streams = self.pop.persons, self.model.streams
        due = self._due.due(p.life_due, self._now)
        dead, self._women, self._singles, self._at_home, self._couples = events.survey(
            due, self._fresh, People.of(p), self._now, self._thinning(), q_month,
            streams.key("demography.mortality", month),
            streams.key("demography.life_band", month), streams.key("demography.life_next", month))
        self._remove(dead, "deaths")

    def excess_mortality(self, month: int) -> np.ndarray:
        """Residents in long-term care die of what brought them there as well as of the life
        table's causes (``long_term_care.excess_death_probability``); the life table is the whole
        population's, so the others die less (``outside_care``). Draws the deaths of those in care
        beyond what ``mortality``'s pass, at the others' rate, gives them (its pass then skips the
        dead), so that each of them dies at the table's rate with the excess on top. Returns the
        others' monthly death probability by (sex, age), for that pass."""
        ids, excess = self.model.long_term_care.excess_death_probability()
        p = self.pop.persons
        sex, age = p.sex[ids], np.minimum(self.pop.age_years(ids, self._now), MAX_AGE)
        in_care = 1.0 - (1.0 - self._q_month[sex, age]) * (1.0 - excess)
        q_outside = self.outside_care(sex, age, in_care)
        beyond = 1.0 - (1.0 - in_care) / (1.0 - q_outside[sex, age])
        self._remove(ids[self.model.streams.uniform("demography.excess_mortality", month, ids) < beyond], "deaths")
        return q_outside

    def outside_care(self, sex: np.ndarray, age: np.ndarray, in_care: np.ndarray) -> np.ndarray:
        """Monthly death probability by (sex, age) of the residents outside long-term care, given
        those in it (their ``sex``, ``age`` and monthly death probability ``in_care``): the life
        table's, times one factor per sex and age band (``DEATH_BANDS``) that makes the band's
        expected deaths, in care and outside, the table's for all its residents; the factor is
        at least ``long_term_care.outside_death_floor`` (1: the full table outside too)."""
        q = self._q_month
        everyone = self.pop.residents_by_sex(self._now)  # kept by the population: no pass over everyone
        expected = np.bincount(DEATH_CELL.ravel(), weights=(everyone * q).ravel(), minlength=N_DEATH_CELLS)
        in_care_cell = DEATH_CELL[sex, age]
        at_table = np.bincount(in_care_cell, weights=q[sex, age], minlength=N_DEATH_CELLS)
        in_care_expected = np.bincount(in_care_cell, weights=in_care, minlength=N_DEATH_CELLS)
        outside = expected - at_table  # the others' expected deaths at the table's rates
        factor = np.ones(N_DEATH_CELLS)
        np.divide(expected - in_care_expected, outside, out=factor, where=outside > 0)
        factor = np.maximum(factor, self.model.config.long_term_care.outside_death_floor)
        return q * factor[DEATH_CELL]

    def births(self, month: int) -> None:
        p = self.pop.persons
        params = self.model.config.demography
        mothers = events.mothers(self._women, People.of(p), self._now, self._bound, self._asfr,
                                 params.single_fertility_ratio, self._fertility_weight,
                                 self.model.streams.key("demography.births", month))
        if len(mothers) == 0:  # (most months at small scales)
            return
        sex_u = self.model.streams.uniform("demography.birth_sex", month, mothers)
        babies = self.pop.add_persons(len(mothers), alive=True, sex=np.where(sex_u < P_MALE_BIRTH, MALE, FEMALE),
                       birth_month=self._now, household=p.household[mothers], mother=mothers,
                       father=p.partner[mothers])
        self.pop.kin.extend(p)  # a leaver takes their baby along
        self._tally("births", self.pop.area_of(babies))

    def leave_home(self, month: int, params) -> None:
        p = self.pop.persons
        people = People.of(p)
        leavers = events.leavers(self._at_home, people, self._now, self._bound, params.leave_home_median_age,
                                 self.model.streams.key("demography.leave_home", month))
        if len(leavers) == 0:
            return
        share = params.leave_home_outmigration_share if params.projection_variant != "none" else 0.0
        away = self.model.streams.uniform("demography.leave_home_where", month, leavers) < share
        kids, parent_idx = events.children_living_with(leavers, people, self._now, self.pop.kin.lists())
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
        ids, age = events.union_seekers(self._singles, People.of(p), self._now, self.pop.kin.lists(), self._bound,
                                        self.ds.union_rate * params.union_rate_multiplier,
                                        params.single_parent_union_factor,
                                        self.model.streams.key("demography.unions", month))
        male = p.sex[ids] == MALE
        if male.all() or not male.any():  # no one to pair (most months at small scales)
            return
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
        leaving = events.separating(self._couples, People.of(p), self._now, self._bound,
                                    monthly_probability(params.separation_rate),
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
        adults = events.adults_by_household(p.active(), People.of(p), self._now, h.n)
        rng = self.model.streams.generator("demography.foster", month)
        with_adults = np.flatnonzero(h.alive & (adults > 0))
        for hh in orphaned:
            choices = with_adults[h.area[with_adults] == h.area[hh]]
            if len(choices) == 0:
                choices = with_adults
            kids = self.pop.members_now(np.array([hh]))
            self._move(kids, np.full(len(kids), rng.choice(choices)))
