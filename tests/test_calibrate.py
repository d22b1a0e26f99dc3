"""`socialsim calibrate`: a fit to targets with a validation split, resumable, writing the fitted
scenario, the report and the model description's block (a tiny configuration: 2% scale, few trials,
a year's warm-up)."""

import shutil
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from shared_runs import short_warm_up
from simulation import Scenario, ScenarioError
from simulation.calibration import distance, explain, load_explanations, load_targets, per_seed, report, search_ranges, Settings

PROJECT = Path(__file__).resolve().parent.parent / "experiments" / "calibration"
PARAMETERS = {"needs.onset_multiplier": [], "informal_care.willing_kin": [0.45, 0.65]}


def tiny_config(folder: Path, **changes) -> Path:
    """The project's targets and explanations with a tiny calibration: 2% scale, 3 trials, 1
    replication, the best 2 and trial 0 evaluated again on 2 seeds. Its runs settle for a year
    instead of ten (``run.warm_up_months`` in the scenario calibrated): these tests hold what the
    study writes and how, not how well it fits, and each trial changes parameters the warm-up
    reads, so none of its warm-ups is shared."""
    scenario = short_warm_up(folder, "short")
    shutil.copy(PROJECT / "targets.csv", folder / "targets.csv")
    shutil.copy(PROJECT / "explanations.csv", folder / "explanations.csv")
    (folder / "page.md").write_text("# Calibration\n\n<!-- begin calibration: fit -->\nOLD TEXT\n<!-- end calibration: fit -->\n")
    settings = {"scenario": str(scenario), "scale": 0.02, "trials": 3, "replications": 1, "check_replications": 2, "finalists": 2,
                "scenario_out": "fitted.toml", "page": "page.md", "figure": "fit.png", "explanations": "explanations.csv",
                "ensemble_out": "fitted_ensemble.csv", **changes}
    lines = ["[calibrate]", *(f"{k} = {v!r}".replace("'", '"') for k, v in settings.items()),
             "[calibrate.parameters]", *(f'"{k}" = {v}' for k, v in PARAMETERS.items())]
    (folder / "calibration.toml").write_text("\n".join(lines) + "\n")
    return folder / "calibration.toml"


@pytest.fixture(scope="module")
def calibrated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("calibration")
    config = tiny_config(folder)
    from simulation.calibration import calibrate
    summary = calibrate(config, folder / "out", quiet=True)
    return folder, summary


def test_calibrate_writes_a_loadable_fitted_scenario_with_provenance(calibrated):
    folder, summary = calibrated
    text = (folder / "fitted.toml").read_text()
    fitted = Scenario.load(folder / "fitted.toml")
    assert 0.8 <= fitted.needs.onset_multiplier <= 1.2  # the plausible range
    assert 0.45 <= fitted.informal_care.willing_kin <= 0.65  # the range given in the file
    assert summary["parameters"]["informal_care.willing_kin"] == fitted.informal_care.willing_kin
    import hashlib
    assert hashlib.sha256((folder / "targets.csv").read_bytes()).hexdigest() in text
    assert "optuna" in text and summary["code_version"] in text


def test_report_puts_every_target_in_its_part_with_an_interval(calibrated):
    folder, _ = calibrated
    report = (folder / "out" / "report.md").read_text()
    fit_part, validation_part = report.split("**Validation targets**")
    validation_part = validation_part.split("**Fitted parameters.**")[0]
    targets = load_targets(folder / "targets.csv")
    for t in targets.itertuples():
        assert f"| {t.name} |" in (fit_part if t.use == "fit" else validation_part), t.name
    result = pd.read_csv(folder / "fit_result.csv")
    assert set(result.name) == set(targets.name)
    assert (result.met == ((result.model - result.value).abs() <= result.tolerance)).all()
    assert (folder / "fit.png").stat().st_size > 0 and (folder / "out" / "calibration.png").is_file()


def test_the_page_block_is_written_from_the_report(calibrated):
    folder, _ = calibrated
    page = (folder / "page.md").read_text()
    report = (folder / "out" / "report.md").read_text()
    block = page.split("<!-- begin calibration: fit -->\n")[1].split("<!-- end calibration: fit -->")[0]
    assert "OLD TEXT" not in block and block.strip() in report


def test_the_fitted_ranges_say_which_parameters_are_identified(calibrated):
    folder, _ = calibrated
    ranges = pd.read_csv(folder / "out" / "fitted_ranges.csv").set_index("parameter")
    assert set(ranges.index) == set(PARAMETERS)
    rounding = 1e-3  # the scenario file keeps 4 significant digits
    assert (ranges.best_low * (1 - rounding) <= ranges.fitted).all()
    assert (ranges.fitted <= ranges.best_high * (1 + rounding)).all()
    assert (ranges.identified == ((ranges.share_of_range <= 0.6)
                                  & (ranges.rank_correlation_with_distance.abs() >= 0.2))).all()


def test_the_report_pairs_the_fitted_values_with_the_starting_ones_on_the_same_seeds(calibrated):
    folder, _ = calibrated
    paired = pd.read_csv(folder / "out" / "before_after.csv").set_index("name")
    result = pd.read_csv(folder / "fit_result.csv").set_index("name")
    assert paired.after.to_dict() == pytest.approx(result.model.to_dict(), rel=1e-5)  # the csv keeps 6 digits
    assert (paired.difference - (paired.after - paired.before)).abs().max() < 1e-9
    assert "**What the fit changed**" in (folder / "out" / "report.md").read_text()


def test_the_ensemble_is_the_fit_then_the_best_fifth_of_the_trials_shipped_beside_the_fitted_scenario(calibrated):
    from simulation.ensemble import load_members

    folder, summary = calibrated
    trials = pd.read_csv(folder / "out" / "trials.csv").set_index("trial")
    members = load_members(folder / "out")  # the report folder's ensemble.csv
    assert (folder / "fitted_ensemble.csv").read_text() == (folder / "out" / "ensemble.csv").read_text()
    assert members.trial.iloc[0] == summary["best_trial"]
    assert members.iloc[0]["informal_care.willing_kin"] == Scenario.load(folder / "fitted.toml").informal_care.willing_kin
    best = trials.nsmallest(3, "distance").index  # 3 trials: at least 3 members
    assert set(members.trial) == set(best) | {summary["best_trial"]}
    for m in members.itertuples():
        assert getattr(m, "distance") == pytest.approx(trials.loc[m.trial, "distance"], rel=1e-5)
        assert m[members.columns.get_loc("informal_care.willing_kin") + 1] == pytest.approx(
            trials.loc[m.trial, "informal_care.willing_kin"], rel=1e-3)
    assert "SHA-256" in (folder / "out" / "ensemble.csv").read_text().splitlines()[2]


def test_the_fit_is_the_finalist_nearest_the_targets_on_the_check_seeds(calibrated):
    folder, summary = calibrated
    trials = pd.read_csv(folder / "out" / "trials.csv")
    finalists = {int(t): d for t, d in summary["finalists"].items()}
    assert set(finalists) == set(trials.nsmallest(2, "distance").trial) | {0}  # the best 2 and trial 0
    assert summary["best_trial"] == min(finalists, key=finalists.get)
    assert summary["check_distance"] == pytest.approx(min(finalists.values()), abs=1e-4)
    result = pd.read_csv(folder / "fit_result.csv")
    targets = load_targets(folder / "targets.csv")
    assert distance(result.set_index("name").model, targets) == pytest.approx(summary["check_distance"], rel=1e-4)


def test_every_missed_target_shows_its_explanation_and_a_met_one_none(calibrated):
    folder, summary = calibrated
    result = pd.read_csv(folder / "out" / "targets_vs_model.csv", keep_default_na=False)
    why = load_explanations(folder / "explanations.csv", load_targets(folder / "targets.csv"))
    text = (folder / "out" / "report.md").read_text()
    for t in result.itertuples():
        if t.met:
            assert t.explanation == "" and f"- {t.name}:" not in text
        else:
            assert t.explanation == why.get(t.name, "") and f"- {t.name}: {t.explanation or '**not explained'}" in text
    assert summary["unexplained"] == [n for n, e, m in zip(result.name, result.explanation, result.met) if not m and not e]
    assert "explanation" not in pd.read_csv(folder / "fit_result.csv").columns  # the drift test's file: numbers only


def test_a_miss_without_an_explanation_is_flagged_in_the_report():
    result = pd.DataFrame({"name": ["a", "b", "c"], "use": ["fit"] * 3, "output": ["population"] * 3, "year": [2020] * 3,
                           "value": [1.0] * 3, "tolerance": [1.0] * 3, "model": [1.5, 9.0, 9.0], "low": [1.4, 8, 8],
                           "high": [1.6, 10, 10], "error": [0.5, 8.0, 8.0], "met": [True, False, False]})
    result = explain(result, pd.Series({"a": "never shown: a is met", "b": "b is out of reach"}))
    assert result.explanation.tolist() == ["", "b is out of reach", ""]
    ranges = pd.DataFrame([{"parameter": "p", "searched_low": 0.0, "searched_high": 1.0, "fitted": 0.5, "best_low": 0.4,
                            "best_high": 0.6, "share_of_range": 0.2, "rank_correlation_with_distance": 0.5,
                            "identified": True}])
    provenance = {"date": "d", "code_version": "v", "scenario": "s", "scale": 0.1, "years": [2016, 2024], "method": "m",
                  "distance": "x", "best_trial": 0, "best_distance": 1.0, "check_seeds": [1], "check_distance": 1.0,
                  "targets": "t.csv", "targets_sha256": "0" * 64}
    text = report(result, ranges, pd.DataFrame(columns=["name", "use", "observed", "before", "after", "difference",
                                                        "low", "high"]), provenance)
    assert "- b: b is out of reach" in text and "- c: **not explained yet**" in text and "never shown" not in text


def test_the_projects_every_missed_target_has_an_explanation():
    """After a rerun of the calibration, a target it misses needs a line in explanations.csv."""
    result = pd.read_csv(PROJECT / "fit_result.csv")
    why = load_explanations(PROJECT / "explanations.csv", load_targets(PROJECT / "targets.csv"))
    assert set(result.name[~result.met]) <= set(why.index), set(result.name[~result.met]) - set(why.index)


def test_first_trial_is_the_scenario_as_it_is(calibrated):
    folder, _ = calibrated
    trials = pd.read_csv(folder / "out" / "trials.csv").set_index("trial")
    baseline = Scenario.load("baseline")
    assert trials.loc[0, "needs.onset_multiplier"] == pytest.approx(baseline.needs.onset_multiplier)


def test_calibrate_continues_an_interrupted_study(tmp_path):
    """(On the project's targets of 2016-2018 and runs to 2018: the study's journal and trials are
    what is held, not which years its targets are for, and 2016-2024 runs cost three times as much.)"""
    from simulation.calibration import calibrate
    config = tiny_config(tmp_path, trials=2, years=[2016, 2018])
    early = load_targets(tmp_path / "targets.csv").query("year <= 2018")
    assert set(early.use) == {"fit", "validation"}
    for name in ("targets.csv", "explanations.csv"):  # their comments, header and the rows of those targets
        lines = (tmp_path / name).read_text().splitlines(keepends=True)
        (tmp_path / name).write_text("".join(line for line in lines if line.startswith("#") or line.startswith("name,")
                                             or line.split(",")[0] in set(early.name)))
    calibrate(config, tmp_path / "out", quiet=True)
    first = pd.read_csv(tmp_path / "out" / "trials.csv")
    calibrate(config, tmp_path / "out", trials=3, quiet=True)  # one more trial, the first two kept
    more = pd.read_csv(tmp_path / "out" / "trials.csv")
    assert len(first) == 2 and len(more) == 3
    pd.testing.assert_frame_equal(more.iloc[:2][first.columns], first)
    import optuna
    journal = optuna.storages.JournalStorage(
        optuna.storages.journal.JournalFileBackend(str(tmp_path / "out" / "study.journal")))
    studies = optuna.study.get_all_study_summaries(journal)
    assert len(studies) == 1 and studies[0].n_trials == 3  # the same study, extended


def test_distance_is_the_mean_huber_loss_of_the_errors_in_tolerances_over_the_fit_targets():
    targets = pd.DataFrame({"name": ["a", "b", "c"], "use": ["fit", "fit", "validation"],
                            "value": [10.0, 0.5, 1.0], "tolerance": [2.0, 0.1, 1.0]})
    means = pd.Series({"a": 14.0, "b": 0.45, "c": 100.0})  # errors of 2 and 0.5 tolerances; c is held out
    assert distance(means, targets) == pytest.approx((2 * 2.0 - 1 + 0.5 ** 2) / 2)  # linear beyond 1


def test_per_seed_divides_counts_by_the_scale_and_takes_ratios_from_counts():
    runs = pd.DataFrame({"seed": [1, 1], "year": [2020, 2020], "area": ["total", "A"], "population": [500, 300],
                         "wmo_clients": [40, 30]})
    targets = pd.DataFrame({"name": ["pop", "wmo"], "output": ["population", "wmo_clients_per_1000"],
                            "year": [2020, 2020], "extensive": [True, False]})
    values = per_seed(runs, targets, scale=0.5)
    assert values.loc[1, "pop"] == 1000 and values.loc[1, "wmo"] == pytest.approx(80.0)


def test_every_fit_parameter_of_the_project_has_a_searched_range():
    settings = Settings.model_validate(tomllib.loads((PROJECT / "calibration.toml").read_text())["calibrate"])
    ranges = search_ranges(settings)
    flat = Scenario().flat()
    assert all(lo < hi and name in flat for name, (lo, hi) in ranges.items())


@pytest.mark.parametrize("edit, expected", [
    (lambda t: t.replace("wmo_clients_per_1000,2020", "wmo_clients_per_thousand,2020"),
     ["wmo_clients_2020", "wmo_clients_per_thousand", "not an output"]),
    (lambda t: t.replace(",88,10,fit,", ",88,0,fit,"), ["wmo_clients_2020", "tolerance", "> 0"]),
    (lambda t: t.replace(",88,10,fit,", ",88,10,train,"), ["wmo_clients_2020", "'train'", "fit, validation"]),
])
def test_a_bad_target_is_one_clear_error(edit, expected, tmp_path, cli):
    config = tiny_config(tmp_path)
    (tmp_path / "targets.csv").write_text(edit((tmp_path / "targets.csv").read_text()))
    code, _, err = cli("calibrate", config, "--out", tmp_path / "out", "--quiet")
    assert code == 2 and err.count("\n") == 1
    for part in expected:
        assert part in err, (part, err)


def test_an_explanation_for_no_target_is_one_clear_error(tmp_path, cli):
    config = tiny_config(tmp_path)
    with open(tmp_path / "explanations.csv", "a") as f:
        f.write('wmo_clients_2021,"a target that is not in the table"\n')
    code, _, err = cli("calibrate", config, "--out", tmp_path / "out", "--quiet")
    assert code == 2 and err.count("\n") == 1 and "'wmo_clients_2021'" in err and "not a target" in err


def test_a_parameter_without_a_range_is_one_clear_error(tmp_path, cli):
    config = tiny_config(tmp_path)
    config.write_text(config.read_text() + '"needs.chronic_age" = []\n')
    code, _, err = cli("calibrate", config, "--out", tmp_path / "out", "--quiet")
    assert code == 2 and "needs.chronic_age" in err and "[low, high]" in err


def test_years_must_cover_every_target(tmp_path):
    from simulation.calibration import calibrate
    with pytest.raises(ScenarioError, match="calibrate.years.*2024"):
        calibrate(tiny_config(tmp_path), tmp_path / "out", years=(2016, 2022), quiet=True)
