"""``socialsim verify DIR``: are a run folder's files the ones its manifest records, and does a
replication reproduce bit for bit?

Checks, each problem one line:

- every file the manifest lists (tables, figure, replications, the run identity) exists and
  has the recorded SHA-256;
- no result file at the top of the folder is left uncovered by the manifest (e.g. a figure
  from an earlier run);
- no run is writing into the folder;
- one replication (sampled at random, or chosen) run again from the manifest's scenario and
  model seed gives byte-identical yearly and monthly tables.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pyarrow.parquet as pq

from .run_folder import LOCK, RunFolderError, check_file, code_hash, describe, read_json, writer
from .scenario import Scenario, ScenarioError


def check_files(folder: Path, manifest: dict) -> list[str]:
    """Problems with the files the manifest covers, and files at the top it does not cover."""
    files = manifest.get("files")
    if not isinstance(files, dict) or not files:
        return [f"{folder / 'manifest.json'}: lists no files (corrupted, or written by an older version?)"]
    problems = [p for name, digest in files.items() if (p := check_file(folder, name, str(digest)))]
    covered = {Path(name).parts[0] for name in files} | {"manifest.json", LOCK}
    problems += [f"{f}: not covered by the manifest (left from another run?)"
                 for f in sorted(folder.iterdir()) if f.is_file() and f.name not in covered]
    return problems


def check_reproduces(folder: Path, manifest: dict, replication: int) -> list[str]:
    """Run ``replication`` again and compare its tables with the stored ones, byte for byte."""
    from .runner import parquet_bytes, replication_files, run_replication

    infos = manifest.get("replications") or []
    if not 0 <= replication < len(infos):
        return [f"--replication {replication}: the run has replications 0..{len(infos) - 1}"]
    try:
        scenario = Scenario.from_dict(manifest["scenario"])
        seed = int(infos[replication]["seed"])
    except (KeyError, TypeError, ValueError, ScenarioError) as e:
        return [f"{folder / 'manifest.json'}: cannot rebuild the run's scenario and seed: {e}"]
    yearly, monthly, _ = run_replication(scenario, seed, replication)
    problems = []
    for name, table in zip(replication_files(replication), (yearly, monthly)):
        path = folder / "replications" / name
        try:
            metadata = json.loads(pq.read_schema(path).metadata[b"socialsim"])
            stored = path.read_bytes()
        except Exception:  # any damage; the file checks above name it
            problems.append(f"{path}: unreadable, cannot compare with the re-run")
            continue
        if parquet_bytes(table, metadata) != stored:
            changed = "" if manifest.get("code_hash") == code_hash() else \
                " (the code differs from the run's, which may explain it)"
            problems.append(f"{path}: replication {replication} (seed {seed}) run again gives different "
                            f"numbers{changed}")
    return problems


def verify(folder: Path, rerun: bool = True, replication: int | None = None) -> tuple[list[str], str]:
    """(problems, summary): no problems means the folder verifies."""
    folder = Path(folder)
    if not folder.is_dir():
        return [f"{folder}: not a folder"], ""
    running = writer(folder)
    if running is not None:
        return [f"{folder}: a run is writing into it ({describe(running)}); verify it when it has finished"], ""
    try:
        manifest = read_json(folder / "manifest.json")
    except RunFolderError as e:
        return [str(e)], ""
    problems = check_files(folder, manifest)
    summary = f"{len(manifest.get('files') or {})} files match the manifest"
    if rerun and not problems:
        n = len(manifest.get("replications") or [])
        chosen = random.randrange(n) if replication is None and n else (replication or 0)
        problems += check_reproduces(folder, manifest, chosen)
        summary += f"; replication {chosen} reproduces bit for bit"
    return problems, summary
