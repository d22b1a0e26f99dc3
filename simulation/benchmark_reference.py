"""An idiomatic Mesa implementation of the core monthly loop, for the speed comparison.

One ``Household`` agent per household holding its persons as small Python objects; each month
``shuffle_do("step")`` lets every household age its members, apply age-sex mortality, draw new
problems, ask kin in other households for help and otherwise join the access team's queue.
It uses the same life tables and onset rates as the vectorised model and the usual Mesa idioms
(AgentSet, shuffle_do, model.random), so it is a fair stand-in for writing the model the
conventional way -- not a straw man: no needless work, plain attribute access, lists.
"""

from __future__ import annotations

import mesa
import numpy as np

from .dataset import MAX_AGE, Dataset

HOURS = (2.0, 8.0, 20.0)


class Person:
    __slots__ = ("age_months", "female", "need_hours", "care_given", "capacity", "mother")

    def __init__(self, age_months: int, female: bool, capacity: float):
        self.age_months = age_months
        self.female = female
        self.need_hours = 0.0
        self.care_given = 0.0
        self.capacity = capacity
        self.mother = None


class Household(mesa.Agent):
    def __init__(self, model, members: list[Person]):
        super().__init__(model)
        self.members = members
        self.kin: list[Household] = []

    def step(self) -> None:
        m = self.model
        rnd = m.random.random
        survivors = []
        for person in self.members:
            person.age_months += 1
            age = min(person.age_months // 12, MAX_AGE)
            if rnd() < m.q_month[person.female][age]:
                continue  # died
            survivors.append(person)
            if person.need_hours == 0.0 and rnd() < m.onset_month[age]:
                person.need_hours = HOURS[m.random.choice((0, 0, 1, 2))]
                self.ask_for_help(person)
        self.members = survivors
        if not survivors:
            self.remove()

    def ask_for_help(self, person: Person) -> None:
        for household in [self, *self.kin]:
            for carer in household.members:
                if carer is not person and carer.age_months >= 216:
                    free = carer.capacity - carer.care_given
                    if free >= person.need_hours:
                        carer.care_given += person.need_hours
                        return
        self.model.queue.append(person)


class ReferenceModel(mesa.Model):
    def __init__(self, n_persons: int, rng: int = 1, dataset: str = "emmen"):
        super().__init__(rng=rng)
        ds = Dataset.load(dataset)
        q = ds.qx(2016)
        self.q_month = [list(1 - (1 - q[0]) ** (1 / 12)), list(1 - (1 - q[1]) ** (1 / 12))]
        onset = ds.needs_onset["onset"]
        self.onset_month = list(1 - (1 - onset) ** (1 / 12))
        self.queue: list[Person] = []
        counts = ds.age_sex_single_years
        p = (counts / counts.sum()).ravel()
        gen = np.random.default_rng(rng)
        cells = gen.choice(p.size, size=n_persons, p=p)
        persons = [Person(int(c % (MAX_AGE + 1)) * 12, bool(c // (MAX_AGE + 1)), float(gen.uniform(0, 14)))
                   for c in cells]
        sizes = gen.choice([1, 2, 3, 4], size=n_persons, p=[0.35, 0.35, 0.15, 0.15])
        start = 0
        households = []
        for size in sizes:
            if start >= n_persons:
                break
            households.append(Household(self, persons[start : start + size]))
            start += size
        for h in households:
            h.kin = [households[i] for i in gen.integers(0, len(households), 2)]

    def step(self) -> None:
        self.agents_by_type[Household].shuffle_do("step")
