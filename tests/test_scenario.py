"""Scenario files and overrides: bad input gives one clear message naming field, value, allowed."""

import pytest

from simulation import Scenario, ScenarioError, SocialDomainModel


def test_baseline_is_the_defaults_with_the_fitted_parameters():
    sc = Scenario.load("baseline")
    assert sc.scenario.name == "baseline" and sc.scenario.base == "calibrated"
    fitted = {k: v for k, v in Scenario.load("calibrated").flat().items() if v != Scenario().flat()[k]}
    assert sc.flat() == {**Scenario().flat(), **fitted}


def test_named_scenarios_build_on_the_baseline():
    """So a scenario compared with the baseline differs from it only in what it sets."""
    from simulation.scenario import SCENARIO_DIR
    for path in SCENARIO_DIR.glob("*.toml"):
        if path.stem not in ("baseline", "calibrated"):
            assert Scenario.load(path).scenario.base == "baseline", path.stem


def test_a_scenario_takes_its_base_values_and_overrides_them(tmp_path):
    (tmp_path / "a.toml").write_text('[needs]\nonset_multiplier = 1.1\nfemale_rr = 1.3\n'
                                     '[[policy]]\nyear = 2020\nset = { "access_team.staff_multiplier" = 0.8 }\n')
    (tmp_path / "b.toml").write_text(f'[scenario]\nbase = "{tmp_path / "a.toml"}"\n[needs]\nfemale_rr = 1.0\n'
                                     '[[policy]]\nyear = 2030\nset = { "access_team.staff_multiplier" = 0.6 }\n')
    b = Scenario.load(tmp_path / "b.toml")
    assert b.scenario.name == "b"  # its own name, not the base's
    assert b.needs.onset_multiplier == 1.1 and b.needs.female_rr == 1.0
    assert [p.year for p in b.policy] == [2020, 2030]


def test_a_cycle_of_bases_is_one_clear_error(tmp_path):
    (tmp_path / "a.toml").write_text(f'[scenario]\nbase = "{tmp_path / "b.toml"}"\n')
    (tmp_path / "b.toml").write_text(f'[scenario]\nbase = "{tmp_path / "a.toml"}"\n')
    with pytest.raises(ScenarioError, match="leads back"):
        Scenario.load(tmp_path / "a.toml")


def test_set_overrides_a_value():
    sc = Scenario.load("baseline", ["demography.fertility_multiplier=1.3", "run.scale=0.5"])
    assert sc.demography.fertility_multiplier == 1.3 and sc.run.scale == 0.5


@pytest.mark.parametrize("override, expected", [
    ("demography.fertility_multiplyer=1.1", ["demography.fertility_multiplyer", "unknown parameter", "fertility_multiplier"]),
    ("demography.fertility_multiplier=lots", ["demography.fertility_multiplier", "'lots'", "valid number"]),
    ("demography.fertility_multiplier=7", ["demography.fertility_multiplier", "7", "..3.0"]),
    ("run.scale=0", ["run.scale", "0", "0.001.."]),
    ("demography.projection_variant=\"high\"", ["projection_variant", "'high'", "'main'"]),
    ("areas.Atlantis.cohesion=0.5", ["Atlantis", "unknown area", "De Velden"]),
    ("run.end_year=2010", ["run.end_year", "2010", "start_year"]),
    ("nonsense", ["--set", "key=value"]),
])
def test_bad_override_is_one_clear_error(override, expected, tmp_path, cli):
    code, _, err = cli("run", "baseline", "--set", override, "--out", tmp_path, "--quiet")
    assert code == 2
    assert err.count("\n") == 1  # one message
    for part in expected:
        assert part in err, (part, err)


def test_missing_scenario_file(tmp_path, cli):
    code, _, err = cli("run", tmp_path / "nope.toml", "--out", tmp_path)
    assert code == 2 and "not found" in err and "baseline" in err


def test_malformed_toml(tmp_path, cli):
    bad = tmp_path / "bad.toml"
    bad.write_text("[demography\nfertility_multiplier = 1\n")
    code, _, err = cli("run", bad, "--out", tmp_path)
    assert code == 2 and "malformed TOML" in err and "bad.toml" in err


def test_unknown_key_in_file_names_the_section(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text("[network]\ncohesoin = 0.4\n")
    with pytest.raises(ScenarioError, match=r"network\.cohesoin.*allowed here: cohesion"):
        Scenario.load(f)


def test_unknown_section_in_file(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text("[demografie]\nx = 1\n")
    with pytest.raises(ScenarioError, match="demografie.*unknown parameter.*demography"):
        Scenario.load(f)


def test_policy_with_unknown_parameter_is_rejected(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text('[[policy]]\nyear = 2020\nset = { "demography.fertility" = 1.0 }\n')
    with pytest.raises(ScenarioError, match="demography.fertility.*allowed in \\[demography\\]"):
        Scenario.load(f)


def test_policy_outside_the_run_is_rejected(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text('[[policy]]\nyear = 2010\nset = { "demography.fertility_multiplier" = 1.0 }\n')
    with pytest.raises(ScenarioError, match="policy\\[0\\].year = 2010"):
        Scenario.load(f)


def test_area_override_applies_to_that_area_only():
    m = SocialDomainModel(rng=1, scale=0.01, end_year=2016, **{"areas.De Monden.cohesion": 0.9})
    cohesion = {a.name: a.cohesion for a in m.areas}
    assert cohesion["De Monden"] == 0.9
    from_data = dict(zip(m.area_names, 0.5 * m.dataset.area_cohesion_index))  # network.cohesion x index
    assert all(v == from_data[k] for k, v in cohesion.items() if k != "De Monden")


def test_dated_policy_changes_parameters_from_its_year(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text('[run]\nend_year = 2021\nscale = 0.05\n'
                 '[[policy]]\nyear = 2019\nset = { "demography.fertility_multiplier" = 0.0 }\nnote = "test"\n')
    m = SocialDomainModel(f, rng=3)
    m.run()
    t = m.yearly().query("area == 'total'").set_index("year")
    assert (t.loc[[2016, 2017, 2018], "births"] > 0).all()
    assert (t.loc[[2019, 2020, 2021], "births"] == 0).all()
    assert m.applied_policies == [{"year": 2019, "set": {"demography.fertility_multiplier": 0.0}, "note": "test"}]
    assert m.config.demography.fertility_multiplier == 0.0
    assert m.initial_config.demography.fertility_multiplier == 1.0


def test_parameter_names_are_unique_across_sections():
    from simulation.scenario import SECTIONS

    names = [n for cls in SECTIONS.values() for n in cls.model_fields]
    assert len(names) == len(set(names))


def test_every_parameter_has_unit_source_and_description():
    from simulation.cli import parameter_rows

    for row in parameter_rows():
        assert row["unit"] and row["source"] and row["description"], row["parameter"]


def test_policy_combinations_are_checked_on_the_whole_section(tmp_path):
    ok = Scenario.from_dict({"policy": [{"year": 2020, "set": {"needs.share_light": 0.6, "needs.share_medium": 0.3}}]})
    assert ok.policy[0].year == 2020
    with pytest.raises(ScenarioError, match=r"policy\[0\] \(year 2020\) leads to an invalid \[needs\]"):
        Scenario.from_dict({"policy": [{"year": 2020, "set": {"needs.share_light": 0.8}}]})
