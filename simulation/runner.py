"""Running replications and writing results: atomic files, a manifest, resumable runs.

Layout of an output folder::

    yearly.parquet, monthly.parquet   all replications, tidy (see outputs.py)
    manifest.json                     scenario as resolved, seeds, version, data-set hash,
                                      git commit, wall time, SHA-256 of every result file
    summary.png                       the summary figure
    replications/rep-0003.*           one replication's tables; a finished replication is
                                      skipped when the same run is started again (resume)

Replication ``r`` of a run with ``--seed S`` uses seed ``S + r``: rerunning it alone with
``--seed S+r`` reproduces it exactly.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Callable

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from . import __version__
from .dataset import Dataset
from .model import SocialDomainModel
from .scenario import Scenario


def sha256_file(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


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


def write_parquet(df: pd.DataFrame, path: Path, metadata: dict) -> None:
    """Parquet with the run's metadata in the file; byte-identical for identical inputs."""
    table = pa.Table.from_pandas(df, preserve_index=False)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                           b"socialsim": json.dumps(metadata, sort_keys=True).encode()})
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    atomic_write_bytes(path, sink.getvalue().to_pybytes())


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
    """One model run: (yearly table, monthly table, info)."""
    t0 = time.perf_counter()
    model = SocialDomainModel(scenario, rng=seed, replication=replication)
    t1 = time.perf_counter()
    model.run(progress)
    t2 = time.perf_counter()
    info = {"replication": replication, "seed": seed, "setup_s": round(t1 - t0, 3), "step_s": round(t2 - t1, 3),
            "persons_start": int(model.recorder.monthly_stocks[0][0].sum()),
            "applied_policies": model.applied_policies}
    return model.yearly(), model.monthly(), info


def _replication_job(scenario_json: str, seed: int, replication: int, folder: str, metadata: dict,
                     progress: Callable[[int], None] | None = None) -> dict:
    """Run one replication and write its files (parquet first, the info file last: its
    presence marks the replication as done)."""
    scenario = Scenario.model_validate_json(scenario_json)
    yearly, monthly, info = run_replication(scenario, seed, replication, progress)
    base = Path(folder) / f"rep-{replication:04d}"
    meta = {**metadata, "seed": seed, "replication": replication}
    write_parquet(yearly, base.with_suffix(".yearly.parquet"), meta)
    write_parquet(monthly, base.with_suffix(".monthly.parquet"), meta)
    atomic_write_bytes(base.with_suffix(".json"), json.dumps(info, indent=2).encode())
    return info


def run(scenario: Scenario, out: Path, seed: int = 1, replications: int = 1, workers: int = 1,
        figure: bool = True, quiet: bool = False) -> dict:
    """Run ``replications`` of ``scenario`` into ``out``; returns the manifest."""
    out = Path(out)
    started = time.perf_counter()
    dataset = Dataset.load(scenario.run.dataset)
    scenario.check_against(dataset)
    shash = scenario_hash(scenario)
    reps = out / "replications"
    reps.mkdir(parents=True, exist_ok=True)
    stamp = reps / "scenario.json"
    if stamp.exists() and json.loads(stamp.read_text()).get("scenario_hash") != shash:
        # a different run left files here: they must not be mixed into this one
        for f in reps.iterdir():
            f.unlink()
    atomic_write_bytes(stamp, json.dumps({"scenario_hash": shash}).encode())
    metadata = {"scenario": scenario.model_dump(mode="json"), "scenario_hash": shash,
                "version": __version__, "dataset": dataset.name, "dataset_hash": dataset.content_hash}

    seeds = [seed + r for r in range(replications)]
    done = {r for r in range(replications) if (reps / f"rep-{r:04d}.json").exists()}
    todo = [r for r in range(replications) if r not in done]
    if todo and not quiet and done:
        print(f"resuming: {len(done)} of {replications} replications already done")
    payload = scenario.model_dump_json()
    if workers <= 1 or len(todo) <= 1:
        for r in todo:
            if replications == 1 and not quiet:
                months = (scenario.run.end_year - scenario.run.start_year + 1) * 12
                with tqdm(total=months, desc=f"{scenario.scenario.name} seed {seeds[r]}", unit="month") as bar:
                    _replication_job(payload, seeds[r], r, str(reps), metadata, bar.update)
            else:
                _replication_job(payload, seeds[r], r, str(reps), metadata)
                if not quiet:
                    print(f"replication {r} (seed {seeds[r]}) done")
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(_replication_job, payload, seeds[r], r, str(reps), metadata) for r in todo]
            for f in tqdm(as_completed(futures), total=len(futures), desc="replications", disable=quiet):
                f.result()

    infos = [json.loads((reps / f"rep-{r:04d}.json").read_text()) for r in range(replications)]
    yearly = pd.concat([pd.read_parquet(reps / f"rep-{r:04d}.yearly.parquet") for r in range(replications)],
                       ignore_index=True)
    monthly = pd.concat([pd.read_parquet(reps / f"rep-{r:04d}.monthly.parquet") for r in range(replications)],
                        ignore_index=True)
    meta = {**metadata, "seeds": seeds}
    write_parquet(yearly, out / "yearly.parquet", meta)
    write_parquet(monthly, out / "monthly.parquet", meta)
    files = {name: sha256_file(out / name) for name in ("yearly.parquet", "monthly.parquet")}
    if figure:
        from .plots import save, summary

        save(summary(yearly, scenario), out / "summary.png")
    manifest = {
        **metadata,
        "seeds": seeds,
        "replications": infos,
        "git_commit": git_commit(),
        "python": platform.python_version(),
        "wall_time_s": round(time.perf_counter() - started, 3),
        "files": files,
    }
    atomic_write_bytes(out / "manifest.json", json.dumps(manifest, indent=2).encode())
    return manifest
