"""The command line end to end on a small scale."""

import json
import subprocess
import sys

import pandas as pd

from simulation import __version__

CONTRACT = ["replication", "seed", "year", "area", "population", "households", "pop_0_17", "pop_18_plus",
            "pop_50_74", "pop_65_plus", "pop_80_plus", "pop_85_plus", "births", "deaths", "net_migration"]


def test_run_writes_tables_manifest_and_figure(tmp_path):
    out = tmp_path / "res"
    cmd = [sys.executable, "-m", "simulation", "run", "baseline", "--seed", "4", "--scale", "0.02",
           "--set", "run.end_year=2018", "--replications", "2", "--out", str(out)]
    result = subprocess.run(cmd, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    yearly = pd.read_parquet(out / "yearly.parquet")
    monthly = pd.read_parquet(out / "monthly.parquet")
    assert set(CONTRACT) <= set(yearly.columns)
    assert sorted(yearly.replication.unique()) == [0, 1]
    assert sorted(yearly.seed.unique()) == [4, 5]
    assert sorted(yearly.year.unique()) == [2016, 2017, 2018]
    assert len(monthly) == 2 * 36 * 7  # replications x months x (6 areas + total)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["version"] == __version__
    assert manifest["seeds"] == [4, 5]
    assert manifest["scenario"]["run"]["scale"] == 0.02
    assert len(manifest["dataset_hash"]) == 64
    assert "git_commit" in manifest and manifest["wall_time_s"] > 0
    import hashlib

    for name, digest in manifest["files"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    assert (out / "summary.png").stat().st_size > 10_000
    meta = json.loads(__import__("pyarrow.parquet").parquet.read_schema(out / "yearly.parquet").metadata[b"socialsim"])
    assert meta["scenario"]["scenario"]["name"] == "baseline" and meta["seeds"] == [4, 5]


def test_resume_skips_finished_replications(tmp_path):
    out = tmp_path / "res"
    base = [sys.executable, "-m", "simulation", "run", "baseline", "--scale", "0.01", "--set", "run.end_year=2016",
            "--out", str(out), "--no-figure"]
    subprocess.run(base + ["--replications", "1", "--quiet"], check=True)
    first = (out / "replications" / "rep-0000.yearly.parquet").stat().st_mtime_ns
    result = subprocess.run(base + ["--replications", "2"], capture_output=True, text=True, check=True)
    assert "resuming: 1 of 2" in result.stdout
    assert (out / "replications" / "rep-0000.yearly.parquet").stat().st_mtime_ns == first
    assert pd.read_parquet(out / "yearly.parquet").replication.nunique() == 2


def test_changed_scenario_does_not_mix_with_old_replications(tmp_path):
    out = tmp_path / "res"
    base = [sys.executable, "-m", "simulation", "run", "baseline", "--scale", "0.01", "--set", "run.end_year=2016",
            "--out", str(out), "--no-figure", "--quiet"]
    subprocess.run(base, check=True)
    subprocess.run(base + ["--set", "demography.fertility_multiplier=0"], check=True)
    y = pd.read_parquet(out / "yearly.parquet")
    assert y.query("area == 'total'").births.sum() == 0


def test_workers_give_the_same_result_as_serial(tmp_path):
    base = [sys.executable, "-m", "simulation", "run", "baseline", "--scale", "0.01", "--set", "run.end_year=2017",
            "--replications", "2", "--no-figure", "--quiet"]
    subprocess.run(base + ["--out", str(tmp_path / "serial")], check=True)
    subprocess.run(base + ["--out", str(tmp_path / "parallel"), "--workers", "2"], check=True)
    a = pd.read_parquet(tmp_path / "serial" / "yearly.parquet")
    b = pd.read_parquet(tmp_path / "parallel" / "yearly.parquet")
    pd.testing.assert_frame_equal(a, b)


def test_params_lists_every_parameter():
    result = subprocess.run([sys.executable, "-m", "simulation", "params", "--markdown"],
                            capture_output=True, text=True, check=True)
    assert "demography.fertility_multiplier" in result.stdout and "areas.<name>.cohesion" in result.stdout


def test_console_script_is_installed():
    import shutil

    exe = shutil.which("socialsim") or str(__import__("pathlib").Path(sys.executable).parent / "socialsim")
    result = subprocess.run([exe, "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "run" in result.stdout


def test_benchmark_prints_one_json_line():
    result = subprocess.run([sys.executable, "-m", "simulation", "benchmark", "--scale", "0.01", "--end", "2016",
                             "--reference", "--reference-months", "2", "--sweep", "2"],
                            capture_output=True, text=True, check=True)
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    out = json.loads(lines[0])
    for key in ("persons", "households", "months", "setup_s", "step_s", "wall_s", "person_steps_per_s", "compile_s",
                "peak_rss_mb", "version", "reference_person_steps_per_s", "speedup", "sweep_speedup"):
        assert key in out, key
    assert out["months"] == 12 and out["persons"] > 0 and out["step_s"] > 0
    assert out["sweep_runs"] == 2 and out["sweep_1_worker_s"] > 0 and out["sweep_2_workers_s"] > 0
