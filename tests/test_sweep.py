"""Sweeps: designs, executors (local pool, Dask), resuming, failures, merge and summarize."""

import json

import numpy as np
import pandas as pd
import pytest

from simulation import sweep as sweep_module
from simulation.outputs import RATIO_PARTS
from simulation.random_streams import replication_seed
from simulation.scenario import ScenarioError
from simulation.summarize import summarize
from simulation.sweep import Design, merge, plan, sweep

TINY = {"scale": 0.01, "years": [2016, 2017], "replications": 2, "seed": 3,
        "indicators": ["informal_share", "cost_total_eur", "unmet_need_persons"]}


def design(**grid) -> Design:
    return Design.from_dict({"sweep": {"name": "tiny", **TINY},
                             "grid": grid or {"informal_care.capacity_multiplier": [0.5, 1.5]}})


@pytest.fixture(scope="module")
def local_sweep(tmp_path_factory):
    out = tmp_path_factory.mktemp("local")
    sweep(design(), out, workers=2, quiet=True)
    return out


def test_grid_design_has_every_combination_with_the_same_seeds_per_point():
    d = design(**{"informal_care.capacity_multiplier": [0.5, 1.0, 1.5], "access_team.staff_multiplier": [0.5, 1.0]})
    p = plan(d)
    assert len(d.points()) == 6
    assert len(p.runs) == 6 * 2
    assert len({run.key for run in p.runs}) == len(p.runs)
    seeds = {run.point: [] for run in p.runs}
    for run in p.runs:
        seeds[run.point].append(run.seed)
    assert all(s == [replication_seed(3, 0), replication_seed(3, 1)] for s in seeds.values())


def test_samples_fill_their_ranges_reproducibly():
    data = {"sweep": TINY, "sample": {"method": "latin_hypercube", "n": 8, "seed": 5,
                                      "ranges": {"informal_care.capacity_multiplier": [0.5, 1.5],
                                                 "access_team.staff_multiplier": [0.2, 0.8]}}}
    points = Design.from_dict(data).points()
    assert points == Design.from_dict(data).points()
    capacity = np.array([p["informal_care.capacity_multiplier"] for p in points])
    assert len(points) == 8 and capacity.min() >= 0.5 and capacity.max() <= 1.5
    # a Latin hypercube puts one point in each eighth of every range
    assert sorted(np.floor((capacity - 0.5) / 0.125).astype(int)) == list(range(8))
    data["sample"]["seed"] = 6
    assert Design.from_dict(data).points() != points


def test_bad_designs_are_one_clear_error():
    with pytest.raises(ScenarioError, match="sample.n = 6: a Sobol sample needs a power of 2"):
        Design.from_dict({"sample": {"method": "sobol", "n": 6, "ranges": {"informal_care.capacity_multiplier": [0, 1]}}})
    with pytest.raises(ScenarioError, match="both \\[grid\\] and \\[sample\\]"):
        Design.from_dict({"grid": {"a.b": [1]}, "sample": {"method": "sobol", "n": 4, "ranges": {"a.b": [0, 1]}}})
    with pytest.raises(ScenarioError, match="design point 1: .*capacity_multiplier = -1"):
        plan(design(**{"informal_care.capacity_multiplier": [1.0, -1.0]}))


def test_listed_points_are_the_design_points_in_their_order_and_must_set_the_same_parameters():
    points = [{"informal_care.capacity_multiplier": 1.2}, {"informal_care.capacity_multiplier": 0.8}]
    d = Design.from_dict({"sweep": TINY, "point": points})
    assert d.points() == points and d.parameters() == ["informal_care.capacity_multiplier"]
    assert [(run.point, run.seed) for run in plan(d).runs][::TINY["replications"]] == [
        (0, replication_seed(TINY["seed"], 0)), (1, replication_seed(TINY["seed"], 0))]
    with pytest.raises(ScenarioError, match="point 1: sets .*allowed: the parameters of point 0"):
        Design.from_dict({"point": [points[0], {"network.cohesion": 0.5}]})
    with pytest.raises(ScenarioError, match="both \\[grid\\] and \\[point\\]"):
        Design.from_dict({"grid": {"a.b": [1]}, "point": points})


def test_run_keys_are_stable_and_change_with_what_makes_a_run():
    keys = [run.key for run in plan(design()).runs]
    assert keys == [run.key for run in plan(design()).runs]
    other_seed = Design.from_dict({"sweep": {**TINY, "seed": 4}, "grid": {"informal_care.capacity_multiplier": [0.5, 1.5]}})
    assert not set(keys) & {run.key for run in plan(other_seed).runs}


def test_sweep_dataset_has_a_row_per_run_year_and_area_and_a_manifest(local_sweep):
    table = pd.read_parquet(local_sweep / "sweep.parquet")
    manifest = json.loads((local_sweep / "manifest.json").read_text())
    assert list(table.columns[:6]) == ["point", "informal_care.capacity_multiplier", "seed", "replication", "year", "area"]
    assert len(table) == 2 * 2 * 2 * table.area.nunique()
    assert manifest["done"] == 4 and manifest["failed"] == [] and manifest["missing"] == 0
    from simulation.run_folder import sha256_file

    for name, digest in manifest["files"].items():
        assert sha256_file(local_sweep / name) == digest
    # the lever acts: more informal capacity, more requests solved informally
    by_point = table[table.area == "total"].groupby("point")[["solved_informally", "resolved"]].sum()
    share = by_point.solved_informally / by_point.resolved
    assert share[1] > share[0]


def test_dask_cluster_gives_the_same_dataset_as_local_workers(local_sweep, tmp_path):
    """The Dask path (client, futures, results received and written here) gives the local pool's
    bytes. The cluster's one worker is a thread of this process: a cluster of worker processes
    costs about 6 s of processor time to start, and running in other processes is what the
    local pool's two workers already check (``local_sweep``)."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        sweep(design(), tmp_path, scheduler=cluster.scheduler_address, quiet=True)
    assert (tmp_path / "sweep.parquet").read_bytes() == (local_sweep / "sweep.parquet").read_bytes()


def test_killed_sweep_resumed_gives_the_same_dataset_and_computes_no_run_twice(local_sweep, tmp_path):
    computed = []

    def killed_after_two(run, result):
        computed.append(run.key)
        if len(computed) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sweep(design(), tmp_path, workers=1, quiet=True, on_result=killed_after_two)
    first = list(computed)
    computed.clear()
    sweep(design(), tmp_path, workers=1, quiet=True, on_result=lambda run, result: computed.append(run.key))
    assert len(first) == 2 and len(computed) == 2
    assert not set(first) & set(computed)
    assert set(first) | set(computed) == {run.key for run in plan(design()).runs}
    assert (tmp_path / "sweep.parquet").read_bytes() == (local_sweep / "sweep.parquet").read_bytes()


def test_failed_run_is_recorded_and_the_sweep_goes_on(local_sweep, tmp_path, monkeypatch):
    real = sweep_module.evaluate
    bad_seed = replication_seed(3, 1)

    def failing_for_one_seed(parameters, seeds, **kwargs):
        if seeds[0] == bad_seed and parameters["informal_care.capacity_multiplier"] == 0.5:
            raise FloatingPointError("carers' hours went negative")
        return real(parameters, seeds, **kwargs)

    monkeypatch.setattr(sweep_module, "evaluate", failing_for_one_seed)
    manifest = sweep(design(), tmp_path, workers=1, quiet=True)
    assert manifest["done"] == 3
    assert [f["error"] for f in manifest["failed"]] == ["FloatingPointError: carers' hours went negative"]
    assert manifest["failed"][0]["seed"] == bad_seed
    table = pd.read_parquet(tmp_path / "sweep.parquet")
    assert not ((table.point == 0) & (table.seed == bad_seed)).any()

    monkeypatch.setattr(sweep_module, "evaluate", real)
    retried = []
    manifest = sweep(design(), tmp_path, workers=1, quiet=True, on_result=lambda run, result: retried.append(run.key))
    assert retried == [next(run.key for run in plan(design()).runs if run.point == 0 and run.seed == bad_seed)]
    assert manifest["done"] == 4 and manifest["failed"] == []
    assert (tmp_path / "sweep.parquet").read_bytes() == (local_sweep / "sweep.parquet").read_bytes()


def test_merge_of_parts_made_apart_is_the_whole_sweep(local_sweep, tmp_path):
    sweep(design(), tmp_path / "a", workers=1, part=(1, 2), quiet=True)
    sweep(design(), tmp_path / "b", workers=1, part=(2, 2), quiet=True)
    assert json.loads((tmp_path / "a" / "manifest.json").read_text())["missing"] == 2
    manifest = merge([tmp_path / "a", tmp_path / "b", tmp_path / "a"], tmp_path / "merged")
    assert manifest["done"] == 4 and manifest["missing"] == 0
    assert (tmp_path / "merged" / "sweep.parquet").read_bytes() == (local_sweep / "sweep.parquet").read_bytes()


def test_merge_refuses_another_design_unless_forced(local_sweep, tmp_path):
    other = design(**{"informal_care.capacity_multiplier": [0.5]})
    sweep(other, tmp_path / "other", workers=1, quiet=True)
    with pytest.raises(ScenarioError, match="has another design"):
        merge([local_sweep, tmp_path / "other"], tmp_path / "merged")
    manifest = merge([local_sweep, tmp_path / "other"], tmp_path / "forced", force=True)
    assert manifest["done"] == 4


def test_summarize_takes_ratios_from_summed_counts(local_sweep):
    summary = summarize(local_sweep)
    table = pd.read_parquet(local_sweep / "sweep.parquet")
    total = table[(table.area == "total") & (table.point == 0) & (table.year == 2017)]
    row = summary[(summary.area == "total") & (summary.point == 0) & (summary.year == 2017)].set_index("indicator")
    num, den, _ = RATIO_PARTS["informal_share"]
    assert row.loc["informal_share", "mean"] == pytest.approx(total[num].sum() / total[den].sum())
    assert row.loc["informal_share", "n"] == 2
    # (two 1% replications can have the same share: the interval is then a point)
    assert row.loc["informal_share", "low"] <= row.loc["informal_share", "mean"] <= row.loc["informal_share", "high"]
    cost = total.cost_total_eur
    half = row.loc["cost_total_eur", "high"] - row.loc["cost_total_eur", "mean"]
    assert row.loc["cost_total_eur", "mean"] == pytest.approx(cost.mean())
    assert half == pytest.approx(12.706 * cost.std(ddof=1) / np.sqrt(2), rel=1e-3)  # t(0.975, 1 df)
    assert (local_sweep / "summary.csv").exists()


def test_summarize_a_run_folder_with_replications(tmp_path):
    """(Summing a run folder's replications needs no settled state: a year's warm-up instead of ten.)"""
    from simulation.runner import run
    from simulation.scenario import Scenario

    scenario = Scenario.load("baseline", {"run.scale": 0.01, "run.end_year": 2017, "run.warm_up_months": 12})
    run(scenario, tmp_path, seed=1, replications=3, figure=False, quiet=True)
    summary = summarize(tmp_path, ["informal_share", "waiting_list"])
    yearly = pd.read_parquet(tmp_path / "yearly.parquet")
    cell = yearly[(yearly.area == "total") & (yearly.year == 2016)]
    got = summary[(summary.area == "total") & (summary.year == 2016)].set_index("indicator")
    assert got.loc["informal_share", "mean"] == pytest.approx(cell.solved_informally.sum() / cell.resolved.sum())
    assert got.loc["waiting_list", "n"] == 3
    with pytest.raises(ScenarioError, match="'no_such_column': not in"):
        summarize(tmp_path, ["no_such_column"])


def test_sweep_summarize_and_merge_from_the_command_line(local_sweep, tmp_path, capsys):
    from simulation.cli import main

    path = tmp_path / "tiny.toml"
    path.write_text('[sweep]\nscale = 0.01\nyears = [2016, 2017]\nreplications = 2\nseed = 3\n'
                    'indicators = ["informal_share", "cost_total_eur", "unmet_need_persons"]\n'
                    '[grid]\n"informal_care.capacity_multiplier" = [0.5, 1.5]\n')
    assert main(["sweep", str(path), "--out", str(tmp_path / "cli"), "--workers", "1", "--quiet"]) == 0
    assert "4 of 4 runs done, 0 failed" in capsys.readouterr().out
    assert (tmp_path / "cli" / "sweep.parquet").read_bytes() == (local_sweep / "sweep.parquet").read_bytes()
    assert main(["summarize", str(tmp_path / "cli")]) == 0
    printed = capsys.readouterr().out
    assert "informal_share" in printed and "low" in printed and "summary.csv" in printed
    assert main(["merge", str(tmp_path / "cli"), str(local_sweep), "--out", str(tmp_path / "merged")]) == 0
    assert main(["sweep", str(path), "--part", "3/2"]) == 2
    assert "--part '3/2': expected K/N with 1 <= K <= N" in capsys.readouterr().err


def test_a_cold_kernel_cache_is_announced_and_a_warm_one_is_silent(local_sweep, monkeypatch, capsys):
    from simulation import compilation

    assert compilation.cold_modules() == []  # the sweep compiled (or loaded) every module's kernels first
    assert compilation.warm_kernels() == 0.0
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(compilation, "cold_modules", lambda: ["simulation.kernels"])
    assert compilation.warm_kernels() > 0
    assert "compiling the model's kernels" in capsys.readouterr().err
