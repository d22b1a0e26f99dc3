"""The population: persons and households in two array stores (``store.py``), their kin lists
(``kin.py``), and the census index derived from them once a month.

Every person and every household has a stable integer id: its index in the arrays. Ids are
never reused; a person who dies or leaves keeps their slot with ``alive = False``, so ties
(partner, mother, father, neighbours) stay valid references.

The census index (ages, areas, households grouped by area and their members by household) is
kept here, with the store: ``add_persons``, ``move`` and ``remove`` note what they change, so the
next census regroups only those households; that bookkeeping and the census read the same
private state. The compiled regrouping and member look-ups are in ``household_groups.py``.
"""

from __future__ import annotations

import numpy as np

from . import household_groups as groups
from .dataset import MAX_AGE
from .household_groups import Grouping
from .kernels import age_at, group_by, group_ids, inline, jit, unique_ids, unit_hash
from .kin import KinLists
from .store import NO_ID, ArrayStore, Field, grown

MALE, FEMALE = 0, 1
# new ids a month as a share of the start population, with a margin (see ``Population.reserve``)
PERSONS_PER_MONTH, HOUSEHOLDS_PER_MONTH = 0.004, 0.0055


PERSON_FIELDS = {
    "alive": Field(bool, False),
    "sex": Field(np.int8, MALE),
    "birth_month": Field(np.int32, 0),  # absolute month index (year * 12 + month0)
    "household": Field(np.int32, NO_ID),
    "partner": Field(np.int32, NO_ID),
    "mother": Field(np.int32, NO_ID),
    "father": Field(np.int32, NO_ID),
    "children_outside": Field(np.int8, 0),  # adult children living outside the municipality
}

HOUSEHOLD_FIELDS = {
    "alive": Field(bool, False),
    "area": Field(np.int16, NO_ID),
    "formed_month": Field(np.int32, 0),
}


class Population:
    """Persons and households of one municipality, with the helpers every process shares."""

    def __init__(self, n_areas: int, neighbour_slots: int, capacity: int = 1024,
                 person_fields: dict[str, Field] | None = None, household_fields: dict[str, Field] | None = None):
        """``person_fields``, ``household_fields``: the per-person and per-household state of the
        processes, added to the core fields (each process owns and documents its own)."""
        self.n_areas = n_areas
        self.persons = ArrayStore({**PERSON_FIELDS, **(person_fields or {})}, capacity)
        hh_fields = dict(HOUSEHOLD_FIELDS, neighbours=Field(np.int32, NO_ID, neighbour_slots),
                         **(household_fields or {}))
        self.households = ArrayStore(hh_fields, max(capacity // 2, 16))
        self._census_month: int | None = None  # month of the census below; None: stale
        self.census = 0  # how many censuses were taken: a key for what is derived once a month
        self._census_sizes = (0, 0)  # persons and households in the stores at the last census
        # living households grouped by area (starts, ids) at the last census, and the number of
        # household ids then: for drawing neighbours, and the next census's starting point
        self._by_area: tuple | None = None
        self._age = np.zeros(0, dtype=np.int32)  # by id, at the census month
        self._living: np.ndarray | None = None  # ids living at the census, once asked for
        # kept up to date by add_persons, move and remove from the first census on (None before):
        # area by person id, members by household id, and residents by (sex, area, birth month)
        self._area = np.zeros(0, dtype=np.int16)
        self._hh_size: np.ndarray | None = None
        self._by_birth = np.zeros((2, n_areas, 0), dtype=np.int64)
        self._first_birth = 0  # birth month of column 0 of _by_birth
        # since the last census: households someone left or joined, those someone left, and who
        # joined one (moved, born, arrived); the census regroups only those households
        self._touched: list[np.ndarray] = []
        self._left: list[np.ndarray] = []
        self._joined: list[np.ndarray] = []
        self._joined_sorted = (0, np.empty(0, dtype=np.int64))  # (len(_joined) then, their ids sorted)
        # the living grouped by household, at the last census: household h's members (in id
        # order) are household_members[household_starts[h]:household_starts[h + 1]]
        self.household_starts: np.ndarray | None = None
        self.household_members = np.zeros(0, dtype=np.int32)
        self.kin = KinLists()

    def reserve(self, months: int) -> None:
        """Room in the stores for the ids ``months`` of demography will make, so they need
        not grow by copying during the run (ids are never reused: births and arrivals add
        about 0.31% of the start population a month in the Emmen baseline, households 0.44%;
        with a margin, and a store still grows if a scenario makes more)."""
        self.persons.reserve(int(self.persons.n * (1 + PERSONS_PER_MONTH * months)))
        self.households.reserve(int(self.households.n * (1 + HOUSEHOLDS_PER_MONTH * months)))

    # --- the census: derived quantities, taken once a month after demography -------------
    def take_census(self, month: int) -> None:
        """Living ids, ages, residents by area and age, and the living grouped by household, once
        for the month's social processes (which change no household, birth or death) instead of
        in every process. Areas and household sizes need no pass: births, arrivals, moves and
        departures keep them (from the first census on)."""
        p = self.persons
        self.census += 1
        if (month == self._census_month and not (self._touched or self._left or self._joined)
                and self._census_sizes == (p.n, self.households.n)):
            return  # no one was added, moved or removed since, in the same month: the census stands (the warm-up's months)
        self._living = None  # listed when first asked for (a pass over every id; few ask)
        if self._hh_size is None:
            self._start_keeping()
        self._age = grown(self._age, p.n, 0)
        _ages(p.birth_month, month, self._age)
        self.residents = self._residents_by_age(month)
        # the living households by area: last census's and those formed since, less the emptied
        starts, grouped, first_new = self._households_by_area()
        size = self.household_sizes()
        self._by_area = (*groups.regroup_by_area(starts, grouped, first_new, self.left_households(), size,
                                                 self.households.area, self.households.alive, self.n_areas),
                         self.households.n)
        self.households_by_area = np.diff(self._by_area[0])
        if self.household_starts is None:
            starts, members = group_ids(self.living(), p.household, size)
            self.household_starts, self.household_members = starts.astype(np.int32), members.astype(np.int32)
        else:
            joined = self._joined_ids()
            joined = joined[p.alive[joined]]
            joined = joined[np.argsort(p.household[joined], kind="stable")]
            self.household_starts, self.household_members = groups.regroup_members(
                self.household_starts, self.household_members, self.changed_households(), joined, p.alive,
                p.household, size)
        self._touched, self._left, self._joined = [], [], []
        self._joined_sorted = (0, np.empty(0, dtype=np.int64))
        self.kin.extend(p)  # those born or arrived since
        self._census_month = month
        self._census_sizes = (p.n, self.households.n)

    def changed_households(self) -> np.ndarray:
        """Households someone left or joined since the last census (sorted)."""
        return unique_ids(*self._touched)

    def left_households(self) -> np.ndarray:
        """Households someone left (moved out, died, emigrated) since the last census (sorted)."""
        return unique_ids(*self._left)

    def _joined_ids(self) -> np.ndarray:
        """Persons who joined a household since the last census (moved, born, arrived), sorted."""
        if self._joined_sorted[0] != len(self._joined):
            self._joined_sorted = (len(self._joined), unique_ids(*self._joined))
        return self._joined_sorted[1]

    def members_now(self, households: np.ndarray) -> np.ndarray:
        """Living members now of ``households``, in id order, between censuses too: those of
        the last census's grouping still there and those who joined them since (no pass over
        everyone)."""
        return groups.members_now(unique_ids(households), self._grouping(self._joined_ids()))

    def member_blocks(self, households: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The living members now of each of ``households`` (repeats allowed), one block per
        household in the order given, in id order within a block (as ``members_now``): (the
        members, the blocks' starts)."""
        p = self.persons
        joined = self._joined_ids()
        joined = joined[p.alive[joined]]
        by_household = joined[np.argsort(p.household[joined], kind="stable")]
        return groups.member_blocks(np.asarray(households, dtype=np.int64), self._grouping(joined), by_household)

    def count_members_now(self, households: np.ndarray, month: int) -> tuple[np.ndarray, np.ndarray]:
        """Living members now and those of them aged 18 or more at ``month``, for each of the
        sorted ``households`` (as ``members_now``, without listing them)."""
        return groups.count_members_now(households, self._grouping(self._joined_ids()), self.persons.birth_month,
                                        month)

    def _grouping(self, joined: np.ndarray) -> Grouping:
        """The last census's grouping by household with ``joined`` (sorted ids) since."""
        p = self.persons
        return Grouping(*self._household_bounds(), self.household_members, joined, p.alive, p.household)

    def _household_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """(first, end) by household id of its members in ``household_members``."""
        return self.household_starts[:-1], self.household_starts[1:]

    def _start_keeping(self) -> None:
        """Count areas, household sizes and residents by (sex, area, birth month) once; from
        here on the population's changes keep them (``add_persons``, ``move``, ``remove``)."""
        p = self.persons
        living = p.active()
        self._area = self.households.area[p.household]
        self._hh_size = np.zeros(self.households.n, dtype=np.int32)
        self._first_birth = int(p.birth_month[living].min()) if len(living) else 0
        self._by_birth = np.zeros((2, self.n_areas, 0), dtype=np.int64)
        self._count(living, 1)

    def _count(self, ids: np.ndarray, sign: int) -> None:
        """Add (``sign`` 1) or take (-1) living ``ids`` to or from the household sizes and the
        residents by (sex, area, birth month), with their household and area now."""
        p = self.persons
        if sign > 0 and len(ids):  # room for the households and birth months of those counted in
            self._hh_size = grown(self._hh_size, self.households.n, 0)
            births = p.birth_month[ids]
            before = self._first_birth - int(births.min())
            if before > 0:
                self._by_birth = np.concatenate([np.zeros((2, self.n_areas, before), dtype=np.int64),
                                                 self._by_birth], axis=2)
                self._first_birth -= before
            width = int(births.max()) - self._first_birth + 1
            if width > self._by_birth.shape[2]:
                self._by_birth = np.concatenate([self._by_birth, np.zeros(
                    (2, self.n_areas, width - self._by_birth.shape[2] + 120), dtype=np.int64)], axis=2)
        _count(np.asarray(ids, dtype=np.int64), sign, p.household, p.sex, p.birth_month, self._area, self._hh_size,
               self._by_birth, self._first_birth)

    def living_households(self, month: int) -> tuple[np.ndarray, np.ndarray]:
        """Households with members grouped by area (starts, ids), from the census."""
        self._current_census(month)
        return self._by_area[0], self._by_area[1]

    def residents_at(self, month: int) -> np.ndarray:
        """Residents by (area, completed years at ``month``, capped at MAX_AGE): the kept counts
        by birth month, for a month near the last census (no one was born or died since)."""
        return self._residents_by_age(month)

    def residents_by_sex(self, month: int) -> np.ndarray:
        """Living residents now by (sex, completed years at ``month``, capped at MAX_AGE), between
        censuses too (demography's death rates ask mid-month): the counts kept from the first
        census on, with no pass over everyone."""
        return self._by_sex_area_age(month).sum(axis=1)

    def _residents_by_age(self, month: int) -> np.ndarray:
        """Residents by (area, completed years at ``month``, capped at MAX_AGE)."""
        return self._by_sex_area_age(month).sum(axis=0)

    def _by_sex_area_age(self, month: int) -> np.ndarray:
        """Residents by (sex, area, completed years at ``month``, capped at MAX_AGE)."""
        sexes, areas, width = self._by_birth.shape
        return _by_age(self._by_birth.reshape(sexes * areas, width), self._first_birth,
                       month).reshape(sexes, areas, MAX_AGE + 1)

    def _current_census(self, month: int) -> None:
        """Take the census now if demography has changed the population since the last one."""
        if self._census_month is None:
            self.take_census(month)

    def counts(self, month: int) -> tuple[np.ndarray, np.ndarray]:
        """Residents by (area, year of age) and households with members by area (census)."""
        self._current_census(month)
        return self.residents, self.households_by_area

    def household_groups(self, month: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Living persons grouped by household, from the census: (first, end, members), with
        household h's members at members[first[h]:end[h]] (in id order)."""
        self._current_census(month)
        return *self._household_bounds(), self.household_members

    def clear_census(self) -> None:
        """Demography is about to change the population: derived quantities are recomputed."""
        self._census_month = None

    # --- derived per-person quantities -------------------------------------------------
    def age_years(self, ids: np.ndarray, month: int) -> np.ndarray:
        """Completed years of age of living persons at absolute month ``month``."""
        if month == self._census_month:
            return self._age[ids]
        return (month - self.persons.birth_month[ids]) // 12

    def ages(self, month: int) -> np.ndarray:
        """Completed years of age of every id at ``month`` (indexed by id)."""
        return self._age[: self.persons.n] if month == self._census_month else (month - self.persons.birth_month) // 12

    def areas(self) -> np.ndarray:
        """Area index of every id (indexed by id; the dead: their last)."""
        return self._area[: self.persons.n] if self._hh_size is not None else self.households.area[self.persons.household]

    def area_of(self, ids: np.ndarray) -> np.ndarray:
        """Area index of living persons."""
        if self._hh_size is not None:
            return self._area[ids]
        return self.households.area[self.persons.household[ids]]

    def household_sizes(self) -> np.ndarray:
        """Living members by household id."""
        if self._hh_size is not None:
            return self._hh_size[: self.households.n]
        alive = self.persons.active()
        return np.bincount(self.persons.household[alive], minlength=self.households.n)

    def living(self) -> np.ndarray:
        """Ids of the persons living at the last census (social processes add or remove no one)."""
        if self._living is None:
            self._living = self.persons.active()
        return self._living

    # --- state changes shared by processes ---------------------------------------------
    def add_persons(self, count: int, **values) -> np.ndarray:
        """New living persons (born or arrived) with their fields; returns their ids."""
        ids = self.persons.add(count, **values)
        if self._hh_size is not None:
            self._area = grown(self._area, self.persons.n, NO_ID)
            self._area[ids] = self.households.area[self.persons.household[ids]]
            self._count(ids, 1)
        self._touched.append(self.persons.household[ids].astype(np.int64))
        self._joined.append(ids)
        return ids

    def move(self, persons: np.ndarray, households: np.ndarray) -> None:
        """Living persons move to other households (the only way a household changes)."""
        old = self.persons.household[persons].astype(np.int64)
        self._left.append(old)
        self._touched += [old, np.asarray(households, dtype=np.int64)]
        self._joined.append(np.asarray(persons, dtype=np.int64))
        if self._hh_size is None:
            self.persons.household[persons] = households
            return
        self._count(persons, -1)
        self.persons.household[persons] = households
        self._area[persons] = self.households.area[households]
        self._count(persons, 1)

    def remove(self, persons: np.ndarray) -> None:
        """Living persons die or leave the municipality."""
        self.persons.alive[persons] = False
        self._left.append(self.persons.household[persons].astype(np.int64))
        self._touched.append(self._left[-1])
        if self._hh_size is not None:
            self._count(persons, -1)

    def new_households(self, areas: np.ndarray, month: int, key: np.uint64,
                       tie_probability: np.ndarray) -> np.ndarray:
        """Create households in ``areas`` and give them neighbour ties within their area.

        ``tie_probability[area]`` is the chance that each neighbour slot holds a tie (the
        area's social cohesion); ``key``: the hash key of the draws (per household id).
        """
        ids = self.households.add(len(areas), alive=True, area=areas, formed_month=month)
        self.draw_neighbours(ids, key, tie_probability)
        return ids

    def _households_by_area(self) -> tuple:
        """Living households grouped by area at the last census (starts, ids, ids in use then);
        before the first census (the synthetic population), those living now."""
        if self._by_area is None:
            h = self.households
            living = h.active()
            self._by_area = (*group_by(h.area[living], living, self.n_areas), h.n)
        return self._by_area

    def draw_neighbours(self, hh_ids: np.ndarray, key: np.uint64, tie_probability: np.ndarray) -> None:
        """Draw each household's neighbour ties among living households of its own area (two
        numbers per slot and household id under ``key``: which household, whether a tie)."""
        h = self.households
        # from the last census: households formed this month are drawn from the next
        bounds, sorted_hh, _ = self._households_by_area()
        _draw_neighbours(np.asarray(hh_ids, dtype=np.int64), h.area, bounds, sorted_hh, key,
                         np.asarray(tie_probability, dtype=np.float64), h.neighbours)


@inline
def lives_with_parent_at(i, mother, father, alive, household) -> bool:
    """Whether person ``i`` shares a household with their (living) mother or father."""
    for parent in (mother[i], father[i]):
        if parent >= 0 and alive[parent] and household[parent] == household[i]:
            return True
    return False


@jit
def _ages(birth_month, now, age):
    """Completed years of age at ``now`` of every id (into ``age``; the dead's are never read):
    one pass over the birth months, cheaper than finding the living first."""
    for i in range(len(birth_month)):
        age[i] = age_at(birth_month, now, i)


@jit
def _count(ids, sign, household, sex, birth_month, area, size, by_birth, first_birth):
    """Add ``sign`` for each of ``ids`` to their household's size and their (sex, area, birth
    month) cell of the residents."""
    for i in ids:
        size[household[i]] += sign
        by_birth[sex[i], area[i], birth_month[i] - first_birth] += sign


@jit
def _draw_neighbours(hh_ids, area, bounds, by_area, key, tie_probability, neighbours):
    """Each slot of each of ``hh_ids`` holds a household of its area (``by_area`` grouped by
    ``bounds``) picked by one number, if a second is below the area's ``tie_probability`` and
    the pick is another household (the numbers: ``unit_hash`` of the household id and slot)."""
    slots = neighbours.shape[1]
    for k in range(len(hh_ids)):
        h, a = hh_ids[k], area[hh_ids[k]]
        count = bounds[a + 1] - bounds[a]
        for s in range(slots):
            pick = unit_hash(key, (h * slots + s) * 2)
            tie = unit_hash(key, (h * slots + s) * 2 + 1)
            chosen = by_area[min(bounds[a] + np.int64(pick * count), len(by_area) - 1)]
            has_tie = tie < tie_probability[a] and count > 1 and chosen != h
            neighbours[h, s] = chosen if has_tie else NO_ID


@jit
def _by_age(by_birth, first_birth, month):
    """Residents by (group, completed years at ``month``, capped at MAX_AGE) from residents by
    (group, birth month from ``first_birth``); a group is a row (a sex and area)."""
    residents = np.zeros((by_birth.shape[0], MAX_AGE + 1), dtype=np.int64)
    for j in range(min(by_birth.shape[1], month - first_birth + 1)):
        age = min((month - first_birth - j) // 12, MAX_AGE)
        for a in range(by_birth.shape[0]):
            residents[a, age] += by_birth[a, j]
    return residents
