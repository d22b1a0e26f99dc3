"""Areas that differ: each area's share of residents aged 65+ and its persons per household (CBS
counts per postcode, summed per area) and its cohesion come from the data set (areas.csv); a
malformed areas file is one clear error."""

import shutil

import numpy as np
import pandas as pd
import pytest

from simulation import SocialDomainModel
from simulation.dataset import MAX_AGE, Dataset, DatasetError
from simulation.population import Population
from simulation.scenario import Scenario
from simulation.synthesis import back_project, synthesise


def _synthesise(start_year: int, scale: float):
    """The start population, synthesis only: each person's household, area and age."""
    ds = Dataset.load("emmen")
    sc = Scenario.load("baseline").with_values({"run.scale": scale, "run.start_year": start_year})
    pop = Population(len(ds.area_names), sc.network.neighbour_slots)
    start = sc.run.start_year * 12
    synthesise(pop, ds, sc, np.random.default_rng(11), start, np.full(len(ds.area_names), 0.5))
    ids = pop.persons.active()
    household = pop.persons.household[ids]
    age = (start - pop.persons.birth_month[ids]) // 12
    return ds, sc, household, pop.households.area[household], age


@pytest.fixture(scope="module")
def synthesised():
    """The baseline's start population at half scale (about 53,000 residents)."""
    return _synthesise(Scenario.load("baseline").run.start_year, 0.5)


def _share_65_plus_and_noise(household, area, age, expected, n_areas):
    """Each area's share of residents aged 65+ and the sd of its binomial noise, inflated because
    persons aged 65+ are placed by household (couples together): the design effect is
    sum(k^2) / sum(k) over households' k residents 65+."""
    old = age >= 65
    residents = np.bincount(area, minlength=n_areas)
    share = np.bincount(area, weights=old, minlength=n_areas) / residents
    k = np.bincount(household, weights=old)
    design_effect = (k**2).sum() / k.sum()
    return share, np.sqrt(design_effect * expected * (1 - expected) / residents)


def test_each_area_has_the_share_of_residents_65_plus_the_data_set_gives(synthesised):
    ds, sc, household, area, age = synthesised
    expected = (age >= 65).mean() * ds.area_old_age_ratio
    share, sd = _share_65_plus_and_noise(household, area, age, expected, len(ds.area_names))
    assert np.all(np.abs(share - expected) < 4 * sd), (share, expected, sd)
    # the oldest area of the data (Emmen-Noord, the town centre) is far above every other
    assert share.argmax() == expected.argmax() == ds.area_names.index("Emmen-Noord")


def test_each_area_has_the_persons_per_household_the_data_set_gives(synthesised):
    ds, sc, household, area, age = synthesised
    households, first = np.unique(household, return_index=True)
    size = np.bincount(household)[households]
    where = area[first]
    n = np.bincount(where, minlength=len(ds.area_names))
    mean = np.bincount(where, weights=size, minlength=len(ds.area_names)) / n
    expected = size.mean() * ds.area_household_size_ratio
    # the mean of an area's household sizes: its sd is the sizes' sd over the root of its households
    sd = size.std() / np.sqrt(n)
    assert np.all(np.abs(mean - expected) < 4 * sd), (mean, expected, sd)
    # the town centre's small households (1.83 persons against 2.27 to 2.33 in the villages)
    assert mean.argmin() == ds.area_names.index("Emmen-Noord")
    assert mean.max() - mean.min() > 10 * sd.max()


def test_started_in_2021_the_areas_have_the_cbs_65_plus_shares_of_that_year():
    # the age-sex table and the postcode counts are both CBS 1 January 2021: no back-projection
    ds, sc, household, area, age = _synthesise(2021, 0.25)
    found = ds.areas["share_65_plus"].to_numpy()
    share, sd = _share_65_plus_and_noise(household, area, age, found, len(ds.area_names))
    # 4 sd of sampling noise plus the rounding of the CBS counts and of the shares (0.0005)
    assert np.all(np.abs(share - found) < 4 * sd + 0.001), (share, found, sd)
    # the oldest and the youngest two areas of the data are as far apart as the data say
    assert share.argmax() == found.argmax()
    assert share.max() - share.min() > 0.1


def _postcodes(ds: Dataset) -> pd.DataFrame:
    return pd.read_csv(ds.path / ds.meta["files"]["area_postcodes"], comment="#")


def test_the_area_figures_are_the_sums_of_their_postcodes():
    ds = Dataset.load("emmen")
    pc = _postcodes(ds)
    by_area = pc.groupby("area")
    areas = ds.areas.set_index("area")
    residents = by_area["residents_2021"].sum()
    assert (areas["residents_2021"] == residents[areas.index]).all()
    share = by_area["residents_65_plus_2021"].sum() / residents
    assert np.allclose(areas["share_65_plus"], share[areas.index].round(3))
    size = (pc["households_2018"] * pc["household_size_2018"]).groupby(pc["area"]).sum() / by_area["households_2018"].sum()
    assert np.allclose(areas["household_size"], size[areas.index].round(2))
    # the municipality's total of the age-sex table (same CBS table and date), less rounding to 5
    assert abs(pc["residents_2021"].sum() - ds.age_sex_single_years.sum()) < 5 * len(pc)


def test_every_postcode_says_how_it_was_assigned_and_villages_follow_the_place_mapping():
    ds = Dataset.load("emmen")
    pc = _postcodes(ds)
    assert pc["postcode"].is_unique and set(pc["area"]) == set(ds.area_names)
    assert set(pc["assigned_by"]) == {"place", "bearing"}
    village_area = dict(zip(ds.area_places["place"], ds.area_places["area"]))
    by_place = pc[pc["assigned_by"] == "place"]
    assert (by_place["area"] == by_place["place"].map(village_area)).all()
    town = pc[(pc["assigned_by"] == "bearing") & pc["bearing_deg"].notna()]
    sector = np.select([(town.bearing_deg >= 45) & (town.bearing_deg < 135),
                        (town.bearing_deg >= 135) & (town.bearing_deg < 225)], ["Emmen-Oost", "Emmen-Zuid"], "Emmen-Noord")
    assert (town["area"] == sector).all()
    # the mapping reproduces the municipality's own residents per area within 3.5%
    residents = pc.groupby("area")["residents_2021"].sum()
    areas = ds.areas.set_index("area")["population_2020"]
    assert np.all(np.abs(residents[areas.index] / areas - 1) < 0.035)


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
    ("De Monden,11933,0.203", "De Monden,11933,old", "share_65_plus = old for area 'De Monden'; allowed: a number from 0 to 1"),
    ("Emmen-Oost,18968,0.251,0.8", "Emmen-Oost,18968,0.251,-1", "cohesion_index = -1.0 for area 'Emmen-Oost'; allowed: a number from 0 to 10"),
    ("area,population_2020,", "area,residents,", "missing column 'population_2020'"),
    ("Emmen-Noord,14502,0.338,0.95,14995,1.83", "Emmen-Noord,14502,0.338,0.95,14995,0.5", "household_size = 0.5 for area 'Emmen-Noord'; allowed: a number from 1 to 10"),
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


def test_without_age_household_and_cohesion_columns_the_areas_are_alike(dataset_copy):
    ds = Dataset.load("emmen")
    plain = ds.areas[["area", "population_2020"]].astype({"population_2020": int})
    plain.to_csv(dataset_copy / "areas.csv", index=False)
    alike = Dataset.load(dataset_copy)
    assert np.all(alike.area_old_age_ratio == 1.0) and np.all(alike.area_cohesion_index == 1.0)
    assert np.all(alike.area_household_size_ratio == 1.0)
    assert np.allclose(alike.area_shares, ds.area_shares)


def test_models_share_a_data_set_until_its_files_change(dataset_copy):
    """``Dataset.load`` reads a folder's tables once per process (every model built needs them),
    and again once a file changes, even to one of the same size."""
    first = Dataset.load(dataset_copy)
    assert Dataset.load(dataset_copy) is first
    population = first.areas.set_index("area")["population_2020"]
    _replace(dataset_copy / "areas.csv", "De Monden,11933,", "De Monden,11934,")
    changed = Dataset.load(dataset_copy)
    assert changed is not first
    assert changed.areas.set_index("area")["population_2020"]["De Monden"] == population["De Monden"] + 1 == 11934
