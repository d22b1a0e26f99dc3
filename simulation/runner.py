"""Running replications and writing results: atomic files, a manifest, resumable runs.

Layout of an output folder::

    yearly.parquet, monthly.parquet   all replications, tidy (see outputs.py)
    manifest.json                     scenario as resolved, base seed and each replication's
                                      model seed, version, code and data-set hashes, git
                                      commit, wall time, SHA-256 of every file it covers
    summary.png                       the summary figure (removed by a run without one)
    replications/run.json             the identity of the run the replications belong to
    replications/rep-0003.*           one replication's tables and info (with their SHA-256);
                                      a finished replication is reused when the same run is
                                      started again (resume), after its files verify
    .lock                             while a run writes into the folder

Replication ``r`` of a run with ``--seed S`` uses the model seed ``replication_seed(S, r)``
(SeedSequence spawning): runs with different base seeds never share a replication, and
``SocialDomainModel(scenario, rng=replication_seed(S, r))`` reproduces it alone.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import platform
import signal
import subprocess
import tempfile
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Callable

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from . import __version__
from .dataset import Dataset
from .model import SocialDomainModel, check_seed
from .random_streams import replication_seed
from .run_folder import (LOCK, Lock, RunFolderError, check_file, differences, identity, prepare, read_json,
                         read_parquet, remove_temporaries, sealed, sha256_file)
from .scenario import Scenario, ScenarioError


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, then rename: never a half-written file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def parquet_bytes(df: pd.DataFrame, metadata: dict) -> bytes:
    """Parquet with the run's metadata in the file; byte-identical for identical inputs."""
    table = pa.Table.from_pandas(df, preserve_index=False)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                           b"socialsim": json.dumps(metadata, sort_keys=True).encode()})
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def write_parquet(df: pd.DataFrame, path: Path, metadata: dict) -> str:
    """Write the table atomically; returns the file's SHA-256."""
    data = parquet_bytes(df, metadata)
    atomic_write_bytes(path, data)
    return hashlib.sha256(data).hexdigest()


def git_commit() -> str | None:
    try:
        root = Path(__file__).resolve().parent.parent
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=5)
        return out.stdout.strip() or None if out.returncode == 0 else None
    except (OSError, subprocess.SubprocessError):
        return None


def scenario_hash(scenario: Scenario) -> str:
    return hashlib.sha256(scenario.model_dump_json().encode()).hexdigest()


def run_replication(scenario: Scenario, seed: int, replication: int = 0,
                    progress: Callable[[int], None] | None = None) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """One model run with model seed ``seed``: (yearly table, monthly table, info)."""
    t0 = time.perf_counter()
    model = SocialDomainModel(scenario, rng=seed, replication=replication)
    t1 = time.perf_counter()
    model.run(progress)
    t2 = time.perf_counter()
    info = {"replication": replication, "seed": seed, "setup_s": round(t1 - t0, 3), "step_s": round(t2 - t1, 3),
            "persons_start": int(model.recorder.monthly_stocks[0][0].sum()),
            "applied_policies": model.applied_policies}
    return model.yearly(), model.monthly(), info


def replication_files(replication: int) -> tuple[str, str, str]:
    """The yearly table, monthly table and info file of a replication (in ``replications/``)."""
    base = f"rep-{replication:04d}"
    return f"{base}.yearly.parquet", f"{base}.monthly.parquet", f"{base}.json"


def _replication_job(scenario_json: str, seed: int, replication: int, folder: str, metadata: dict,
                     progress: Callable[[int], None] | None = None) -> dict:
    """Run one replication and write its files (the tables first, the info file with their
    SHA-256 last: its presence marks the replication as done)."""
    scenario = Scenario.model_validate_json(scenario_json)
    yearly, monthly, info = run_replication(scenario, seed, replication, progress)
    names = replication_files(replication)
    meta = {**metadata, "seed": seed, "replication": replication}
    info["files"] = {name: write_parquet(table, Path(folder) / name, meta)
                     for name, table in zip(names, (yearly, monthly))}
    atomic_write_bytes(Path(folder) / names[2], sealed(info))
    return info


def _job(args: tuple) -> dict:
    return _replication_job(*args)


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _worker_start(parent: Connection) -> None:
    """In each worker: Ctrl-C is the parent's to handle (it stops the pool), and the worker
    exits when the parent is gone (the run was killed) instead of writing on into its folder."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: Connection) -> None:
    try:
        parent.recv()  # nothing is ever sent: this returns when the parent's end closes (it died)
    except (EOFError, OSError):
        pass
    os._exit(1)


def _context() -> multiprocessing.context.BaseContext:
    """Workers forked from a server process that has imported the model once (forking this
    process, which may run threads, can deadlock; spawning imports it again for every worker)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context


def _run_pool(jobs: list[tuple], workers: int, quiet: bool) -> None:
    """Run the jobs on a pool of at most ``workers`` processes; on Ctrl-C or an error the pool
    is stopped at once (the temporary files of its unfinished writes are removed by the
    caller)."""
    context = _context()
    lifeline, parent_end = context.Pipe(duplex=False)  # the workers hold only the reading end
    pool = context.Pool(workers, initializer=_worker_start, initargs=(lifeline,))
    try:
        for _ in tqdm(pool.imap_unordered(_job, jobs), total=len(jobs), desc="replications", disable=quiet):
            pass
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
        parent_end.close()
        lifeline.close()


def _reusable(reps: Path, replication: int, seed: int) -> dict | None:
    """The info of a finished replication with model seed ``seed`` whose files verify; None
    if it has not finished; a one-line error if its files are damaged."""
    names = replication_files(replication)
    if not (reps / names[2]).exists():
        return None
    info = read_json(reps / names[2], seal=True)
    if info.get("seed") != seed or not isinstance(info.get("files"), dict) or set(info["files"]) != set(names[:2]):
        raise RunFolderError(f"{reps / names[2]}: does not describe replication {replication} of this run "
                             "(edited or corrupted?); use --overwrite to start afresh")
    for name, digest in info["files"].items():
        problem = check_file(reps, name, digest)
        if problem:
            raise RunFolderError(f"{problem}; use --overwrite to start afresh")
    return info


RESULT_FILES = ("yearly.parquet", "monthly.parquet", "summary.png", "manifest.json")


def _clear(out: Path) -> None:
    """Remove a previous run's files (only the files a run writes)."""
    for name in RESULT_FILES:
        (out / name).unlink(missing_ok=True)
    reps = out / "replications"
    if reps.is_dir():
        for f in [*reps.glob("rep-*.parquet"), *reps.glob("rep-*.json"), reps / "run.json", reps / "scenario.json"]:
            f.unlink(missing_ok=True)


def run(scenario: Scenario, out: Path, seed: int = 1, replications: int = 1, workers: int = 1,
        figure: bool = True, quiet: bool = False, overwrite: bool = False) -> dict:
    """Run ``replications`` of ``scenario`` into ``out``; returns the manifest.

    A folder holding a different run (scenario, seed, data set or code) is refused with one
    line, unless ``overwrite``; a folder another run is writing is refused too."""
    check_seed("--seed", seed)
    for name, value in (("replications", replications), ("workers", workers)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ScenarioError(f"{name} = {value!r}: must be an integer, at least 1")
    out = Path(out)
    started = time.perf_counter()
    dataset = Dataset.load(scenario.run.dataset)
    scenario.check_against(dataset)
    prepare(out)
    with Lock(out):
        try:
            return _run_locked(scenario, out, dataset, seed, replications, workers, figure, quiet, overwrite, started)
        finally:
            remove_temporaries(out)  # of writes a Ctrl-C or an error interrupted


def _run_locked(scenario: Scenario, out: Path, dataset: Dataset, seed: int, replications: int, workers: int,
                figure: bool, quiet: bool, overwrite: bool, started: float) -> dict:
    reps = out / "replications"
    if overwrite:
        _clear(out)
    shash = scenario_hash(scenario)
    ident = identity(shash, seed, scenario.run.scale, dataset.content_hash)
    stamp = reps / "run.json"
    if stamp.exists():
        differ = differences(read_json(stamp, seal=True), ident)
        if differ:
            raise RunFolderError(f"{out} holds a run with a different {', '.join(differ)} (replications/run.json); "
                                 "use --overwrite to replace it, or another --out")
    elif not overwrite and any(f.is_file() and f.name != LOCK for f in out.rglob("*")):
        raise RunFolderError(f"{out} is not empty and holds no run of this version; "
                             "use --overwrite to replace its results, or another --out")
    atomic_write_bytes(stamp, sealed(ident))
    metadata = {"scenario": scenario.model_dump(mode="json"), "scenario_hash": shash,
                "version": __version__, "dataset": dataset.name, "dataset_hash": dataset.content_hash}

    seeds = [replication_seed(seed, r) for r in range(replications)]
    done = {r for r in range(replications) if _reusable(reps, r, seeds[r]) is not None}
    todo = [r for r in range(replications) if r not in done]
    if todo and not quiet and done:
        print(f"resuming: {len(done)} of {replications} replications already done")
    payload = scenario.model_dump_json()
    workers = min(workers, len(todo), available_cores())
    if workers <= 1:
        for r in todo:
            if replications == 1 and not quiet:
                months = (scenario.run.end_year - scenario.run.start_year + 1) * 12
                with tqdm(total=months, desc=f"{scenario.scenario.name} replication {r}", unit="month") as bar:
                    _replication_job(payload, seeds[r], r, str(reps), metadata, bar.update)
            else:
                _replication_job(payload, seeds[r], r, str(reps), metadata)
                if not quiet:
                    print(f"replication {r} done")
    else:
        _run_pool([(payload, seeds[r], r, str(reps), metadata) for r in todo], workers, quiet)

    infos = [_reusable(reps, r, seeds[r]) for r in range(replications)]  # the files as written: verified
    yearly = pd.concat([read_parquet(reps / replication_files(r)[0]) for r in range(replications)], ignore_index=True)
    monthly = pd.concat([read_parquet(reps / replication_files(r)[1]) for r in range(replications)], ignore_index=True)
    meta = {**metadata, "seeds": seeds}
    files = {name: write_parquet(table, out / name, meta)
             for name, table in (("yearly.parquet", yearly), ("monthly.parquet", monthly))}
    if figure:
        from .plots import save, summary

        save(summary(yearly, scenario), out / "summary.png")
        files["summary.png"] = sha256_file(out / "summary.png")
    else:
        (out / "summary.png").unlink(missing_ok=True)  # an earlier run's figure would not match these tables
    files["replications/run.json"] = sha256_file(stamp)
    for r, info in enumerate(infos):
        names = replication_files(r)
        files.update({f"replications/{name}": digest for name, digest in info["files"].items()})
        files[f"replications/{names[2]}"] = sha256_file(reps / names[2])
    manifest = {
        **metadata,
        "seed": seed,
        "seeds": seeds,
        "code_hash": ident["code_hash"],
        "replications": infos,
        "git_commit": git_commit(),
        "python": platform.python_version(),
        "wall_time_s": round(time.perf_counter() - started, 3),
        "files": files,
    }
    atomic_write_bytes(out / "manifest.json", json.dumps(manifest, indent=2).encode())
    return manifest
