"""Informal care: who cares for whom, and the carers' month: strain, respite and derailment.

Every adult has carer capacity in hours per week by age, sex, work and own health. A person with
a problem can have up to ``MAX_CARERS`` carers, each giving some hours; who they are is decided
by matching requests to carers over the network (``matching.py``). Strain rises with the load and
falls by itself and with respite; an overloaded carer stops ("derailed informal care"), the
person they helped asks for help again, and the carer may develop a problem of their own.

At about 520 lines this module is longer than most: its compiled kernels (daily care, strain, the
hours counted as mantelzorg, releasing relations) all walk the care relations it owns, and apart
from the process they would need those arrays handed across modules. Matching was split off.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .domain import DOMAIN_INDEX, DOMAINS, WEEKS_PER_MONTH, Severity, Status, status_in
from .kernels import inline, jit, mark_once, merge_sorted, stable_order, unique_ids, unit_hash
from .matching import KIN_OTHER_AREA, KIN_SAME_AREA, MAX_CARERS, Capacity, Matching, _capacity, _capacity_tables, _free
from .network import Tie
from .population import FEMALE, NO_ID, Field
from .random_streams import trait_key
from .process import Clock, Process

ROUNDING = 1e-4  # hours/week of care left after releasing: float32 rounding, i.e. none
NARROW_HOURS = 8.0  # mantelzorg, narrow definition: more than 8 h/week and/or longer than 3 months
NARROW_MONTHS = 3
# by domain: help that is not mantelzorg (CBS asks about care for someone who needs it because of a
# health problem or limitation): help with debts, and parents' help with their child's youth-care
# problem (upbringing, behaviour: ordinary parenting in the survey's sense). It strains the helper
# but is not counted among the carers and their hours
NOT_CARE = np.zeros(len(DOMAINS), dtype=bool)
NOT_CARE[[DOMAIN_INDEX["debt_help"], DOMAIN_INDEX["youth_care"]]] = True
# by domain: help a member of the household gives that is usual help (gebruikelijke hulp, Wmo 2015
# art. 1.1.1: what a spouse, parents or co-resident children may reasonably be expected to do) up
# to ``usual_help_hours``, not mantelzorg, which is care beyond usual help: household tasks, which
# the municipalities' protocols expect every co-resident adult to take over. Between a parent and a
# child living together all help is (``_usual_help``); daily care counts for everyone
USUAL_HELP = np.zeros(len(DOMAINS), dtype=bool)
USUAL_HELP[DOMAIN_INDEX["household_help"]] = True
PROTECTED = int(Status.PROTECTED)  # (plain ints in the compiled kernels)
MEDIUM = int(Severity.MEDIUM)
RESPITE_DAYS = 2  # days of respite (short stay) per carer per month of respite
STRAIN_FLOOR = 1e-3  # strain below this is none (so former carers leave the list of the strained)
# the year's carers by age at the end of the year (CBS's bands) and sex: the carer shape
CARER_BANDS = {"carers_20_49": (20, 49), "carers_50_64": (50, 64), "carers_65_74": (65, 74), "carers_75_plus": (75, 999)}
CARER_GROUPS = (*CARER_BANDS, "carers_women", "carers_men")


class InformalCare(Process):
    name = "informal_care"
    section = "informal_care"
    results = ("carer_hours", "carer_dropouts", "carer_respite_days", "carers", "carers_heavily_burdened",
               "narrow_carer_hours", "narrow_carer_months", *CARER_GROUPS)
    person_fields = {
        "carers": Field(np.int32, NO_ID, MAX_CARERS),  # who helps this person
        "carer_hours": Field(np.float32, 0.0, MAX_CARERS),  # hours/week each of them gives
        "care_given": Field(np.float32, 0.0),  # hours/week this person gives in total
        "care_since": Field(np.int32, NO_ID),  # absolute month this person began caring
        "strain": Field(np.float32, 0.0),  # carer strain (0 = none; dropout threshold ~1)
        # hours/week of daily care this person gives around the problems of those they help and live
        # with, beside the help hours in care_given (set in the carers' month)
        "daily_care": Field(np.float32, 0.0),
        # hours/week of daily care this person gives to an old parent living elsewhere whom nobody
        # at home cares for (set in the carers' month, as daily_care)
        "parent_care": Field(np.float32, 0.0),
        # who this person helps, as a list through the recipients' carer slots: the first slot
        # (recipient * MAX_CARERS + j) and, per slot, the next slot of the same carer
        "care_head": Field(np.int32, NO_ID),
        "care_next": Field(np.int32, NO_ID, MAX_CARERS),
    }

    def __init__(self, model):
        super().__init__(model)
        self.respite_days = np.zeros(self.pop.n_areas)  # this month's, by area (costs pay them)
        self.hours_given = np.zeros(self.pop.n_areas)  # this month's informal care hours, by area (costs value them)
        self._matching = Matching(self)
        self._strained = np.empty(0, dtype=np.int64)  # carers and former carers with strain left
        self._started: list[np.ndarray] = []  # who began caring since the last step (by matching)
        self._daily = np.empty(0, dtype=np.int64)  # this month's daily carers

    # --- capacity ------------------------------------------------------------------------
    def capacity(self) -> Capacity:
        """What carers' capacity depends on, now (``matching.Capacity``)."""
        p, c = self.pop.persons, self.params
        return Capacity(self.pop.ages(self.model.clock.now), p.sex, p.work_trait, self.model.employment.rate,
                        p.need_domain, p.need_severity, c.hours_employed, c.hours_not_employed, c.young_adult_factor,
                        c.old_age_factor, c.female_factor, c.capacity_multiplier, c.volunteer_hours, p.daily_care,
                        c.coresident_capacity_factor, p.parent_care)

    # --- matching (matching.py) ----------------------------------------------------------
    def match(self, req: np.ndarray, ties: tuple[Tie, ...], now: int, month: int,
              outside_hours: np.ndarray | None = None, mobilisation: float = 1.0,
              hours: np.ndarray | None = None, partial: bool = False) -> np.ndarray:
        """Cover requests with carers from their network (``Matching.match``); the care
        relations begun are committed, and their carers join the list of the strained."""
        # help given while the request waited gives way to what is matched now (matching fills
        # the carer slots afresh)
        held = req[self.pop.persons.carers[req, 0] != NO_ID]
        if len(held):
            self.release(held)
        covered, started = self._matching.match(req, ties, now, month, outside_hours, mobilisation, hours, partial)
        self._started.append(started)
        return covered

    def volunteers(self) -> np.ndarray:
        """The volunteer pool by area, now (``Matching.volunteers``)."""
        return self._matching.volunteers(self.model.clock.now)

    def alongside_formal(self, ids: np.ndarray, now: int, month: int) -> None:
        """Persons placed in a formal provision keep informal help for the hours it does not
        cover (``alongside_formal_share``); it takes over from help given while they waited."""
        self._beside(ids, self.params.alongside_formal_share, now, month, (Tie.HOUSEHOLD, Tie.KIN_SAME_AREA))

    def while_waiting(self, ids: np.ndarray, now: int, month: int) -> None:
        """Persons on the waiting list for a customised provision lean on their kin for
        ``waiting_help_share`` of the problem's hours: the network carries the wait. The
        household's part is its daily care at home, which every client at home gets (help hours
        from the same members would crowd it out). It is carers' hours and strain, not a request
        solved: the status stays."""
        self._beside(ids, self.params.waiting_help_share, now, month, (Tie.KIN_SAME_AREA,))

    def _beside(self, ids: np.ndarray, share: float, now: int, month: int, ties: tuple[Tie, ...]) -> None:
        """``ids`` get help from these ``ties`` for ``share`` of their problem's hours, where
        someone is willing and able: each gives what they can (help beside another source of
        help need not cover its share to be given)."""
        if share <= 0.0:
            return
        hours = self.pop.persons.need_hours[ids] * share
        self.match(ids, ties, now, month, hours=hours, partial=True)

    def release(self, recipients: np.ndarray) -> None:
        """End every care relation of these recipients."""
        if len(recipients) == 0:
            return
        p = self.pop.persons
        _release(np.asarray(recipients, dtype=np.int64), p.carers, p.carer_hours, p.care_given, p.care_since,
                 p.care_head, p.care_next, p.daily_care, p.parent_care)

    def recipients_of(self, carers: np.ndarray) -> np.ndarray:
        """Everyone ``carers`` help (sorted)."""
        p = self.pop.persons
        return unique_ids(_recipients_of(np.asarray(carers, dtype=np.int64), p.care_head, p.care_next))

    # --- the monthly step ------------------------------------------------------------------
    def step(self, clock: Clock) -> None:
        """Carers lost to death or emigration, strain, respite, dropouts, and the counts."""
        p, c, month, now = self.pop.persons, self.params, clock.month, clock.now
        rec, streams = self.model.recorder, self.model.streams
        # those whose carer died or left ask again; the others keep theirs all through the step
        self.reopen(self.recipients_of(unique_ids(*self.model.demography.removed)))
        self.give_daily_care(clock)
        # everyone caring is on the list of carers and former carers with strain left: those
        # who began caring since the last step join it
        self._strained = merge_sorted(self._strained, unique_ids(*self._started))
        self._started = []
        uptake = np.minimum(c.respite_uptake * self.model.prevention.field_strength(), 1.0)
        last_carer, carers, year = rec.marks("carers")
        last_heavy, heavy, _ = rec.marks("carers_heavily_burdened")
        self._strained, stop, self.respite_days, hours, narrow_hours, narrow_months = _strain(
            self._strained, self.pop.areas(), self.capacity(), p.alive, p.care_given, self._not_care(),
            p.care_since, p.strain, now,
            Strain(c.strain_recovery, c.strain_gain, c.heavy_burden_threshold, uptake, c.respite_relief,
                   c.dropout_threshold, c.dropout_rate, c.burden_spread, trait_key(self.model.seed, "carer_burden")),
            last_carer, carers, last_heavy, heavy, year, streams.key("informal_care.strain", month))
        rec.add("carer_respite_days", self.respite_days)
        rec.add("carer_hours", hours)
        self.hours_given = hours
        rec.add("narrow_carer_hours", narrow_hours)
        rec.add("narrow_carer_months", narrow_months)
        if clock.now % 12 == 11:
            self._count_carer_groups(last_carer, year, clock.now)

        # derailment: an overloaded carer stops
        if len(stop):
            rec.count("carer_dropouts", self.pop.area_of(stop))
            # their daily care stops too (another member or child may take it on next month)
            p.daily_care[stop] = 0.0
            p.parent_care[stop] = 0.0
            self.reopen(self.recipients_of(stop))
            p.care_since[stop[p.care_given[stop] <= ROUNDING]] = NO_ID
            free = stop[p.need_domain[stop] == NO_ID]
            ill = free[streams.uniform("informal_care.own_need", month, free) < c.carer_own_need_prob]
            self.model.needs.begin(ill, np.full(len(ill), DOMAIN_INDEX["individual_support"]),
                                   np.full(len(ill), Severity.MEDIUM), now)

    def give_daily_care(self, clock: Clock) -> None:
        """Who gives daily care this month (``_daily_carers``): at home, or to an old parent
        nobody at home cares for; those who begin caring by it join the carers, those who no
        longer give it nor help stop caring."""
        p, c = self.pop.persons, self.params
        before = self._daily
        p.daily_care[before] = 0.0
        p.parent_care[before] = 0.0
        clients, status = self.model.needs.clients_and_statuses()
        kin = self.pop.kin
        self._daily = _daily_carers(
            clients, status, *self.pop.household_groups(clock.now), p.household, p.partner, p.alive, p.strain,
            p.care_given, self.capacity(), np.array([c.daily_care_light, c.daily_care_medium, c.daily_care_heavy]),
            trait_key(self.model.seed, "willing_to_care"), c.willing_household, c.dropout_threshold,
            ParentCare(kin.first_child["mother"], kin.next_sibling["mother"], kin.first_child["father"],
                       kin.next_sibling["father"], self.pop.areas(), self._matching.willing_table(),
                       c.parent_care_age, c.daily_care_parent, c.daily_care_least_share))
        started = self._daily[p.care_since[self._daily] == NO_ID]
        p.care_since[started] = clock.date
        self._started.append(started)
        stopped = before[(p.daily_care[before] == 0.0) & (p.parent_care[before] == 0.0)
                         & (p.care_given[before] <= ROUNDING)]
        p.care_since[stopped] = NO_ID

    def _not_care(self) -> tuple[np.ndarray, np.ndarray]:
        """Help that is not mantelzorg (``NOT_CARE``: debts, youth care; usual help at home,
        ``_usual_help``): its carers and hours a week, by carer (``_not_care_help``)."""
        p = self.pop.persons
        return _not_care_help(self.model.needs.clients_and_statuses()[0], p.need_domain, p.carers, p.carer_hours,
                              p.household, p.mother, p.father, self.params.usual_help_hours)

    def counted_hours(self, ids: np.ndarray) -> np.ndarray:
        """Hours a week these persons (in id order) give as mantelzorg: their care less their
        help that is not."""
        return _counted_hours(np.asarray(ids, dtype=np.int64), self.pop.persons.care_given, self._not_care())

    def _count_carer_groups(self, last_carer: np.ndarray, year: int, now: int) -> None:
        """At the end of the year: its carers (each counted once, as ``carers``) by age band and
        sex, in the area they live in then (``carers`` counts them where they first cared that
        year: the municipality's totals agree)."""
        p, rec = self.pop.persons, self.model.recorder
        ids = np.flatnonzero(last_carer == year)
        age, area = self.pop.age_years(ids, now), self.pop.households.area[p.household[ids]]
        for name, (lo, hi) in CARER_BANDS.items():
            rec.marks(name)[1][:] = np.bincount(area[(age >= lo) & (age <= hi)], minlength=self.pop.n_areas)
        women = p.sex[ids] == FEMALE
        rec.marks("carers_women")[1][:] = np.bincount(area[women], minlength=self.pop.n_areas)
        rec.marks("carers_men")[1][:] = np.bincount(area[~women], minlength=self.pop.n_areas)

    def reopen(self, recipients: np.ndarray) -> None:
        """Recipients lose their informal help: relations end, and those who depended on it
        alone look for help again (informal help alongside a formal provision just ends)."""
        if len(recipients) == 0:  # (the usual case in a month at small scale)
            return
        p = self.pop.persons
        self.release(recipients)
        self.model.needs.reopen(recipients[status_in(p.need_status[recipients], (Status.SELF, Status.INFORMAL))])


class ParentCare(NamedTuple):
    """Daily care for an old parent nobody at home cares for (``_daily_carers``): the kin lists
    (children by mother and by father), who lives where, willingness by (sex, tie, area)
    (``Matching.willing_table``), from which age, and how many hours a week."""

    first_by_mother: np.ndarray
    next_by_mother: np.ndarray
    first_by_father: np.ndarray
    next_by_father: np.ndarray
    area: np.ndarray
    willing_p: np.ndarray
    parent_care_age: float
    hours: float
    least_share: float  # at home: the least share of the daily hours a member must be able to give


class Strain(NamedTuple):
    """The carers' month (``_strain``): the ``informal_care`` parameters of that name, and the
    respite uptake by area (as the informal field raises it)."""

    strain_recovery: float
    strain_gain: float
    heavy_burden_threshold: float
    respite_uptake: np.ndarray
    respite_relief: float
    dropout_threshold: float
    dropout_rate: float
    burden_spread: float
    burden_key: np.uint64  # a carer's persistent sensitivity to load (``burden_spread``)


# --- compiled kernels: the carers' month, ending care relations ---------------------------

@jit
def _not_care_help(clients, need_domain, carers, carer_hours, household, mother, father, usual_hours):
    """The carers of ``clients`` (in id order) whose help is not mantelzorg (the problem is
    ``NOT_CARE``; or the help is ``_usual_help``, up to ``usual_hours`` a week), and the hours of
    it, sorted by carer (stably: each carer's in the recipients' id order)."""
    carer = np.empty(len(clients) * MAX_CARERS, dtype=np.int64)
    hours = np.empty(len(clients) * MAX_CARERS, dtype=np.float32)
    n = 0
    for r in clients:
        d = need_domain[r]
        if d == NO_ID:
            continue
        for j in range(MAX_CARERS):
            c = carers[r, j]
            if c == NO_ID:
                continue
            if NOT_CARE[d]:
                carer[n], hours[n] = c, carer_hours[r, j]
                n += 1
            elif usual_hours > 0.0 and _usual_help(c, r, d, household, mother, father):
                carer[n], hours[n] = c, min(carer_hours[r, j], usual_hours)
                n += 1
    order = stable_order(carer[:n])
    return carer[:n][order], hours[:n][order]


@inline
def _usual_help(c, r, domain, household, mother, father):
    """Whether the help hours ``c`` gives ``r`` (with a problem of ``domain``) are usual help, not
    mantelzorg: given at home, with household tasks (``USUAL_HELP``) or between a parent and their
    child (a parent's care for a child at home, and an adult child's share in the family's
    household, are what the survey's question on care beyond usual care leaves out; a partner's
    help beyond household tasks is counted, as partners count among carers in the surveys)."""
    if household[c] != household[r]:
        return False
    return USUAL_HELP[domain] or mother[c] == r or father[c] == r or mother[r] == c or father[r] == c


@inline
def _counted(i, t, care_given, not_care):
    """Hours a week ``i`` gives as mantelzorg: ``care_given`` less their help that is not
    (``not_care``: ``_not_care_help``), taken off one by one in float32, as the hours were added
    up; a rest up to ROUNDING is none. ``t``: the position in ``not_care`` reached by the ids
    before ``i`` (they come in id order). Returns (the hours, the position reached)."""
    carer, hours = not_care
    counted = care_given[i]
    while t < len(carer) and carer[t] < i:
        t += 1
    while t < len(carer) and carer[t] == i:
        counted = counted - hours[t]
        t += 1
    return (counted if counted > ROUNDING else np.float32(0.0)), t


@jit
def _counted_hours(ids, care_given, not_care):
    """``_counted`` for each of ``ids`` (in id order)."""
    out = np.empty(len(ids), dtype=np.float32)
    t = 0
    for k in range(len(ids)):
        out[k], t = _counted(ids[k], t, care_given, not_care)
    return out


@jit
def _strain(listed, area, cap, alive, care_given, not_care, care_since, strain, now, s_p, last_carer, carers,
            last_heavy, heavy, year, key):
    """The month of the ``listed`` (carers and former carers with strain left, in id order):
    a caring person's strain (updated in ``strain``) from their load (help and daily care over
    capacity, a home capacity for those giving daily care), with respite (a per-id
    draw against the uptake of their area), counted in this year's ``carers`` (narrow
    definition, on the hours counted as mantelzorg: ``_counted`` with ``not_care``, and daily care) and ``heavy`` (narrow and strain before respite above the threshold) by area,
    and stopping if their strain is above the dropout threshold (a second draw); a former
    carer's strain fades. Strain below STRAIN_FLOOR is none (``cap``: Capacity; ``s_p``:
    Strain; the gain is the carer's, ``burden_spread`` about the mean). Returns (the listed still caring or with strain left, those who stop, respite days
    by area, hours of care by area, the hours and the months of carers in the narrow definition
    by area)."""
    keep = np.empty(len(listed), dtype=np.int64)
    stop = np.empty(len(listed), dtype=np.int64)
    respite_days = np.zeros(len(carers))
    hours = np.zeros(len(carers))
    narrow_hours = np.zeros(len(carers))
    narrow_months = np.zeros(len(carers))
    n_keep = n_stop = t = 0
    tables = _capacity_tables(cap)
    for i in listed:
        if not alive[i]:
            continue
        if care_since[i] == NO_ID:  # no longer caring
            if strain[i] < STRAIN_FLOOR:
                strain[i] = 0.0
                continue
            strain[i] *= 1.0 - s_p.strain_recovery
        else:
            a = area[i]
            daily = cap.daily_care[i]
            given = care_given[i] + daily + cap.parent_care[i]
            capacity = _capacity(i, cap, tables) * (cap.coresident_capacity_factor if daily > 0.0 else 1.0)
            # carers differ in how much the same load weighs on them (relation, the problem's
            # nature, own circumstances): a persistent factor, uniform about 1
            sensitivity = 1.0 + s_p.burden_spread * (2.0 * unit_hash(s_p.burden_key, i) - 1.0)
            s = (strain[i] * (1.0 - s_p.strain_recovery)
                 + s_p.strain_gain * sensitivity * (given / max(capacity, 1.0)))
            burdened = s > s_p.heavy_burden_threshold
            if burdened and unit_hash(key, 2 * i) < s_p.respite_uptake[a]:
                respite_days[a] += RESPITE_DAYS
                s *= 1.0 - s_p.respite_relief
            strain[i] = s if s >= STRAIN_FLOOR else 0.0
            hours[a] += given * WEEKS_PER_MONTH
            counted, t = _counted(i, t, care_given, not_care)
            counted = counted + daily + cap.parent_care[i]
            if counted > NARROW_HOURS or (counted > 0.0 and now - care_since[i] >= NARROW_MONTHS):
                mark_once(i, a, last_carer, carers, year)
                narrow_hours[a] += counted * WEEKS_PER_MONTH
                narrow_months[a] += 1.0
                if burdened:
                    mark_once(i, a, last_heavy, heavy, year)
            if s > s_p.dropout_threshold and unit_hash(key, 2 * i + 1) < s_p.dropout_rate:
                stop[n_stop] = i
                n_stop += 1
        keep[n_keep] = i
        n_keep += 1
    return keep[:n_keep], stop[:n_stop], respite_days, hours, narrow_hours, narrow_months


@jit
def _daily_carers(clients, status, hh_first, hh_end, hh_members, household, partner, alive, strain, care_given, cap,
                  hours_by_severity, willing_key, willing_household, dropout_threshold, parents):
    """Daily care: each of the ``clients`` (with their ``status``) whose problem is care
    (not ``NOT_CARE``) and who lives at home (not in protected living) gets its daily hours (by
    severity) from one member of their household: the partner first, then the other adults in
    id order; the first who is willing (the persistent trait, as for the household in
    matching), not overloaded, and whose home capacity (``coresident_capacity_factor`` times
    their capacity, less the help and daily care they give) covers the hours. Adds the hours to
    ``cap.daily_care`` (zero beforehand). A member whose home capacity covers only part of the
    hours, at least ``parents.least_share`` of them, gives that part (the rest is not given). A client aged ``parents.parent_care_age`` or more with a
    medium or heavy problem whom nobody at home cares for gets ``parents.hours`` from one of their
    children living elsewhere instead (``parents``: ParentCare): the first in the kin list who is
    willing as kin (by sex and where they live, as in matching), not overloaded, and whose free
    hours for help cover them; added to ``cap.parent_care``. Returns the daily carers (each once).
    The members (``hh_members[hh_first[h]:hh_end[h]]``) are the census's, taken after demography
    moved and removed persons: they live there, so only the partner's household and life are
    looked up, and a partner turned down is not asked again as a member."""
    tables = _capacity_tables(cap)
    out = np.empty(len(clients), dtype=np.int64)
    n = 0
    for q in range(len(clients)):
        r = clients[q]
        domain = cap.need_domain[r]
        if domain == NO_ID or NOT_CARE[domain] or status[q] == PROTECTED or not alive[r]:
            continue
        hours = hours_by_severity[cap.need_severity[r]]
        if hours <= 0.0 and cap.need_severity[r] < MEDIUM:  # (nothing at home, no child asked)
            continue
        home = household[r]
        chosen = -1
        first = partner[r]
        for k in range(hh_first[home] - 1, hh_end[home] if hours > 0.0 else hh_first[home] - 1):
            if k < hh_first[home]:
                c = first
                if c < 0 or household[c] != home or not alive[c]:
                    continue
            else:  # the census's members: living, at home (the partner was asked first)
                c = hh_members[k]
                if c == r or c == first:
                    continue
            if cap.age[c] < 18 or unit_hash(willing_key, c) >= willing_household or strain[c] > dropout_threshold:
                continue
            left = (cap.coresident_capacity_factor * _capacity(c, cap, tables) - care_given[c] - cap.daily_care[c]
                    - cap.parent_care[c])
            if left >= parents.least_share * hours:
                chosen = c
                break
        if chosen >= 0:
            if cap.daily_care[chosen] == 0.0 and cap.parent_care[chosen] == 0.0:
                out[n] = chosen
                n += 1
            cap.daily_care[chosen] += min(hours, left)
        elif cap.need_severity[r] >= MEDIUM and cap.age[r] >= parents.parent_care_age and parents.hours > 0.0:
            if cap.sex[r] == FEMALE:
                c = parents.first_by_mother[r]
            else:
                c = parents.first_by_father[r]
            while c >= 0:
                if (alive[c] and cap.age[c] >= 18 and household[c] != home and strain[c] <= dropout_threshold
                        and unit_hash(willing_key, c) < parents.willing_p[
                            cap.sex[c], KIN_SAME_AREA if parents.area[c] == parents.area[r] else KIN_OTHER_AREA,
                            parents.area[r]]
                        and _free(c, cap, tables, care_given) >= parents.hours):
                    if cap.daily_care[c] == 0.0 and cap.parent_care[c] == 0.0:
                        out[n] = c
                        n += 1
                    cap.parent_care[c] += parents.hours
                    break
                c = parents.next_by_mother[c] if cap.sex[r] == FEMALE else parents.next_by_father[c]
    return out[:n]


@jit
def _release(recipients, carers, carer_hours, care_given, care_since, care_head, care_next, daily_care, parent_care):
    """End the care relations of ``recipients`` (each slot taken off its carer's list);
    carers left with no care (up to rounding) and no daily care stop caring."""
    for r in recipients:
        for j in range(MAX_CARERS):
            c = carers[r, j]
            if c < 0:
                continue
            care_given[c] -= carer_hours[r, j]
            slot = r * MAX_CARERS + j
            if care_head[c] == slot:
                care_head[c] = care_next[r, j]
            else:
                e = care_head[c]
                while care_next[e // MAX_CARERS, e % MAX_CARERS] != slot:
                    e = care_next[e // MAX_CARERS, e % MAX_CARERS]
                care_next[e // MAX_CARERS, e % MAX_CARERS] = care_next[r, j]
            care_next[r, j] = NO_ID
    for r in recipients:
        for j in range(MAX_CARERS):
            c = carers[r, j]
            if c >= 0 and care_given[c] <= ROUNDING:
                care_given[c] = 0.0
                if daily_care[c] <= 0.0 and parent_care[c] <= 0.0:
                    care_since[c] = NO_ID
            carers[r, j] = NO_ID
            carer_hours[r, j] = 0.0


@jit
def _recipients_of(carers, care_head, care_next):
    """Everyone ``carers`` help, by walking each carer's list of slots (unsorted, possibly
    repeated)."""
    n = 0
    for c in carers:
        e = care_head[c]
        while e >= 0:
            n += 1
            e = care_next[e // MAX_CARERS, e % MAX_CARERS]
    out = np.empty(n, dtype=np.int64)
    n = 0
    for c in carers:
        e = care_head[c]
        while e >= 0:
            out[n] = e // MAX_CARERS
            n += 1
            e = care_next[e // MAX_CARERS, e % MAX_CARERS]
    return out
