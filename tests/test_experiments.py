"""The headline experiments in experiments/ and what they share (simulation/experiment.py)."""

import runpy
import sys
from pathlib import Path

import pandas as pd
import pytest

from simulation import Scenario, experiment

ROOT = Path(__file__).resolve().parent.parent
# smoke tests of the scripts: what they write and how, not settled stocks, so a 12-month warm-up
TINY = ["--scale", "0.01", "--replications", "2", "--years", "2016", "2017", "--warm-up-months", "12"]


def test_variants_share_seeds_so_a_lever_without_effect_changes_nothing():
    """No case gets a custom budget in the baseline, so its price cannot matter; common random
    numbers make the two variants' tables identical, and the intervals hold their means."""
    runs = experiment.run_variants({"a": ("baseline", {}), "b": ("baseline", {"access_team.breakthrough_eur_per_case": 9000.0})},
                                   ["informal_share", "cost_total_eur"], scale=0.01, years=(2016, 2017), replications=2,
                                   warm_up_months=12)
    a, b = (runs[runs.variant == v].drop(columns="variant").reset_index(drop=True) for v in "ab")
    pd.testing.assert_frame_equal(a, b)
    assert a.seed.nunique() == 2
    s = experiment.summary(runs, ["informal_share", "cost_total_eur"], 0.01)
    assert ((s.low <= s["mean"]) & (s["mean"] <= s.high)).all()
    cost = s[(s.indicator == "cost_total_eur") & (s.variant == "a")]["mean"]
    per_seed = runs[(runs.variant == "a") & (runs.area == "total")].groupby("year").cost_total_eur.mean() / 0.01
    assert cost.tolist() == pytest.approx(per_seed.tolist())


@pytest.mark.parametrize("script, figure", [("ambition_40", "ambition"), ("prevention_decades", "net_cost"),
                                            ("staff_shortage", "staff_shortage"), ("funding_comparison", "funding")])
def test_each_headline_experiment_writes_a_report_with_intervals(script, figure, tmp_path, monkeypatch):
    extra = ["--doses", "0", "50"] if script == "prevention_decades" else []
    monkeypatch.setattr(sys, "argv", [script, *TINY, *extra, "--out", str(tmp_path)])
    runpy.run_path(str(ROOT / "experiments" / f"{script}.py"), run_name="__main__")
    report = (tmp_path / "report.md").read_text()
    assert "2 replications" in report and " to " in report  # 'mean (low to high)'
    assert "a warm-up of 12 months" in report
    assert (tmp_path / f"{figure}.png").stat().st_size > 0
    summary = pd.read_csv(tmp_path / "summary.csv")
    assert {"variant", "year", "indicator", "mean", "low", "high"} <= set(summary.columns)
    assert summary.year.max() == 2017
    if script == "funding_comparison":  # the waiting list on 1 January and over every month, by who pays
        assert all(f"| {row} " in report for row in ("waiting_list (1 January)", "waiting_list_months_mean",
                                                       "waiting_list_contract_months_mean", "waiting_list_youth_months_mean"))


def test_the_warm_up_option_sets_every_variants_warm_up_and_the_scenarios_own_otherwise(monkeypatch):
    """(The runs themselves are left out: the scenarios handed to the sweep engine are what is held.)"""
    seen = []

    def run_points(points, seeds, scenario, indicators, done, **options):
        seen.append(scenario)
        for i in range(len(points)):
            done(i, pd.DataFrame({"seed": seeds, "year": 2016, "area": "total"}))
    monkeypatch.setattr(experiment, "run_points", run_points)
    variants = {"base": ("baseline", {}), "short": ("staff_shortage", {})}
    experiment.run_variants(variants, [], scale=0.01, years=(2016, 2017), replications=1, warm_up_months=12)
    assert [s.run.warm_up_months for s in seen] == [12, 12]
    seen.clear()
    experiment.run_variants(variants, [], scale=0.01, years=(2016, 2017), replications=1)
    assert [s.run.warm_up_months for s in seen] == [Scenario.load(name).run.warm_up_months for name in ("baseline", "staff_shortage")]


def test_a_bad_warm_up_is_one_line_naming_it():
    with pytest.raises(SystemExit, match="warm_up_months") as stop:
        experiment.run_variants({"a": ("baseline", {})}, [], scale=0.01, years=(2016, 2017), replications=1,
                                warm_up_months=-1)
    assert "\n" not in str(stop.value)
