"""The session's shared model runs (shared_runs.py): the same table as the model's own, a copy
for each test, each run made once, and a longer run serving a shorter one."""

import pandas as pd
import pytest

from shared_runs import SharedRuns
from simulation import SocialDomainModel

TINY = dict(scale=0.02, warm_up_months=12)


@pytest.mark.parametrize("scenario", ["baseline", "ambition_40"])  # ambition_40: policies in 2017 and 2019
def test_a_runs_first_years_do_not_depend_on_its_end_year(scenario):
    short = SocialDomainModel(scenario, rng=4, end_year=2018, **TINY)
    long = SocialDomainModel(scenario, rng=4, end_year=2020, **TINY)
    short.run()
    long.run()
    table = long.yearly()
    pd.testing.assert_frame_equal(short.yearly(), table[table.year <= 2018])


def test_a_shared_run_is_the_models_own_table_and_each_caller_gets_a_copy(tmp_path):
    runs = SharedRuns()
    runs.folder = tmp_path
    model = SocialDomainModel("baseline", rng=6, end_year=2017, **TINY)
    model.run()
    first = runs.yearly(rng=6, end_year=2017, **TINY)
    pd.testing.assert_frame_equal(first, model.yearly())
    first.loc[:, "requests"] = -1
    pd.testing.assert_frame_equal(runs.yearly(rng=6, end_year=2017, **TINY), model.yearly())


def test_each_run_is_made_once_for_all_workers_and_serves_fewer_years(tmp_path, monkeypatch):
    made = []
    make = SharedRuns._make
    monkeypatch.setattr(SharedRuns, "_make", staticmethod(lambda sc, rng: made.append(sc.run.end_year) or make(sc, rng)))
    one, other = SharedRuns(), SharedRuns()  # two workers of one session
    one.folder = other.folder = tmp_path
    longer = one.yearly(rng=2, end_year=2018, **TINY)
    shorter = other.yearly(rng=2, end_year=2017, **TINY)
    assert made == [2018]  # the other worker read the run from the shared folder
    pd.testing.assert_frame_equal(shorter, longer[longer.year <= 2017])
    one.yearly(rng=2, end_year=2019, **TINY)  # more years than made: made again, to the new end
    one.yearly(rng=3, end_year=2017, **TINY)  # another seed
    one.yearly(rng=2, end_year=2017, **{**TINY, "informal_first": 1.0})  # another parameter
    assert made == [2018, 2019, 2017, 2017]
