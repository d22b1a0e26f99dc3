"""The command line end to end on a small scale, in-process (``main([...])``)."""

import hashlib
import json

import pandas as pd
import pyarrow.parquet as pq

from simulation import __version__
from simulation import runner
from simulation.cli import main
from simulation.random_streams import replication_seed

CONTRACT = ["replication", "seed", "year", "area", "population", "households", "pop_0_17", "pop_18_plus",
            "pop_50_74", "pop_65_plus", "pop_80_plus", "pop_85_plus", "births", "deaths", "net_migration"]
TINY = ["--scale", "0.01", "--set", "run.end_year=2016", "--set", "run.warm_up_months=12"]


def test_run_writes_tables_manifest_and_figure(tmp_path):
    out = tmp_path / "res"
    assert main(["run", "baseline", "--seed", "4", "--scale", "0.02", "--set", "run.end_year=2018",
                 "--replications", "2", "--out", str(out), "--quiet"]) == 0
    seeds = [replication_seed(4, r) for r in range(2)]
    yearly = pd.read_parquet(out / "yearly.parquet")
    monthly = pd.read_parquet(out / "monthly.parquet")
    assert set(CONTRACT) <= set(yearly.columns)
    assert sorted(yearly.replication.unique()) == [0, 1]
    assert yearly.groupby("replication").seed.first().tolist() == seeds
    assert sorted(yearly.year.unique()) == [2016, 2017, 2018]
    assert len(monthly) == 2 * 36 * 7  # replications x months x (6 areas + total)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["version"] == __version__
    assert manifest["seed"] == 4 and manifest["seeds"] == seeds
    assert [r["seed"] for r in manifest["replications"]] == seeds
    assert manifest["scenario"]["run"]["scale"] == 0.02
    assert len(manifest["dataset_hash"]) == 64 and len(manifest["code_hash"]) == 64
    assert "git_commit" in manifest and manifest["wall_time_s"] > 0
    assert {"yearly.parquet", "monthly.parquet", "summary.png", "replications/rep-0001.yearly.parquet",
            "replications/rep-0001.json", "replications/run.json"} <= set(manifest["files"])
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    assert (out / "summary.png").stat().st_size > 10_000
    meta = json.loads(pq.read_schema(out / "yearly.parquet").metadata[b"socialsim"])
    assert meta["scenario"]["scenario"]["name"] == "baseline" and meta["seeds"] == seeds


def test_replication_seeds_of_different_base_seeds_never_coincide():
    """`--seed 1 -R 10` and `--seed 5`: no shared run (with seed + r, replication 4 of the
    first was the second's replication 0)."""
    first = {replication_seed(1, r) for r in range(10)}
    assert replication_seed(5, 0) not in first
    many = [replication_seed(s, r) for s in range(50) for r in range(50)]
    assert len(set(many)) == len(many)
    assert all(0 <= s < 2**63 for s in many)  # the model and the int64 seed column take them


def test_workers_give_the_same_result_as_serial(tmp_path):
    """Replications in worker processes equal replications in this process, byte for byte."""
    base = ["run", "baseline", *TINY, "--replications", "2", "--no-figure", "--quiet"]
    assert main(base + ["--out", str(tmp_path / "serial")]) == 0
    assert main(base + ["--out", str(tmp_path / "parallel"), "--workers", "2"]) == 0
    for name in ("yearly.parquet", "monthly.parquet"):
        assert (tmp_path / "serial" / name).read_bytes() == (tmp_path / "parallel" / name).read_bytes()


def test_workers_are_capped_at_the_replications_to_run(tmp_path, monkeypatch):
    sizes = []
    monkeypatch.setattr(runner, "_run_pool", lambda jobs, workers, quiet: sizes.append(workers)
                        or [runner._job(j) for j in jobs])
    assert main(["run", "baseline", *TINY, "--replications", "2", "--workers", "100", "--no-figure", "--quiet",
                 "--out", str(tmp_path / "o")]) == 0
    expected = min(2, runner.available_cores())  # not 100 processes for 2 replications
    assert sizes == ([expected] if expected > 1 else [])


def test_params_lists_every_parameter(capsys):
    assert main(["params", "--markdown"]) == 0
    out = capsys.readouterr().out
    assert "demography.fertility_multiplier" in out and "areas.<name>.cohesion" in out


def test_benchmark_prints_one_json_line(capsys):
    assert main(["benchmark", "--scale", "0.01", "--end", "2016", "--reference", "--reference-months", "2",
                 "--repeat", "2", "--sweep", "2"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    out = json.loads(lines[0])
    for key in ("persons", "households", "months", "setup_s", "step_s", "wall_s", "person_steps_per_s", "compile_s",
                "peak_rss_mb", "version", "reference_person_steps_per_s", "speedup", "speedup_same_months",
                "sweep_speedup"):
        assert key in out, key
    assert out["months"] == 12 and out["persons"] > 0 and out["step_s"] > 0
    assert out["first_months"] == 2 and 0 < out["first_months_step_s"] < out["step_s"]
    assert len(out["speedup_cpu_pairs"]) == out["repeat"] == 2 and min(out["speedup_cpu_pairs"]) > 0
    assert out["sweep_runs"] == 2 and out["sweep_1_worker_s"] > 0 and out["sweep_2_workers_s"] > 0
