"""Warm-ups made once and reused (simulation/warm_ups.py): a model whose warm-up was restored
runs exactly as one that made its own, and the key tells apart what the warm-up reads."""

import pandas as pd
import pytest

from simulation import Scenario, SocialDomainModel, warm_ups
from simulation.dataset import Dataset
from simulation.model import configured

TINY = dict(scale=0.02, warm_up_months=24)
POLICY = [{"year": 2017, "set": {"access_team.staff_multiplier": 0.5}, "note": "half the team"}]


def with_policy(end_year: int) -> Scenario:
    data = configured("baseline", end_year=end_year, **TINY).model_dump()
    return Scenario.from_dict({**data, "policy": POLICY})


def outputs(model: SocialDomainModel) -> list[pd.DataFrame]:
    model.run()
    return [model.yearly(), model.monthly(), model.datacollector.get_model_vars_dataframe()]


# restored into a run as long as the one that made it (the stores keep their size), and into a
# longer one with a dated policy (the stores grow)
@pytest.mark.parametrize("end_year", [2017, 2019])
def test_a_restored_warm_up_runs_byte_for_byte_as_a_fresh_one(tmp_path, monkeypatch, end_year):
    monkeypatch.setenv(warm_ups.FOLDER_VARIABLE, str(tmp_path))
    SocialDomainModel("baseline", rng=3, end_year=2017, **TINY)  # makes and keeps the warm-up
    assert len(list(tmp_path.glob("*.pickle"))) == 1
    made = []
    warm_up = SocialDomainModel._warm_up
    monkeypatch.setattr(SocialDomainModel, "_warm_up", lambda self: made.append(1) or warm_up(self))
    # another end year, a dated policy and another replication: none of them read by the warm-up
    restored = SocialDomainModel(with_policy(end_year), rng=3, replication=2)
    assert made == [] and restored.replication == 2
    monkeypatch.delenv(warm_ups.FOLDER_VARIABLE)
    fresh = SocialDomainModel(with_policy(end_year), rng=3, replication=2)
    assert made == [1]
    for a, b in zip(outputs(restored), outputs(fresh)):
        pd.testing.assert_frame_equal(a, b)
    assert restored.applied_policies == fresh.applied_policies != []


def test_the_key_tells_apart_what_the_warm_up_reads_and_nothing_else():
    dataset = Dataset.load("emmen")

    def key(seed=1, **parameters):
        return warm_ups.key(configured("baseline", **{**TINY, **parameters}), seed, dataset)

    base = key()
    read = [key(seed=2), key(scale=0.03), key(warm_up_months=12), key(capacity_multiplier=1.2),
            key(**{"areas.De Velden.cohesion": 0.7}), key(start_year=2017)]
    assert len({base, *read}) == len(read) + 1
    assert key(end_year=2030) == base
    assert warm_ups.key(with_policy(2030), 1, dataset) == base


def test_reuse_is_off_without_the_folder(monkeypatch):
    monkeypatch.delenv(warm_ups.FOLDER_VARIABLE, raising=False)
    assert warm_ups.folder() is None


def test_a_changed_data_set_is_another_warm_up(tmp_path):
    original = Dataset.load("emmen")
    copy = tmp_path / "emmen"
    copy.mkdir()
    for f in original.path.iterdir():
        if f.is_file():
            (copy / f.name).write_bytes(f.read_bytes())
    scenario = configured("baseline", **TINY)
    assert warm_ups.key(scenario, 1, Dataset.load(copy)) == warm_ups.key(scenario, 1, original)
    changed = next(f for f in sorted(copy.iterdir()) if f.suffix == ".csv")
    changed.write_text(changed.read_text() + "\n")
    assert warm_ups.key(scenario, 1, Dataset.load(copy)) != warm_ups.key(scenario, 1, original)
