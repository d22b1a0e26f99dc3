"""Plausible ranges and the sensitivity analysis (socialsim sensitivity)."""

import numpy as np
import pandas as pd
import pytest

from shared_runs import short_warm_up
from simulation import sensitivity as sens
from simulation import sweep
from simulation.cli import main
from simulation.scenario import SECTIONS, Scenario, ScenarioError, plausible_ranges


def test_plausible_ranges_hold_the_default_inside_the_validation_bounds():
    ranges = plausible_ranges()
    assert len(ranges) > 50
    for key, (lo, hi) in ranges.items():
        section, name = key.split(".")
        info = SECTIONS[section].model_fields[name]
        bounds = {a: getattr(m, a) for m in info.metadata for a in ("ge", "le") if hasattr(m, a)}
        assert bounds.get("ge", -np.inf) <= lo < hi <= bounds.get("le", np.inf), key
        assert lo <= info.default <= hi, key
        assert info.json_schema_extra["plausible_source"], key


def test_every_corner_of_the_plausible_box_is_a_valid_scenario():
    """A design can put every parameter at either end of its range at once (shares must still add up)."""
    ranges = plausible_ranges()
    for end in (0, 1):
        Scenario.from_dict({}).with_values({k: v[end] for k, v in ranges.items()})


def test_levers_have_no_plausible_range():
    """Policy choices are what an analysis compares, not uncertainty to integrate over."""
    ranges = plausible_ranges()
    for lever in ("access_team.informal_first", "prevention.budget_eur_per_resident", "access_team.staff_multiplier"):
        assert lever not in ranges


def test_a_group_is_one_section_and_an_unknown_one_is_refused():
    assert set(plausible_ranges("prevention")) == {k for k in plausible_ranges() if k.startswith("prevention.")}
    with pytest.raises(ScenarioError, match="group = 'nonsense'"):
        plausible_ranges("nonsense")


def test_sobol_indices_find_the_only_parameter_that_matters():
    prob = sens.problem(["needs.onset_multiplier", "network.cohesion", "informal_care.willing_kin"])
    x = sens.design("sobol", prob, 256, seed=3)
    y = 5.0 * x[:, 0] ** 2  # only onset_multiplier
    t = sens.indices("sobol", prob, x, y, seed=3).set_index("parameter")
    assert t.loc["needs.onset_multiplier", "ST"] == pytest.approx(1.0, abs=0.1)
    assert t.loc[["network.cohesion", "informal_care.willing_kin"], "ST"].abs().max() < 0.01


def test_sobol_needs_a_power_of_two():
    prob = sens.problem(["needs.onset_multiplier", "network.cohesion"])
    with pytest.raises(ScenarioError, match="--n = 6"):
        sens.design("sobol", prob, 6, seed=1)


def test_parameters_without_a_plausible_range_are_refused(capsys):
    assert main(["sensitivity", "--parameters", "access_team.informal_first", "network.cohesion", "--out", "x"]) == 2
    assert "'access_team.informal_first' has no plausible range" in capsys.readouterr().err


ARGS = ["sensitivity", "--parameters", "needs.onset_multiplier", "access_team.breakthrough_eur_per_case",
        "informal_care.willing_kin", "--n", "2", "--scale", "0.01", "--years", "2016", "2016", "--at", "2016",
        "--replications", "2", "--quiet"]
# run for a year on the baseline with a year's warm-up (short_warm_up): each design point changes
# what the warm-up reads, so none is shared, and what the test holds (the ranking, the exact zero,
# the resumption) needs no settled state and no later year (more problems cost more from the
# first month)


def test_morris_ranks_onset_above_a_price_nobody_pays_and_resumes_without_rerunning(tmp_path, monkeypatch):
    out = tmp_path / "morris"
    scenario = short_warm_up(tmp_path)
    args = [*ARGS, str(scenario), "--out", str(out)]
    assert main(args) == 0
    table = pd.read_csv(out / "indices.csv")
    assert {"method", "output", "year", "parameter", "mu_star", "mu_star_conf", "sigma"} <= set(table.columns)
    assert set(table.output) >= {"informal_share", "cost_total_eur", "unmet_need_persons", "carers_heavily_burdened"}
    for name in ("indices.parquet", "indices.md", "sensitivity.png", "runs.parquet", "design.parquet"):
        assert (out / name).stat().st_size > 0
    runs = pd.read_parquet(out / "runs.parquet")
    assert runs.point.nunique() == 2 * (3 + 1) and runs.seed.nunique() == 2
    cost = table[table.output == "cost_total_eur"].set_index("parameter").mu_star
    # more problems cost more; the custom budget's price cannot matter while no case gets one
    # (breakthrough_share is 0 in the baseline), and common random numbers make that exact
    assert cost["needs.onset_multiplier"] > 0
    assert (table[table.parameter == "access_team.breakthrough_eur_per_case"].mu_star == 0).all()

    def must_not_run(run, *args):
        raise AssertionError(f"design point {run.point} computed twice")

    monkeypatch.setattr(sweep, "compute", must_not_run)
    assert main(args) == 0
    pd.testing.assert_frame_equal(pd.read_csv(out / "indices.csv"), table)


def test_params_lists_each_plausible_range_with_its_source(capsys):
    assert main(["params"]) == 0
    text = capsys.readouterr().out
    assert "network.cohesion = 0.5" in text
    assert "plausible 0.3..0.7: no Emmen cohesion index found; weak evidence" in text
    assert text.count("    plausible ") == len(plausible_ranges())
