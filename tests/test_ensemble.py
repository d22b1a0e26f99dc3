"""`socialsim ensemble`: a scenario, or two compared, over the fitted parameter sets x seeds, with
intervals that hold the parameters' uncertainty (tiny runs: 2% scale, a few years)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from shared_runs import short_warm_up
from simulation import Scenario, ScenarioError
from simulation.ensemble import ENSEMBLE, ensemble, load_members, member_points
from simulation.summarize import interval

# three parameter sets far apart in the onset of needs: the Wmo clients depend on it
MEMBERS = """# a test ensemble
trial,distance,needs.onset_multiplier,informal_care.willing_kin
0,1.0,0.8,0.45
3,1.1,1.0,0.55
5,1.2,1.2,0.65
"""
INDICATORS = ["wmo_clients_per_1000", "informal_share", "population"]
TINY = dict(scale=0.02, years=(2016, 2019), replications=3, indicators=INDICATORS, workers=1, quiet=True)


@pytest.fixture(scope="module")
def members_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("members") / "ensemble.csv"
    path.write_text(MEMBERS)
    return path


# the ensemble's runs settle for a year instead of ten (run.warm_up_months): what these tests hold
# (the pooling, the pairing, the intervals) needs no settled state, and every member changes a
# parameter the warm-up reads, so no warm-up is shared. At 12 months the onset of needs still
# makes most of the Wmo clients' spread (parameter share 0.85 against 0.94 at 120 months; pooled
# interval 4.4 times the one parameter set's against 6.8; seeds 1-3)
def short(folder: Path, name: str, sections: str = "") -> str:
    """A scenario file on the baseline with the short warm-up (and ``sections``), as a path."""
    return str(short_warm_up(folder, name, sections))


@pytest.fixture(scope="module")
def compared(tmp_path_factory, members_file):
    """The baseline against a policy that moves both indicators (more access-team staff), pooled."""
    folder = tmp_path_factory.mktemp("ensemble")
    scenarios = [short(folder, "baseline"), short(folder, "more_staff", "[access_team]\nstaff_multiplier = 1.5\n")]
    result = ensemble(scenarios, folder / "out", members=members_file, **TINY)
    return folder / "out", result


def last(table: pd.DataFrame, indicator: str) -> pd.Series:
    return table[(table.area == "total") & (table.year == 2019) & (table.indicator == indicator)].iloc[0]


def test_the_pooled_interval_is_wider_than_one_parameter_sets_seed_interval_for_a_parameter_sensitive_output(compared):
    out, result = compared
    runs = pd.read_parquet(out / "base" / "sweep.parquet")
    one_set = interval(runs[runs.point == 0], ["area", "year"], INDICATORS)  # what `socialsim summarize` gives
    seeds_only, pooled = last(one_set, "wmo_clients_per_1000"), last(result["summary"], "wmo_clients_per_1000")
    assert pooled.high - pooled.low > seeds_only.high - seeds_only.low
    assert pooled.parameter_share > 0.5  # the onset of needs, not the seeds, makes the spread


def test_the_pooled_mean_is_the_mean_of_the_members_means(compared):
    out, result = compared
    runs = pd.read_parquet(out / "base" / "sweep.parquet")
    per_member = interval(runs, ["point", "area", "year"], INDICATORS)
    for name in INDICATORS:
        means = per_member[(per_member.area == "total") & (per_member.year == 2019) & (per_member.indicator == name)]
        row = last(result["summary"][result["summary"].scenario.str.endswith("baseline.toml")], name)
        assert len(means) == row.members == 3 and row.replications == 3
        assert row["mean"] == pytest.approx(means["mean"].mean())
        assert row.low <= row["mean"] <= row.high


def test_both_scenarios_run_the_same_parameter_sets_with_the_same_seeds(compared):
    out, _ = compared
    base, scen = (pd.read_parquet(out / label / "sweep.parquet") for label in ("base", "scenario"))
    pairs = ["point", "seed", "needs.onset_multiplier", "informal_care.willing_kin"]
    assert base[pairs].drop_duplicates().sort_values(pairs).equals(scen[pairs].drop_duplicates().sort_values(pairs))
    assert base.seed.nunique() == 3 and base.point.nunique() == 3


def test_the_difference_is_the_members_paired_differences_pooled(compared):
    out, result = compared
    base, scen = (pd.read_parquet(out / label / "sweep.parquet") for label in ("base", "scenario"))
    by = ["point", "area", "year"]
    b, s = (interval(t, by, INDICATORS).set_index([*by, "indicator"])["mean"] for t in (base, scen))
    member_diff = (s - b).xs(("total", 2019, "informal_share"), level=["area", "year", "indicator"])
    row = last(result["difference"], "informal_share")
    assert row.difference == pytest.approx(member_diff.mean())
    assert row.difference == pytest.approx(row.scenario - row.base)
    half = row.high - row.difference
    from scipy import stats
    assert half == pytest.approx(stats.t.ppf(0.975, 2) * member_diff.std(ddof=1) * np.sqrt(1 + 1 / 3))


def test_a_scenario_against_itself_differs_by_exactly_nothing(tmp_path, members_file):
    """Pairing by parameter set and seed: the same scenario twice gives the same runs, so every
    member's difference is zero (pairing by seed alone would mix the sets and differ)."""
    result = ensemble([short(tmp_path, "baseline"), short(tmp_path, "same")], tmp_path / "out", members=members_file,
                      **{**TINY, "years": (2016, 2017), "replications": 2})
    diff = result["difference"]
    assert (diff.difference == 0).all() and (diff.low == 0).all() and (diff.high == 0).all()


def test_a_fitted_parameter_the_scenario_sets_itself_keeps_the_scenarios_value(members_file):
    members = load_members(members_file)
    own = Scenario.load("baseline").with_values({"informal_care.willing_kin": 0.9})
    points = member_points(own, members)
    assert [p["needs.onset_multiplier"] for p in points] == [0.8, 1.0, 1.2]
    assert all("informal_care.willing_kin" not in p for p in points)
    assert all("informal_care.willing_kin" in p for p in member_points(Scenario.load("baseline"), members))


def test_the_shipped_ensemble_starts_with_the_fitted_scenario():
    members = load_members(ENSEMBLE)
    calibrated = Scenario.load("calibrated").flat()
    first = members.iloc[0].drop(["trial", "distance"])
    assert {k: calibrated[k] for k in first.index} == pytest.approx(first.to_dict())
    assert len(members) >= 3


@pytest.mark.parametrize("text, expected", [
    ("trial,distance,needs.onset_multiplier\n0,1.0,0.9\n", ["1 member", "at least 2"]),
    ("trial,distance,needs.onset_multiplyer\n0,1.0,0.9\n1,1.1,1.0\n", ["needs.onset_multiplyer", "unknown"]),
    ("trial,needs.onset_multiplier\n0,0.9\n1,1.0\n", ["'distance'", "missing"]),
])
def test_a_bad_ensemble_file_is_one_clear_error(text, expected, tmp_path, cli):
    (tmp_path / "members.csv").write_text(text)
    code, _, err = cli("ensemble", "baseline", "--members", tmp_path / "members.csv", "--out", tmp_path / "out")
    assert code == 2 and err.count("\n") == 1
    for part in expected:
        assert part in err, (part, err)


def test_three_scenarios_are_refused(tmp_path, members_file):
    with pytest.raises(ScenarioError, match="one, or two"):
        ensemble(["baseline", "baseline", "baseline"], tmp_path, members=members_file)


def test_scenarios_of_another_scale_are_refused(tmp_path, members_file):
    (tmp_path / "small.toml").write_text('[scenario]\nname = "small"\nbase = "baseline"\n[run]\nscale = 0.05\n')
    with pytest.raises(ScenarioError, match="run.scale differs: .* a comparison needs the same"):
        ensemble(["baseline", str(tmp_path / "small.toml")], tmp_path / "out", members=members_file)


def test_the_command_prints_the_last_year_and_writes_the_summary(tmp_path, members_file, cli):
    code, out, _ = cli("ensemble", short(tmp_path, "baseline"), "--members", members_file, "--scale", 0.02, "--years", 2016, 2017,
                       "--replications", 1, "--indicator", "informal_share", "--out", tmp_path / "out", "--quiet")
    assert code == 0 and "informal_share" in out and "ensemble_summary.csv" in out
    written = pd.read_csv(tmp_path / "out" / "ensemble_summary.csv")
    assert set(written.year) == {2016, 2017} and (written.members == 3).all()
    assert written.parameter_share.isna().all()  # one replication: no seeds' variance to split off
