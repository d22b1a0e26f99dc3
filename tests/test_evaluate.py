"""The evaluation entry point of experiments: one tidy row per seed, year and area."""

import numpy as np
import pytest

from simulation import SocialDomainModel
from simulation.evaluate import HEADLINE, evaluate
from simulation.outputs import RATIO_PARTS
from simulation.random_streams import replication_seed
from simulation.scenario import ScenarioError

TINY = dict(scale=0.02, years=(2016, 2017))


@pytest.fixture(scope="module")
def two_seeds():
    return evaluate(seeds=(3, 4), **TINY)


def test_one_row_per_seed_year_and_area_with_the_headline_and_their_counts(two_seeds):
    areas = two_seeds.area.unique()
    assert "total" in areas
    assert len(two_seeds) == 2 * 2 * len(areas)
    assert not two_seeds.duplicated(["seed", "year", "area"]).any()
    assert {*HEADLINE, "solved_informally", "resolved"} <= set(two_seeds.columns)


def test_evaluate_gives_the_models_own_yearly_table():
    model = SocialDomainModel("baseline", rng=3, scale=0.02, start_year=2016, end_year=2017)
    model.run()
    own = model.yearly()
    table = evaluate(seeds=(3,), **TINY)
    for col in HEADLINE:
        np.testing.assert_array_equal(table[col].to_numpy(), own[col].to_numpy())


def test_ratios_are_the_quotients_of_their_counts(two_seeds):
    for name in ("informal_share", "heavily_burdened_share", "wmo_clients_per_1000"):
        num, den, factor = RATIO_PARTS[name]
        np.testing.assert_allclose(two_seeds[name], two_seeds[num] / two_seeds[den] * factor)


def test_parameters_by_plain_or_dotted_name_change_the_run(two_seeds):
    plain = evaluate({"capacity_multiplier": 0.3}, seeds=(3, 4), **TINY)
    dotted = evaluate({"informal_care.capacity_multiplier": 0.3}, seeds=(3, 4), **TINY)
    assert plain.equals(dotted)
    assert not plain["informal_share"].equals(two_seeds["informal_share"])


def test_unknown_indicator_or_parameter_is_one_clear_error():
    with pytest.raises(ScenarioError, match="indicators: 'informal_shar'"):
        evaluate(seeds=(1,), indicators=["informal_shar"], **TINY)
    with pytest.raises(ScenarioError, match="capacity_multiplier"):
        evaluate({"informal_care.capacity_multiplier": -1.0}, seeds=(1,), **TINY)


def test_replications_of_different_base_seeds_never_share_a_seed():
    one = {replication_seed(1, r) for r in range(10)}
    five = {replication_seed(5, r) for r in range(10)}
    assert len(one) == 10 and len(five) == 10
    assert not one & five
    assert replication_seed(1, 3) == replication_seed(1, 3)
