"""``socialsim sweep DESIGN --out DIR``: a design of parameter points x replications, run on a
local process pool or a Dask cluster, resumable, merged across machines.

A design file (TOML; ``experiments/designs/`` has an example)::

    [sweep]
    scenario = "baseline"        # name or path
    scale = 0.05                 # optional: run.scale
    years = [2016, 2030]         # optional: run.start_year, run.end_year
    replications = 3             # seeds: replication_seed(seed, r) for r < replications
    seed = 1
    indicators = ["informal_share", "cost_total_eur"]   # optional, default: the headline

    [grid]                       # every combination of these values ...
    "informal_care.capacity_multiplier" = [0.8, 1.0, 1.2]

    [sample]                     # ... or a space-filling sample of ranges (scipy.stats.qmc)
    method = "latin_hypercube"   # or "sobol" (n a power of 2)
    n = 16
    seed = 7
    [sample.ranges]
    "informal_care.capacity_multiplier" = [0.8, 1.2]

    [[point]]                    # ... or listed points, each setting the same parameters
    "informal_care.capacity_multiplier" = 0.9

Every design point runs with the same replication seeds (common random numbers). Each run is
keyed by a stable hash of its parameters, seed, the resolved base scenario, the indicators,
the code version and the data-set hash, and written atomically by the process that started the
sweep, as ``runs/<key>.parquet`` and then ``runs/<key>.json`` (status, error text, seconds):
a run with a ``done`` record is never computed again, so a killed sweep started again
computes only the missing runs, and failed runs are recorded and retried on the next start.
At the end, ``sweep.parquet`` holds every finished run (columns: point, each parameter, seed,
replication, year, area, indicators) and ``manifest.json`` the design, the identity of the
code and data and the SHA-256 of every file.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import time
import traceback
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any, Callable, Iterator, Literal

import numpy as np
import pandas as pd
import tomllib
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from tqdm import tqdm

from . import __version__
from .dataset import Dataset
from .evaluate import HEADLINE, check_indicators, evaluate
from .random_streams import replication_seed
from .run_folder import code_hash
from .runner import _context, _worker_start, atomic_write_bytes, available_cores, scenario_hash, write_parquet
from .scenario import SECTIONS, Scenario, ScenarioError


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SweepSection(_Strict):
    name: str = ""
    scenario: str = "baseline"
    scale: float | None = Field(None, gt=0, le=1)
    years: tuple[int, int] | None = None
    replications: int = Field(1, ge=1)
    seed: int = Field(1, ge=0)
    indicators: list[str] | None = None


class Sample(_Strict):
    method: Literal["latin_hypercube", "sobol"]
    n: int = Field(ge=1)
    seed: int = Field(0, ge=0)
    ranges: dict[str, tuple[float, float]]

    @model_validator(mode="after")
    def _check(self) -> "Sample":
        if not self.ranges:
            raise ValueError("sample.ranges: empty; give at least one parameter = [low, high]")
        for name, (low, high) in self.ranges.items():
            if not low < high:
                raise ValueError(f"sample.ranges.{name} = [{low}, {high}]: low must be below high")
        if self.method == "sobol" and self.n & (self.n - 1):
            raise ValueError(f"sample.n = {self.n}: a Sobol sample needs a power of 2 (e.g. {1 << self.n.bit_length()})")
        return self


class Design(_Strict):
    sweep: SweepSection = SweepSection()
    grid: dict[str, list[Any]] | None = None
    sample: Sample | None = None
    point: list[dict[str, Any]] | None = None  # listed points (e.g. the fitted parameter sets of an ensemble)

    @model_validator(mode="after")
    def _one_kind(self) -> "Design":
        kinds = [f"[{k}]" for k in ("grid", "sample", "point") if getattr(self, k) is not None]
        if len(kinds) > 1:
            raise ValueError(f"design: both {kinds[0]} and {kinds[1]}; allowed: one of [grid], [sample], [[point]] "
                             "(or none: replications only)")
        for name, values in (self.grid or {}).items():
            if not values:
                raise ValueError(f"grid.{name} = []: give at least one value")
        if self.point is not None:
            if not self.point:
                raise ValueError("point = []: give at least one point")
            for i, p in enumerate(self.point):
                if set(p) != set(self.point[0]):
                    raise ValueError(f"point {i}: sets {sorted(p)}; allowed: the parameters of point 0, "
                                     f"{sorted(self.point[0])}")
        return self

    @classmethod
    def load(cls, path: str | Path) -> "Design":
        path = Path(path)
        if not path.is_file():
            raise ScenarioError(f"design file not found: {str(path)!r}")
        try:
            data = tomllib.loads(path.read_text())
        except tomllib.TOMLDecodeError as e:
            raise ScenarioError(f"{path}: malformed TOML: {e}") from None
        data.setdefault("sweep", {}).setdefault("name", path.stem)
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: dict) -> "Design":
        try:
            return cls.model_validate(data)
        except ValidationError as e:
            raise ScenarioError("invalid design: " + "; ".join(_problem(err) for err in e.errors())) from None

    def parameters(self) -> list[str]:
        return list(self.grid or (self.sample.ranges if self.sample else {}) or (self.point or [{}])[0])

    def points(self) -> list[dict[str, Any]]:
        """The design points, in a fixed order (grid: the product in the file's order)."""
        if self.grid is not None:
            return [dict(zip(self.grid, values)) for values in itertools.product(*self.grid.values())]
        if self.point is not None:
            return [dict(p) for p in self.point]
        if self.sample is None:
            return [{}]
        # imported here: scipy.stats takes about 0.8 s to import, which every worker process of
        # a sweep paid when it received its first run (this module), for a sampler only this uses
        from scipy.stats import qmc

        names = list(self.sample.ranges)
        d = len(names)
        sampler = (qmc.LatinHypercube(d, seed=self.sample.seed) if self.sample.method == "latin_hypercube"
                   else qmc.Sobol(d, scramble=True, seed=self.sample.seed))
        unit = sampler.random(self.sample.n)
        low, high = np.array([self.sample.ranges[n] for n in names]).T
        values = qmc.scale(unit, low, high)
        integer = [_field(n).annotation is int for n in names]
        return [{n: (round(float(v)) if is_int else float(v)) for n, v, is_int in zip(names, row, integer)}
                for row in values]


def _problem(err: dict) -> str:
    where = ".".join(str(x) for x in err["loc"]) or "design"
    if err["type"] == "value_error":
        return str(err["ctx"]["error"]) if "ctx" in err else err["msg"]
    if err["type"] == "extra_forbidden":
        return f"{where}: unknown key; allowed: [sweep] {', '.join(SweepSection.model_fields)}, [grid], " \
               f"[sample] {', '.join(Sample.model_fields)}, [[point]]"
    return f"{where} = {err.get('input')!r}: {err['msg']}"


def _field(name: str):
    section, _, field = name.partition(".")
    if section not in SECTIONS or field not in SECTIONS[section].model_fields:
        raise ScenarioError(f"design parameter {name!r}: unknown; use section.name as in `socialsim params`")
    return SECTIONS[section].model_fields[field]


@cache
def code_version() -> str:
    """The package version and a hash of its source: a run made by other code is another run."""
    return f"{__version__}+{code_hash()[:12]}"


@dataclass(frozen=True)
class Run:
    key: str
    point: int
    replication: int
    seed: int
    parameters: dict[str, Any]


@dataclass(frozen=True)
class Plan:
    """What a sweep computes: the resolved scenario, the runs and the identity of code and data."""
    design: Design
    scenario: Scenario
    runs: list[Run]
    identity: dict[str, str]
    indicators: list[str]


def plan(design: Design) -> Plan:
    s = design.sweep
    values: dict[str, Any] = {}
    if s.scale is not None:
        values["run.scale"] = s.scale
    if s.years is not None:
        values["run.start_year"], values["run.end_year"] = s.years
    scenario = Scenario.load(s.scenario, values)
    dataset = Dataset.load(scenario.run.dataset)
    scenario.check_against(dataset)
    for name in design.parameters():
        _field(name)
    points = design.points()
    for i, point in enumerate(points):  # every point must be a valid scenario before anything runs
        try:
            scenario.with_values(point)
        except ScenarioError as e:
            raise ScenarioError(f"design point {i}: {e}") from None
    identity = {"code_version": code_version(), "dataset": dataset.name, "dataset_hash": dataset.content_hash,
                "scenario_hash": scenario_hash(scenario)}
    indicators = check_indicators(s.indicators or HEADLINE, "sweep.indicators")
    runs = []
    for i, point in enumerate(points):
        for r in range(s.replications):
            seed = replication_seed(s.seed, r)
            key = _stable_hash({**identity, "parameters": point, "seed": seed, "indicators": indicators})
            runs.append(Run(key, i, r, seed, point))
    return Plan(design, scenario, runs, identity, indicators)


def _stable_hash(obj: Any) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()[:24]


# --- computing one run (in a worker) ----------------------------------------------------------
def compute(run: Run, scenario_json: str, indicators: list[str], identity: dict[str, str]) -> dict:
    """One run, in whatever process the executor chose; never raises for a failing model (the
    error text is the result), so one bad point does not stop the sweep."""
    t0 = time.perf_counter()
    try:
        if code_version() != identity["code_version"]:
            raise RuntimeError(f"this worker runs code {code_version()}, the sweep {identity['code_version']}: "
                               "install the same version on every worker")
        scenario = Scenario.model_validate_json(scenario_json)
        if Dataset.load(scenario.run.dataset).content_hash != identity["dataset_hash"]:
            raise RuntimeError(f"this worker's data set {scenario.run.dataset} differs from the sweep's")
        table = evaluate(run.parameters, [run.seed], scenario=scenario, indicators=indicators)
        return {"key": run.key, "status": "done", "table": table, "seconds": round(time.perf_counter() - t0, 3)}
    except Exception as e:  # noqa: BLE001 -- any model failure is recorded, with its text
        return {"key": run.key, "status": "failed", "error": f"{type(e).__name__}: {e}",
                "traceback": traceback.format_exc(), "seconds": round(time.perf_counter() - t0, 3)}


# --- executors: each yields the results of the runs as they finish ------------------------------
def local_results(runs: list[Run], args: tuple, workers: int) -> Iterator[dict]:
    """A local process pool (in this process for one worker). Pending runs are cancelled when
    the consumer stops (an interrupted sweep)."""
    if workers <= 1:
        for run in runs:
            yield compute(run, *args)
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # the workers of `socialsim run`: forked from a server process (never from this one, whose
    # threads could deadlock a child), leaving Ctrl-C to this process and exiting when it dies;
    # they load the kernels from the disk cache warm_kernels filled
    context = _context()
    lifeline, parent_end = context.Pipe(duplex=False)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_start,
                               initargs=(lifeline,))
    try:
        futures = [pool.submit(compute, run, *args) for run in runs]
        for future in as_completed(futures):
            yield future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        parent_end.close()
        lifeline.close()


def dask_results(runs: list[Run], args: tuple, scheduler: str) -> Iterator[dict]:
    """A Dask distributed cluster (``tcp://host:port`` of its scheduler): the workers compute,
    this process receives the tables and writes them."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise ScenarioError("--scheduler needs Dask distributed: pip install 'socialsim[dask]'") from None
    try:
        client = Client(scheduler, timeout="20s")
    except OSError as e:
        raise ScenarioError(f"--scheduler {scheduler}: cannot connect ({e})") from None
    with client:
        futures = [client.submit(compute, run, *args, key=f"socialsim-{run.key}", pure=False) for run in runs]
        try:
            for future in as_completed(futures):
                yield future.result()
        finally:
            client.cancel(futures)


# --- the sweep ----------------------------------------------------------------------------------
def run_status(out: Path, key: str) -> str | None:
    """'done', 'failed' or None (never run) for the run ``key`` in the sweep folder ``out``."""
    record = out / "runs" / f"{key}.json"
    if not record.exists():
        return None
    status = json.loads(record.read_text())["status"]
    return status if status != "done" or (out / "runs" / f"{key}.parquet").exists() else None


def _write_result(out: Path, run: Run, result: dict, identity: dict) -> None:
    """The table first, the record last: a record marked done means the table is complete."""
    record = {**asdict(run), "status": result["status"], "seconds": result["seconds"], **identity}
    if result["status"] == "done":
        record["sha256"] = write_parquet(result["table"], out / "runs" / f"{run.key}.parquet",
                                         {"key": run.key, **identity})
    else:
        record["error"], record["traceback"] = result["error"], result["traceback"]
    atomic_write_bytes(out / "runs" / f"{run.key}.json", json.dumps(record, indent=2, default=str).encode())


def workers_for(requested: int | None, tasks: int) -> int:
    """Local workers: as requested (default: the cores), but no more than tasks or cores."""
    cores = available_cores()
    return max(1, min(requested or cores, cores, tasks))


def sweep(design: Design | str | Path, out: str | Path, *, workers: int | None = None, scheduler: str | None = None,
          part: tuple[int, int] | None = None, quiet: bool = False,
          on_result: Callable[[Run, dict], None] | None = None) -> dict:
    """Run the design's missing runs into ``out`` and assemble the dataset; returns the manifest.

    ``part=(k, n)`` runs only every n-th run starting at the k-th (1-based): n machines each
    take one part, and ``merge`` joins their folders. ``on_result`` is called after each run is
    written (progress hooks, tests)."""
    from .compilation import warm_kernels

    design = design if isinstance(design, Design) else Design.load(design)
    p = plan(design)
    out = Path(out)
    (out / "runs").mkdir(parents=True, exist_ok=True)
    mine = p.runs if part is None else p.runs[part[0] - 1:: part[1]]
    todo = [run for run in mine if run_status(out, run.key) != "done"]
    if not quiet and len(todo) < len(mine):
        print(f"resuming: {len(mine) - len(todo)} of {len(mine)} runs already done")
    if todo:
        warm_kernels(quiet)  # once here, not in every worker
        args = (p.scenario.model_dump_json(), p.indicators, p.identity)
        results = (dask_results(todo, args, scheduler) if scheduler
                   else local_results(todo, args, workers_for(workers, len(todo))))
        by_key = {run.key: run for run in todo}
        with tqdm(total=len(mine), initial=len(mine) - len(todo), desc=design.sweep.name or "sweep", unit="run",
                  disable=quiet) as bar:
            try:
                for result in results:
                    run = by_key[result["key"]]
                    _write_result(out, run, result, p.identity)
                    bar.update(1)
                    if result["status"] == "failed" and not quiet:
                        tqdm.write(f"run {run.key} (point {run.point}, seed {run.seed}) failed: {result['error']}")
                    if on_result is not None:
                        on_result(run, result)
            finally:
                results.close()
    return assemble(out, p)


def assemble(out: Path, p: Plan) -> dict:
    """``sweep.parquet`` from the finished runs of the plan and ``manifest.json``."""
    out = Path(out)
    params = p.design.parameters()
    tables, failed, missing = [], [], []
    for run in p.runs:
        status = run_status(out, run.key)
        if status == "done":
            t = pd.read_parquet(out / "runs" / f"{run.key}.parquet")
            front = {"point": run.point, **{n: run.parameters[n] for n in params}}
            for i, (name, value) in enumerate(front.items()):
                t.insert(i, name, value)
            t.insert(len(front) + 1, "replication", run.replication)  # after seed
            tables.append(t)
        elif status == "failed":
            failed.append({**asdict(run), "error": json.loads((out / "runs" / f"{run.key}.json").read_text())["error"]})
        else:
            missing.append(run.key)
    meta = {"design": p.design.model_dump(mode="json"), "indicators": p.indicators, **p.identity}
    files = {}
    if tables:
        files["sweep.parquet"] = write_parquet(pd.concat(tables, ignore_index=True), out / "sweep.parquet", meta)
    for run in p.runs:
        if run_status(out, run.key) == "done":
            files[f"runs/{run.key}.parquet"] = json.loads((out / "runs" / f"{run.key}.json").read_text())["sha256"]
    manifest = {**meta, "scenario": p.scenario.model_dump(mode="json"), "points": len(p.design.points()),
                "runs": len(p.runs), "done": len(tables), "failed": failed, "missing": len(missing),
                "run_keys": [run.key for run in p.runs], "files": files}
    atomic_write_bytes(out / "manifest.json", json.dumps(manifest, indent=2, default=str).encode())
    return manifest


# --- merging sweeps made on several machines ----------------------------------------------------
def merge(folders: list[str | Path], out: str | Path, force: bool = False) -> dict:
    """Join the runs of sweep folders of one design into ``out`` (each run once) and assemble.

    Folders of another design, code version or data set are refused unless ``force``: their
    runs would not be comparable (with ``force`` the first folder's design decides which runs
    belong to the dataset)."""
    if not folders:
        raise ScenarioError("merge: no sweep folders given")
    manifests = []
    for folder in map(Path, folders):
        path = folder / "manifest.json"
        if not path.exists():
            raise ScenarioError(f"merge: {folder} is not a sweep folder (no manifest.json)")
        manifests.append(json.loads(path.read_text()))
    first = manifests[0]
    for folder, m in zip(folders[1:], manifests[1:]):
        for field in ("design", "code_version", "dataset_hash", "scenario_hash"):
            if m[field] != first[field] and not force:
                raise ScenarioError(f"merge: {folder} has another {field} than {folders[0]} "
                                    f"({_short(m[field])} vs {_short(first[field])}); --force merges anyway")
    out = Path(out)
    (out / "runs").mkdir(parents=True, exist_ok=True)
    for folder in map(Path, folders):
        for key in first["run_keys"]:
            if run_status(folder, key) == "done" and run_status(out, key) != "done":
                # the table before the record, as when a run is written
                atomic_write_bytes(out / "runs" / f"{key}.parquet", (folder / "runs" / f"{key}.parquet").read_bytes())
                atomic_write_bytes(out / "runs" / f"{key}.json", (folder / "runs" / f"{key}.json").read_bytes())
            elif run_status(folder, key) == "failed" and run_status(out, key) is None:
                atomic_write_bytes(out / "runs" / f"{key}.json", (folder / "runs" / f"{key}.json").read_bytes())
    design = Design.model_validate(first["design"])
    identity = {k: first[k] for k in ("code_version", "dataset", "dataset_hash", "scenario_hash")}
    return assemble(out, Plan(design, Scenario.model_validate(first["scenario"]), _runs_of(design, first), identity,
                              first["indicators"]))


def _runs_of(design: Design, manifest: dict) -> list[Run]:
    """The runs of a manifest's design (keys as recorded: the code that made them decides)."""
    points = design.points()
    s = design.sweep
    pairs = [(i, r) for i in range(len(points)) for r in range(s.replications)]
    return [Run(key, i, r, replication_seed(s.seed, r), points[i])
            for key, (i, r) in zip(manifest["run_keys"], pairs)]


def _short(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, default=str) if not isinstance(value, str) else value
    return text if len(text) <= 40 else text[:37] + "..."
