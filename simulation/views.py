"""Object views over the population arrays, for inspecting one person or household from a
notebook. A view holds only an id; every attribute reads the arrays, so it is always current."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .population import FEMALE, NO_ID


@dataclass(frozen=True)
class PersonView:
    model: object
    id: int

    @property
    def _p(self):
        return self.model.population.persons

    @property
    def alive(self) -> bool:
        return bool(self._p.alive[self.id])

    @property
    def age(self) -> int:
        return (self.model.now - int(self._p.birth_month[self.id])) // 12

    @property
    def sex(self) -> str:
        return "female" if self._p.sex[self.id] == FEMALE else "male"

    @property
    def household(self) -> "HouseholdView":
        return HouseholdView(self.model, int(self._p.household[self.id]))

    @property
    def area(self) -> str:
        return self.household.area

    def _person(self, field: str) -> "PersonView | None":
        other = int(getattr(self._p, field)[self.id])
        return None if other == NO_ID else PersonView(self.model, other)

    @property
    def partner(self) -> "PersonView | None":
        return self._person("partner")

    @property
    def mother(self) -> "PersonView | None":
        return self._person("mother")

    @property
    def father(self) -> "PersonView | None":
        return self._person("father")

    @property
    def children(self) -> list["PersonView"]:
        p = self._p
        ids = np.flatnonzero((p.mother == self.id) | (p.father == self.id))
        return [PersonView(self.model, int(i)) for i in ids]

    @property
    def siblings(self) -> list["PersonView"]:
        p = self._p
        same = np.zeros(p.n, dtype=bool)
        for field in ("mother", "father"):
            parent = getattr(p, field)[self.id]
            if parent != NO_ID:
                same |= getattr(p, field) == parent
        same[self.id] = False
        return [PersonView(self.model, int(i)) for i in np.flatnonzero(same)]

    @property
    def need(self) -> dict | None:
        """The current problem: domain, severity, hours per week, and who meets it."""
        from .domain import DOMAINS, Severity, Status

        p = self._p
        d = int(p.need_domain[self.id])
        if d == NO_ID:
            return None
        return {"domain": DOMAINS[d].name, "severity": Severity(int(p.need_severity[self.id])).name.lower(),
                "hours_per_week": float(p.need_hours[self.id]), "status": Status(int(p.need_status[self.id])).name,
                "since_month": int(p.need_onset[self.id])}

    @property
    def carers(self) -> list[tuple["PersonView", float]]:
        """Who helps this person informally, with the hours per week each gives."""
        p = self._p
        return [(PersonView(self.model, int(c)), float(h))
                for c, h in zip(p.carers[self.id], p.carer_hours[self.id]) if c != NO_ID]

    @property
    def cares_for(self) -> list["PersonView"]:
        """Whom this person helps informally."""
        return [PersonView(self.model, int(i)) for i in self.model.informal_care.recipients_of(np.array([self.id]))]

    @property
    def care_given(self) -> float:
        """Hours per week of informal care this person gives."""
        return float(self._p.care_given[self.id])

    @property
    def children_outside(self) -> int:
        """Adult children living outside the municipality."""
        return int(self._p.children_outside[self.id])

    def __repr__(self) -> str:
        state = "" if self.alive else ", not resident"
        return f"Person({self.id}, {self.sex}, age {self.age}, household {self._p.household[self.id]}{state})"


@dataclass(frozen=True)
class HouseholdView:
    model: object
    id: int

    @property
    def _h(self):
        return self.model.population.households

    @property
    def alive(self) -> bool:
        return bool(self._h.alive[self.id])

    @property
    def area(self) -> str:
        return self.model.area_names[int(self._h.area[self.id])]

    @property
    def members(self) -> list[PersonView]:
        p = self.model.population.persons
        ids = np.flatnonzero(p.alive & (p.household == self.id))
        return [PersonView(self.model, int(i)) for i in ids]

    @property
    def neighbours(self) -> list["HouseholdView"]:
        ids = self._h.neighbours[self.id]
        ids = ids[(ids != NO_ID)]
        return [HouseholdView(self.model, int(i)) for i in ids if self._h.alive[i]]

    @property
    def kin_households(self) -> list["HouseholdView"]:
        """Other households where a member's parent, child or sibling lives."""
        found = set()
        for m in self.members:
            for k in [m.mother, m.father, *m.children, *m.siblings]:
                if k is not None and k.alive and k.household.id != self.id:
                    found.add(k.household.id)
        return [HouseholdView(self.model, i) for i in sorted(found)]

    def __repr__(self) -> str:
        ages = ", ".join(str(m.age) for m in self.members)
        return f"Household({self.id}, {self.area}, members aged [{ages}])"
