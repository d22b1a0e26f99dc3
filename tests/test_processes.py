"""Process behaviour itself, so in real processes: the installed entry point, Ctrl-C and a
killed run with worker processes (finding 5)."""

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SOCIALSIM = shutil.which("socialsim") or str(Path(sys.executable).parent / "socialsim")
LONG_RUN = ["run", "baseline", "--scale", "0.1", "--replications", "4", "--workers", "2", "--no-figure", "--quiet"]

linux_only = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process tree from /proc")


def test_console_script_is_installed():
    result = subprocess.run([SOCIALSIM, "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "verify" in result.stdout


def living_descendants(pid: int) -> set[int]:
    """Processes below ``pid`` that have not exited (zombies excluded)."""
    parent, state = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        p = int(stat.parent.name)
        state[p], parent[p] = fields[0], int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, pp in parent.items() if pp in frontier} - found
        found |= frontier
    return {p for p in found if state.get(p) != "Z"}


def start_with_workers(out: Path) -> tuple[subprocess.Popen, set[int]]:
    proc = subprocess.Popen([SOCIALSIM, *LONG_RUN, "--out", str(out)], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # the pool: fork server, resource tracker, 2 workers
        family = living_descendants(proc.pid)
        if len(family) >= 4:
            return proc, family
        time.sleep(0.2)
    proc.kill()
    pytest.fail("the worker pool did not start")


def wait_gone(pids: set[int], seconds: float = 15) -> set[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        alive = {p for p in pids if Path(f"/proc/{p}").exists()
                 and Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"}
        if not alive:
            return alive
        time.sleep(0.2)
    return alive


def no_partial_files(out: Path) -> None:
    assert not [f for f in out.rglob(".*") if f.name != ".lock"], "temporary files left"
    for info in (out / "replications").glob("rep-*.json"):  # a finished replication has its tables
        stem = info.name.removesuffix(".json")
        assert (out / "replications" / f"{stem}.yearly.parquet").exists()


@linux_only
def test_ctrl_c_stops_the_pool_with_one_line_and_nothing_half_written(tmp_path):
    out = tmp_path / "run"
    proc, family = start_with_workers(out)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err.count("\n") == 1 and err.startswith("socialsim: interrupted"), err
    assert not wait_gone(family), "worker processes outlived the run"
    assert not (out / "yearly.parquet").exists() and not (out / "manifest.json").exists()
    assert not (out / ".lock").exists()
    no_partial_files(out)


@linux_only
def test_workers_exit_when_the_run_is_killed(tmp_path):
    out = tmp_path / "run"
    proc, family = start_with_workers(out)
    proc.kill()
    proc.wait()
    assert not wait_gone(family), "worker processes outlived the killed run"
    written = sorted(f.name for f in (out / "replications").iterdir())
    time.sleep(1)
    assert sorted(f.name for f in (out / "replications").iterdir()) == written  # nobody writes on
