"""Bad input gets one line naming the problem (finding 6 of the reliability review), in the
command line and in the API; strict types in scenarios."""

import numpy as np
import pytest

from simulation import Scenario, ScenarioError, SocialDomainModel

TINY = ["--scale", "0.01", "--set", "run.end_year=2016", "--set", "run.warm_up_months=0", "--quiet", "--no-figure"]


def one_line(err):
    assert err.count("\n") == 1 and err.startswith("socialsim: error: "), err
    return err


@pytest.mark.parametrize("args, expected", [
    (["run", "baseline", "--seed", "-1"], ["--seed = -1", "0..9223372036854775807"]),
    (["run", "baseline", "--seed", str(2**64)], ["--seed = 18446744073709551616"]),
    (["run", "baseline", "--workers", "0"], ["--workers = 0", "at least 1"]),
    (["run", "baseline", "--replications", "0"], ["--replications = 0"]),
    (["compare", "baseline", "baseline", "--workers", "0"], ["--workers = 0"]),
    (["compare", "baseline", "baseline", "--seed", "-3"], ["--seed = -3"]),
    (["benchmark", "--reference-months", "0"], ["--reference-months = 0", "at least 1"]),
    (["benchmark", "--seed", "-1"], ["--seed = -1"]),
    (["run", "baseline", "--set", "run.scale=true"], ["run.scale = True", "valid number"]),
    (["run", "baseline", "--set", 'network.neighbour_slots="6"'], ["network.neighbour_slots = '6'", "valid integer"]),
    (["run", "baseline", "--set", "network.neighbour_slots=2.0"], ["network.neighbour_slots = 2.0", "valid integer"]),
    (["run", "baseline", "--set", "contributions.income_from=2018"], ["income_from = 2018", "flat_from = 2019"]),
    (["run", "baseline", "--set", "needs.onset_multipler=2"], ["onset_multipler", "did you mean onset_multiplier"]),
])
def test_bad_command_line_input_is_one_line(args, expected, tmp_path, cli):
    code, _, err = cli(*args, "--out", tmp_path / "o") if args[0] != "benchmark" else cli(*args)
    assert code == 2
    one_line(err)
    for part in expected:
        assert part in err, (part, err)


def test_out_that_is_a_file_or_under_a_file_is_one_line(tmp_path, cli):
    f = tmp_path / "file"
    f.write_text("x")
    for out, expected in ((f, "is a file"), (f / "sub", "cannot create the folder")):
        code, _, err = cli("run", "baseline", *TINY, "--out", out)
        assert code == 2 and expected in one_line(err)


def test_a_scenario_file_that_is_not_utf8_is_one_line(tmp_path, cli):
    f = tmp_path / "latin1.toml"
    f.write_bytes('[scenario]\ndescription = "café"\n'.encode("latin-1"))
    code, _, err = cli("run", f, *TINY, "--out", tmp_path / "o")
    assert code == 2 and "not UTF-8" in one_line(err) and "latin1.toml" in err


def test_compare_refuses_scenarios_of_different_scale_or_horizon(tmp_path, cli):
    base = tmp_path / "base.toml"
    base.write_text("[run]\nscale = 0.01\nend_year = 2016\n")
    for key, run in (("scale", "scale = 0.02\nend_year = 2016"), ("end_year", "scale = 0.01\nend_year = 2017")):
        other = tmp_path / f"other_{key}.toml"
        other.write_text(f"[run]\n{run}\n")
        code, _, err = cli("compare", base, other, "--out", tmp_path / key, "--quiet")
        assert code == 2 and f"run.{key} differs" in one_line(err)
        assert not (tmp_path / key).exists()  # refused before running anything


def test_a_policy_after_the_horizon_is_noted_and_recorded_as_not_applied(tmp_path, cli):
    f = tmp_path / "s.toml"
    f.write_text('[[policy]]\nyear = 2030\nset = { "needs.onset_multiplier" = 2.0 }\n')
    code, _, err = cli("run", f, "--scale", "0.01", "--set", "run.end_year=2016", "--set", "run.warm_up_months=0",
                       "--no-figure", "--out", tmp_path / "o")
    assert code == 0
    assert "note: policy[0] (year 2030) is after run.end_year = 2016: not applied in this run" in err


@pytest.mark.parametrize("policy, expected", [
    ([{"year": 2020, "set": {"needs.onset_multiplier": 1.5}}, {"year": 2020, "set": {"needs.onset_multiplier": 2.0}}],
     "policy[0] and policy[1] both set needs.onset_multiplier in 2020"),
    ([{"year": 2020, "set": {}}, {"year": 2021, "set": {"needs.onset_multiplier": "x"}}],
     "policy[1] (year 2021): needs.onset_multiplier = 'x'"),
    ([{"year": 2020, "set": {}}, {"year": 2021, "set": {"needs.onset_multipler": 1.0}}],
     "policy[1] (year 2021): unknown parameter 'needs.onset_multipler' (did you mean onset_multiplier?)"),
    ([{"year": 2020, "set": {"network.neighbour_slots": 2}}], "policy[0] (year 2020): set: 'network.neighbour_slots'"),
    ([{"year": "2020", "set": {}}], "policy[0].year = '2020'"),
])
def test_errors_in_a_policy_entry_name_the_entry(policy, expected):
    with pytest.raises(ScenarioError) as e:
        Scenario.from_dict({"policy": policy})
    assert expected in str(e.value)


def test_two_policies_in_one_year_on_different_parameters_are_fine():
    sc = Scenario.from_dict({"policy": [{"year": 2020, "set": {"needs.onset_multiplier": 1.5}},
                                        {"year": 2020, "set": {"needs.female_rr": 1.1}}]})
    assert len(sc.policy) == 2


@pytest.mark.parametrize("section, name, value", [
    ("run", "scale", True), ("network", "neighbour_slots", "6"), ("network", "neighbour_slots", True),
    ("needs", "chronic_age", 75.0), ("demography", "projection_variant", 1),
])
def test_types_are_strict(section, name, value):
    with pytest.raises(ScenarioError, match=f"{section}.{name} = "):
        Scenario.from_dict({section: {name: value}})


def test_numpy_scalars_count_as_their_values():
    sc = Scenario.from_dict({"network": {"neighbour_slots": np.int64(3)}, "run": {"scale": np.float64(0.5)}})
    assert sc.network.neighbour_slots == 3 and type(sc.network.neighbour_slots) is int
    assert SocialDomainModel(rng=1, scale=np.float64(0.01), end_year=2016, warm_up_months=np.int64(0)).config.run.scale == 0.01


@pytest.mark.parametrize("rng", [-1, 2**63, 1.5, "7", True])
def test_a_bad_seed_in_the_api_is_one_error(rng):
    with pytest.raises(ScenarioError, match=r"rng = .*a seed must be an integer 0\.\."):
        SocialDomainModel(rng=rng, scale=0.01, end_year=2016)


def test_a_misspelt_keyword_suggests_the_parameter():
    with pytest.raises(ScenarioError, match="fertilty_multiplier.*did you mean fertility_multiplier"):
        SocialDomainModel(rng=1, fertilty_multiplier=1.1)
    with pytest.raises(ScenarioError, match="did you mean demography.fertility_multiplier"):
        SocialDomainModel(rng=1, **{"demography.fertilty_multiplier": 1.1})


def test_tables_before_a_full_period_are_empty_with_their_columns():
    m = SocialDomainModel(rng=1, scale=0.01, end_year=2016, warm_up_months=0)
    assert m.monthly().empty and "population" in m.monthly().columns
    for _ in range(3):
        m.step()
    y = m.yearly()
    assert y.empty and {"year", "area", "population", "informal_share"} <= set(y.columns)
    assert len(m.monthly()) == 3 * 7
    for _ in range(9):
        m.step()
    assert len(m.yearly()) == 7
    assert list(m.yearly().columns) == list(y.columns)


@pytest.mark.parametrize("arguments, expected", [
    ({"replications": 0}, "replications = 0"), ({"workers": 0}, "workers = 0"), ({"seed": -1}, "--seed = -1"),
    ({"replications": 1.5}, "replications = 1.5"),
])
def test_run_api_arguments_are_checked_before_anything_is_written(arguments, expected, tmp_path):
    from simulation.runner import run

    with pytest.raises(ScenarioError, match=expected):
        run(Scenario.load(None, {"run.scale": 0.01, "run.end_year": 2016}), tmp_path / "o", **arguments)
    assert not (tmp_path / "o").exists()
