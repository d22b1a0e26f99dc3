"""Goal-seeking (socialsim optimize): the cheapest lever mix that reaches a target."""

import json
import tomllib

import pandas as pd
import pytest

from shared_runs import short_warm_up
from simulation.cli import main
from simulation.evaluate import evaluate
from simulation.optimize import LEVERS, trial_values
from simulation.scenario import SCENARIO_DIR, Scenario

ARGS = ["optimize", "--scale", "0.01", "--years", "2016", "2018", "--target-year", "2018", "--target", "0.2",
        "--trials", "4", "--replications", "2", "--quiet"]


def test_the_levers_are_the_plans_and_start_at_the_baseline():
    plan = tomllib.loads((SCENARIO_DIR / "ambition_40.toml").read_text())
    in_plan = {k for p in plan["policy"] for k in p["set"]}
    assert set(LEVERS) == in_plan | {"prevention.budget_eur_per_resident"}
    flat = Scenario.load("baseline").flat()
    for name, (lo, hi) in LEVERS.items():
        assert flat[name] == lo < hi, name


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    """The baseline with a year's warm-up: every trial but the first changes levers the warm-up
    reads, so none of their warm-ups is shared, and what the tests hold (the answer against its
    own evaluation, the front, the same search again) needs no settled state."""
    return short_warm_up(tmp_path_factory.mktemp("scenario"))


@pytest.fixture(scope="module")
def optimized(tmp_path_factory, scenario):
    out = tmp_path_factory.mktemp("optimize")
    assert main([*ARGS, str(scenario), "--out", str(out)]) == 0
    return out


def test_the_answer_meets_the_target_and_the_constraint_in_its_own_evaluation(optimized, scenario):
    answer = json.loads((optimized / "best.json").read_text())
    trials = pd.read_csv(optimized / "trials.csv")
    assert len(trials) == 4 and trials.loc[0, list(LEVERS)].tolist() == [lo for lo, _ in LEVERS.values()]
    assert answer["reached"]
    base = Scenario.load(scenario).with_values({"run.scale": 0.01, "run.end_year": 2018})
    runs = evaluate(answer["mix"], answer["seeds"], scenario=base,
                    indicators=[answer["indicator"], "unmet_need_persons", "cost_total_eur", "prevention_spend_eur"])
    again = trial_values(runs.assign(trial=0), answer["indicator"], 2018, 0.01).iloc[0]
    assert again[answer["indicator"]] == pytest.approx(answer[answer["indicator"]])
    assert again[answer["indicator"]] >= 0.2
    assert again.unmet_need_persons == pytest.approx(answer["unmet_need_persons"])
    assert again.unmet_need_persons <= answer["baseline"]["unmet_need_persons"]
    assert again.cost_eur == pytest.approx(answer["cost_eur"])
    lo, hi = answer["cost_eur_interval"]
    assert lo <= answer["cost_eur"] <= hi
    cheaper = trials[trials.feasible & (trials[answer["indicator"]] >= 0.2) & (trials.cost_eur < answer["cost_eur"])]
    assert cheaper.empty
    for name in ("report.md", "optimize.png", "pareto.csv", "runs.parquet", "trials.parquet"):
        assert (optimized / name).stat().st_size > 0


def test_the_pareto_front_is_not_dominated(optimized):
    trials = pd.read_csv(optimized / "trials.csv")
    front = pd.read_csv(optimized / "pareto.csv")
    ind = json.loads((optimized / "best.json").read_text())["indicator"]
    assert len(front) >= 1 and front.feasible.all()
    feasible = trials[trials.feasible]
    for _, f in front.iterrows():
        beats = feasible[(feasible.cost_eur <= f.cost_eur) & (feasible[ind] >= f[ind])
                         & ((feasible.cost_eur < f.cost_eur) | (feasible[ind] > f[ind]))]
        assert beats.empty, f.trial
    # and every feasible trial off the front is beaten by one on it
    for _, t in feasible[~feasible.trial.isin(front.trial)].iterrows():
        assert ((front.cost_eur <= t.cost_eur) & (front[ind] >= t[ind])).any(), t.trial


def test_the_same_seed_gives_the_same_search(optimized, scenario, tmp_path):
    assert main([*ARGS, str(scenario), "--out", str(tmp_path)]) == 0
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "trials.csv"), pd.read_csv(optimized / "trials.csv"))
