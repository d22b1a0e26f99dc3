"""The population as a labelled table for analysts."""

import numpy as np
import pandas as pd

from simulation.analysis import population_frame
from simulation.domain import Status


def test_population_frame_has_one_row_per_living_resident(small_run):
    people = population_frame(small_run)
    p = small_run.population.persons
    assert sorted(people.id) == sorted(np.flatnonzero(p.alive[: p.n]))
    assert len(people) == small_run.yearly().query("area == 'total'").population_end.iloc[-1]


def test_population_frame_decodes_the_codes(small_run):
    people = population_frame(small_run)
    assert set(people.sex) == {"male", "female"}
    assert set(people.area) == set(small_run.area_names)
    assert set(people.need_status) <= {s.name.lower() for s in Status}
    without = people[people.need_domain.isna()]
    assert (without.need_status == "none").all() and without.need_severity.isna().all()
    with_need = people[people.need_domain.notna()]
    assert with_need.need_severity.notna().all() and (with_need.need_hours_per_week > 0).all()
    assert people.attrs == {"year": small_run.now // 12, "month": small_run.now % 12 + 1}


def test_population_frame_agrees_with_the_person_views(small_run):
    people = population_frame(small_run).set_index("id")
    for pid in people.index[::500]:
        view, row = small_run.person(int(pid)), people.loc[pid]
        assert (view.sex, view.age, view.area) == (row.sex, row.age, row.area)
        need = view.need
        assert (need is None) == pd.isna(row.need_domain)
        if need is not None:
            assert (need["domain"], need["severity"], need["status"].lower()) == \
                (row.need_domain, row.need_severity, row.need_status)
