"""Areas that differ: each area's share of residents aged 65+ and its cohesion come from the
data set (areas.csv); a malformed areas file is one clear error."""

import shutil

import numpy as np
import pytest

from simulation import SocialDomainModel
from simulation.dataset import MAX_AGE, Dataset, DatasetError
from simulation.population import Population
from simulation.scenario import Scenario
from simulation.synthesis import back_project, synthesise


@pytest.fixture(scope="module")
def synthesised():
    """The start population at half scale (about 53,000 residents), synthesis only."""
    ds = Dataset.load("emmen")
    sc = Scenario.load("baseline").with_values({"run.scale": 0.5})
    pop = Population(len(ds.area_names), sc.network.neighbour_slots)
    start = sc.run.start_year * 12
    synthesise(pop, ds, sc, np.random.default_rng(11), start, np.full(len(ds.area_names), 0.5))
    ids = pop.persons.active()
    household = pop.persons.household[ids]
    age = (start - pop.persons.birth_month[ids]) // 12
    return ds, sc, household, pop.households.area[household], age


def test_each_area_has_the_share_of_residents_65_plus_the_data_set_gives(synthesised):
    ds, sc, household, area, age = synthesised
    old = age >= 65
    residents = np.bincount(area, minlength=len(ds.area_names))
    share = np.bincount(area, weights=old, minlength=len(ds.area_names)) / residents
    expected = old.mean() * ds.area_old_age_ratio
    # binomial noise of a share, inflated because persons aged 65+ are placed by household
    # (couples together): the design effect is sum(k^2) / sum(k) over households' k residents 65+
    k = np.bincount(household, weights=old)
    design_effect = (k**2).sum() / k.sum()
    sd = np.sqrt(design_effect * expected * (1 - expected) / residents)
    assert np.all(np.abs(share - expected) < 4 * sd), (share, expected, sd)
    # the youngest area of the data (Emmen-Zuid) is about 5 of those noise units below the next
    assert share.argmin() == expected.argmin()


def test_the_municipal_age_structure_stays_that_of_the_age_sex_table(synthesised):
    ds, sc, household, area, age = synthesised
    counts = back_project(ds, sc.run.start_year).sum(axis=0)
    expected = counts[65:].sum() / counts.sum()
    n = len(age)
    assert abs((age >= 65).mean() - expected) < 4 * np.sqrt(expected * (1 - expected) / n)
    assert age.max() <= MAX_AGE


def test_each_area_gets_its_share_of_the_residents(synthesised):
    ds, sc, household, area, age = synthesised
    residents = np.bincount(area, minlength=len(ds.area_names))
    share = residents / residents.sum()
    # households are the unit drawn: binomial noise inflated by sum(size^2) / sum(size)
    size = np.bincount(household)
    design_effect = (size**2).sum() / size.sum()
    sd = np.sqrt(design_effect * ds.area_shares * (1 - ds.area_shares) / residents.sum())
    assert np.all(np.abs(share - ds.area_shares) < 4 * sd), (share, ds.area_shares)


@pytest.fixture(scope="module")
def tiny_model():
    return SocialDomainModel(rng=3, scale=0.01, end_year=2016, warm_up_months=0)


def test_area_cohesion_is_the_municipal_mean_times_the_data_sets_index(tiny_model):
    index = tiny_model.dataset.area_cohesion_index
    assert np.allclose(tiny_model.cohesion, 0.5 * index)
    # the index averages 1 over the residents, so network.cohesion stays the municipal mean
    assert tiny_model.dataset.area_shares @ tiny_model.cohesion == pytest.approx(0.5)
    by_name = dict(zip(tiny_model.area_names, tiny_model.cohesion))
    assert by_name["De Velden"] > by_name["Emmen-Oost"]  # village above the post-war districts


def test_a_scenarios_area_cohesion_overrides_the_data_set(tiny_model):
    config = tiny_model.config
    try:
        tiny_model.config = config.with_values({"areas.Emmen-Oost.cohesion": 0.7, "network.cohesion": 0.9})
        by_name = dict(zip(tiny_model.area_names, tiny_model.cohesion))
        assert by_name["Emmen-Oost"] == 0.7
        assert by_name["De Velden"] == 1.0  # 0.9 times an index above 1.11, held at 1
        assert by_name["Emmen-Zuid"] == pytest.approx(0.9 * tiny_model.dataset.area_cohesion_index[5])
    finally:
        tiny_model.config = config


@pytest.fixture
def dataset_copy(tmp_path):
    path = tmp_path / "emmen"
    shutil.copytree(Dataset.load("emmen").path, path)
    return path


def _replace(path, old, new):
    path.write_text(path.read_text().replace(old, new))


@pytest.mark.parametrize("old, new, message", [
    ("De Monden,11933,0.265", "De Monden,11933,old", "share_65_plus = old for area 'De Monden'; allowed: a number from 0 to 1"),
    ("Emmen-Oost,18968,0.235,0.80", "Emmen-Oost,18968,0.235,-1", "cohesion_index = -1.0 for area 'Emmen-Oost'; allowed: a number from 0 to 10"),
    ("area,population_2020,", "area,residents,", "missing column 'population_2020'"),
    ("De Velden,16559", "De Monden,16559", "area 'De Monden' appears twice"),
])
def test_a_malformed_areas_file_is_one_clear_error(dataset_copy, old, new, message):
    _replace(dataset_copy / "areas.csv", old, new)
    with pytest.raises(DatasetError) as error:
        Dataset.load(dataset_copy).areas
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_a_place_in_an_unknown_area_is_one_clear_error(dataset_copy):
    _replace(dataset_copy / "area_places.csv", "Erica,village,De Velden", "Erica,village,De Veenen")
    with pytest.raises(DatasetError, match="area = 'De Veenen'; allowed: De Velden, De Monden"):
        Dataset.load(dataset_copy).area_places


def test_every_place_of_the_mapping_says_how_it_was_assigned():
    places = Dataset.load("emmen").area_places
    assert set(places["area"]) == set(Dataset.load("emmen").area_names)
    assert set(places["assigned_by"]) <= {"named", "population", "position"}


def test_without_age_and_cohesion_columns_the_areas_are_alike(dataset_copy):
    ds = Dataset.load("emmen")
    plain = ds.areas[["area", "population_2020"]].astype({"population_2020": int})
    plain.to_csv(dataset_copy / "areas.csv", index=False)
    alike = Dataset.load(dataset_copy)
    assert np.all(alike.area_old_age_ratio == 1.0) and np.all(alike.area_cohesion_index == 1.0)
    assert np.allclose(alike.area_shares, ds.area_shares)
