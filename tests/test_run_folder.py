"""Output folders that can be trusted: resume only the same run, a lock against a second
writer, default folders that never overwrite or escape, corruption detected, ``verify``."""

import json
import os
import shutil

import pandas as pd
import pytest

from simulation import run_folder
from simulation.cli import main
from simulation.dataset import Dataset
from simulation.run_folder import Lock

TINY = ["--scale", "0.01", "--set", "run.end_year=2016", "--set", "run.warm_up_months=12", "--quiet"]


def run(out, *extra):
    return main(["run", "baseline", *TINY, "--no-figure", "--out", str(out), *extra])


def one_line_error(capsys, *fragments):
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("socialsim: "), err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err, err
    return err


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """A finished run with two replications and the figure, copied by the tests that damage it."""
    out = tmp_path_factory.mktemp("finished") / "run"
    assert main(["run", "baseline", *TINY, "--replications", "2", "--out", str(out)]) == 0
    return out


@pytest.fixture
def copy(finished, tmp_path):
    out = tmp_path / "run"
    shutil.copytree(finished, out)
    return out


def test_resume_skips_finished_replications(tmp_path, capsys):
    out = tmp_path / "res"
    assert run(out, "--replications", "1") == 0
    first = (out / "replications" / "rep-0000.yearly.parquet").stat().st_mtime_ns
    assert main(["run", "baseline", *TINY[:-1], "--no-figure", "--out", str(out), "--replications", "2"]) == 0
    assert "resuming: 1 of 2" in capsys.readouterr().out
    assert (out / "replications" / "rep-0000.yearly.parquet").stat().st_mtime_ns == first
    assert pd.read_parquet(out / "yearly.parquet").replication.nunique() == 2


def test_resume_with_another_seed_is_refused_and_overwrite_starts_afresh(tmp_path, capsys):
    """Finding 1: `--seed 1` then `--seed 5` into one folder reused the seed-1 replications."""
    out = tmp_path / "res"
    assert run(out, "--seed", "1") == 0
    before = (out / "yearly.parquet").read_bytes()
    capsys.readouterr()
    assert run(out, "--seed", "5") == 2
    one_line_error(capsys, "different seed 1 (now 5)", "--overwrite")
    assert (out / "yearly.parquet").read_bytes() == before
    assert run(out, "--seed", "5", "--overwrite") == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 5
    assert pd.read_parquet(out / "yearly.parquet").seed.unique().tolist() == manifest["seeds"]


def test_resume_with_another_scenario_is_refused(tmp_path, capsys):
    out = tmp_path / "res"
    assert run(out) == 0
    capsys.readouterr()
    assert run(out, "--set", "demography.fertility_multiplier=0") == 2
    one_line_error(capsys, "different scenario")
    assert run(out, "--set", "demography.fertility_multiplier=0", "--overwrite") == 0
    assert pd.read_parquet(out / "yearly.parquet").query("area == 'total'").births.sum() == 0


def test_resume_with_changed_code_is_refused(tmp_path, capsys, monkeypatch):
    out = tmp_path / "res"
    assert run(out) == 0
    capsys.readouterr()
    monkeypatch.setattr(run_folder, "code_hash", lambda: "0" * 64)
    assert run(out) == 2
    one_line_error(capsys, "different code")


def test_resume_with_a_changed_data_set_is_refused(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(Dataset.load("emmen").path, data)
    out = tmp_path / "res"
    assert run(out, "--set", f"run.dataset='{data}'") == 0
    capsys.readouterr()
    with open(data / "mortality.csv", "a") as f:  # still a valid table, another file
        f.write("\n")
    assert run(out, "--set", f"run.dataset='{data}'") == 2
    one_line_error(capsys, "different data set")


def test_a_folder_with_other_files_is_not_written_into(tmp_path, capsys):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    assert run(out) == 2
    one_line_error(capsys, "not empty")
    assert run(out, "--overwrite") == 0
    assert (out / "notes.txt").read_text() == "keep me"  # --overwrite removes only result files


def test_a_folder_being_written_is_refused(tmp_path, capsys):
    """Finding 2: a second run into a folder deleted the first's replications."""
    out = tmp_path / "res"
    out.mkdir()
    with Lock(out):
        assert run(out) == 2
        one_line_error(capsys, "being written by another run", f"process {os.getpid()}")
    assert not (out / ".lock").exists()
    assert run(out) == 0


def test_a_stale_lock_of_a_dead_process_is_taken_over(tmp_path):
    out = tmp_path / "res"
    out.mkdir()
    dead = 2**31 - 1  # above any pid_max
    (out / ".lock").write_text(json.dumps({"pid": dead, "host": run_folder.socket.gethostname(), "since": "-"}))
    assert run(out) == 0
    assert not (out / ".lock").exists()


def test_default_folders_never_overwrite_an_earlier_run(tmp_path, monkeypatch, capsys):
    """Finding 2: the README example without --out overwrote results/baseline."""
    monkeypatch.chdir(tmp_path)
    args = ["run", "baseline", *TINY, "--no-figure"]
    assert main(args) == 0
    first = (tmp_path / "results" / "baseline" / "yearly.parquet").read_bytes()
    assert main(args + ["--seed", "2"]) == 0
    assert (tmp_path / "results" / "baseline" / "yearly.parquet").read_bytes() == first
    assert (tmp_path / "results" / "baseline-2" / "manifest.json").exists()


@pytest.mark.parametrize("name", ["../../escaped", "/tmp/absolute", "..", "a/../../b"])
def test_default_folders_never_leave_results(tmp_path, monkeypatch, name):
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    f = tmp_path / "work" / "s.toml"
    f.write_text(f'[scenario]\nname = "{name}"\n')
    assert main(["run", str(f), *TINY, "--no-figure"]) == 0
    written = [p for p in tmp_path.rglob("manifest.json")]
    assert len(written) == 1
    assert written[0].parent.parent == tmp_path / "work" / "results"


def test_no_figure_removes_an_earlier_figure(copy):
    """Finding 3: `--no-figure` left a stale summary.png the manifest did not cover."""
    assert (copy / "summary.png").exists()
    assert main(["run", "baseline", *TINY, "--replications", "2", "--no-figure", "--out", str(copy)]) == 0
    assert not (copy / "summary.png").exists()
    assert main(["verify", str(copy), "--no-rerun"]) == 0


def flip_bit(path, position=0.5):
    data = bytearray(path.read_bytes())
    data[int(len(data) * position)] ^= 0x10
    path.write_bytes(bytes(data))


def test_verify_accepts_a_finished_run_and_reproduces_a_replication(finished, capsys):
    for replication in ("0", "1"):
        assert main(["verify", str(finished), "--replication", replication]) == 0
        assert f"replication {replication} reproduces bit for bit" in capsys.readouterr().out


def test_verify_detects_a_flipped_bit_in_every_covered_file(copy, capsys):
    files = json.loads((copy / "manifest.json").read_text())["files"]
    assert len(files) == 10  # 2 tables, figure, run identity, 2 x (2 tables, info)
    for name in files:
        original = (copy / name).read_bytes()
        flip_bit(copy / name)
        assert main(["verify", str(copy), "--no-rerun"]) == 1, name
        one_line_error(capsys, name.split("/")[-1], "SHA-256 differs")
        (copy / name).write_bytes(original)
    assert main(["verify", str(copy), "--no-rerun"]) == 0


def test_verify_reruns_to_catch_an_edit_with_consistent_hashes(copy, capsys):
    """A replication replaced by other numbers, with every recorded hash updated to match:
    only running it again shows it."""
    rep = copy / "replications" / "rep-0000.yearly.parquet"
    other = pd.read_parquet(rep)
    other["population"] += 1
    digest = run_folder_write(other, rep)
    info = run_folder.read_json(copy / "replications" / "rep-0000.json", seal=True)
    info["files"]["rep-0000.yearly.parquet"] = digest
    (copy / "replications" / "rep-0000.json").write_bytes(run_folder.sealed(info))
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["files"]["replications/rep-0000.yearly.parquet"] = digest
    manifest["files"]["replications/rep-0000.json"] = run_folder.sha256_file(copy / "replications" / "rep-0000.json")
    (copy / "manifest.json").write_text(json.dumps(manifest))
    assert main(["verify", str(copy), "--no-rerun"]) == 0  # the hashes agree
    assert main(["verify", str(copy), "--replication", "0"]) == 1
    one_line_error(capsys, "rep-0000.yearly.parquet", "run again gives different numbers")


def run_folder_write(df, path):
    import pyarrow.parquet as pq

    from simulation.runner import write_parquet

    return write_parquet(df, path, json.loads(pq.read_schema(path).metadata[b"socialsim"]))


def test_verify_flags_a_file_the_manifest_does_not_cover(copy, capsys):
    (copy / "summary.png").rename(copy / "old.png")
    assert main(["verify", str(copy), "--no-rerun"]) == 1
    assert "summary.png: missing" in capsys.readouterr().err
    (copy / "old.png").rename(copy / "summary.png")
    (copy / "extra.parquet").write_bytes(b"x")
    assert main(["verify", str(copy), "--no-rerun"]) == 1
    one_line_error(capsys, "extra.parquet: not covered by the manifest")


DAMAGE = {
    "zero bytes": lambda p: p.write_bytes(b""),
    "truncated": lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),
    "garbage": lambda p: p.write_bytes(b"\x00\xffnot what it was\x13"),
    "flipped bit": flip_bit,
}


@pytest.mark.parametrize("damage", DAMAGE)
@pytest.mark.parametrize("name", ["rep-0001.yearly.parquet", "rep-0001.monthly.parquet", "rep-0001.json", "run.json"])
def test_damaged_replication_files_are_refused_on_resume_never_laundered(copy, capsys, name, damage):
    """Finding 3: damaged replications reached the tables with a fresh, 'valid' manifest, or
    ended in tracebacks."""
    manifest = (copy / "manifest.json").read_bytes()
    yearly = (copy / "yearly.parquet").read_bytes()
    DAMAGE[damage](copy / "replications" / name)
    assert main(["run", "baseline", *TINY, "--replications", "2", "--out", str(copy)]) == 2
    one_line_error(capsys, name)
    assert (copy / "manifest.json").read_bytes() == manifest
    assert (copy / "yearly.parquet").read_bytes() == yearly
    assert main(["verify", str(copy), "--no-rerun"]) == 1
    one_line_error(capsys, name)


@pytest.mark.parametrize("damage", ["zero bytes", "truncated", "garbage"])
def test_a_damaged_manifest_gives_one_line(copy, capsys, damage):
    DAMAGE[damage](copy / "manifest.json")
    assert main(["verify", str(copy)]) == 1
    one_line_error(capsys, "manifest.json")


def test_verify_refuses_a_folder_being_written(copy, capsys):
    with Lock(copy):
        assert main(["verify", str(copy), "--no-rerun"]) == 1
        one_line_error(capsys, "a run is writing into it")
