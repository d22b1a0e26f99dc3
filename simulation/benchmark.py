"""``socialsim benchmark``: time the model and print one JSON line.

Timing belongs here, in a script a person runs on a quiet machine, never in unit tests.
Before timing, a short run at 2% scale compiles the kernels (numba caches them on disk, so
only the first run after an install or a code change compiles) and loads them into the process;
its time is reported as ``compile_s``, apart from ``setup_s`` and ``step_s``.
``--reference`` also runs the idiomatic Mesa implementation of the core monthly loop in
``benchmark_reference.py`` on the same population size, so the speed-up is
measured side by side in one run. ``step_cpu_s`` (and ``speedup_cpu``) count the processor time
of this process: on a machine shared with other work they vary far less than wall time. The
reference is timed over its first ``--reference-months``, the model over the whole run, whose
later months cost more (more old residents and clients, more ids); ``speedup_same_months``
compares the model's first months with the reference's, like for like. With ``--repeat``, each
run of the model is followed by one of the reference, and ``speedup_cpu_pairs`` gives each pair's
ratio: their spread shows how far the machine's speed drifted. ``--sweep N`` times a sweep of N
runs (seeds) with one and with two worker processes, for the throughput of parallel sweeps.
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor

from . import __version__
from .model import SocialDomainModel

def peak_rss_mb() -> float:
    """Peak resident memory of this process (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def time_model(scale: float, start: int, end: int, seed: int, first_months: int = 0) -> dict:
    """Setup and step times of a baseline run; ``first_s``: the steps of its first
    ``first_months`` months (within the same run)."""
    t0 = time.perf_counter()
    model = SocialDomainModel("baseline", rng=seed, scale=scale, start_year=start, end_year=end)
    t1, c1 = time.perf_counter(), time.process_time()
    first = t1
    while model.running:
        model.step()
        if model.clock.month == first_months:
            first = time.perf_counter()
    t2, c2 = time.perf_counter(), time.process_time()
    return {"persons": int(model.recorder.monthly_stocks[0][0].sum()),
            "households": int(model.recorder.monthly_stocks[0][1].sum()),
            "months": model.n_months, "setup_s": t1 - t0, "step_s": t2 - t1, "step_cpu_s": c2 - c1,
            "first_s": first - t1}


def compile_kernels(start: int, end: int, seed: int) -> float:
    """Seconds for a run of up to three years at 2% scale: the kernels the timed runs call are
    compiled (or read from the disk cache) and loaded by then (but for one that only a rare
    event calls, such as fostering orphans, if the short run has none)."""
    t0 = time.perf_counter()
    SocialDomainModel("baseline", rng=seed, scale=0.02, start_year=start, end_year=min(start + 2, end)).run()
    return time.perf_counter() - t0


def time_sweep(runs: int, workers: int, scale: float, start: int, end: int, seed: int) -> float:
    """Seconds for ``runs`` whole runs (seeds seed, seed+1, ...) on ``workers`` processes."""
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(time_model, [scale] * runs, [start] * runs, [end] * runs, range(seed, seed + runs)))
    return time.perf_counter() - t0


def time_reference(persons: int, months: int, seed: int) -> dict:
    from .benchmark_reference import ReferenceModel

    t0 = time.perf_counter()
    model = ReferenceModel(n_persons=persons, rng=seed)
    t1, c1 = time.perf_counter(), time.process_time()
    for _ in range(months):
        model.step()
    t2, c2 = time.perf_counter(), time.process_time()
    return {"setup_s": t1 - t0, "step_s": t2 - t1, "step_cpu_s": c2 - c1}


def benchmark(scale: float = 1.0, start: int = 2016, end: int = 2050, repeat: int = 1, seed: int = 1,
              reference: bool = False, reference_months: int = 24, sweep: int = 0) -> dict:
    compile_s = compile_kernels(start, end, seed)
    first_months = min(reference_months, (end - start + 1) * 12) if reference else 0
    # with the reference, each run of the model is followed by one of the reference, so that a
    # pair meets the machine in the same minute (a shared machine's speed drifts by up to a third)
    runs, ref = [], []
    for _ in range(repeat):
        runs.append(time_model(scale, start, end, seed, first_months))
        if reference:
            ref.append(time_reference(runs[-1]["persons"], reference_months, seed))
    med = {k: statistics.median(r[k] for r in runs) for k in ("setup_s", "step_s", "step_cpu_s")}
    out = {"persons": runs[0]["persons"], "households": runs[0]["households"], "months": runs[0]["months"],
           "setup_s": round(med["setup_s"], 3), "step_s": round(med["step_s"], 3),
           "step_cpu_s": round(med["step_cpu_s"], 3), "wall_s": round(med["setup_s"] + med["step_s"], 3),
           "person_steps_per_s": round(runs[0]["persons"] * runs[0]["months"] / med["step_s"]),
           "repeat": repeat, "compile_s": round(compile_s, 3), "version": __version__}
    if reference:
        # the reference is far slower: fewer months are timed and rates compared
        ref_step = statistics.median(r["step_s"] for r in ref)
        ref_cpu = statistics.median(r["step_cpu_s"] for r in ref)
        out["reference_months"] = reference_months
        out["reference_step_s"] = round(ref_step, 3)
        out["reference_person_steps_per_s"] = round(out["persons"] * reference_months / ref_step)
        out["speedup"] = round(out["person_steps_per_s"] / out["reference_person_steps_per_s"], 1)
        out["reference_step_cpu_s"] = round(ref_cpu, 3)
        # per person-step in processor time: steadier than wall time on a shared machine
        def per_step(reference_s: float, model_s: float) -> float:
            return round(reference_s / reference_months / (model_s / out["months"]), 1)
        out["speedup_cpu"] = per_step(ref_cpu, med["step_cpu_s"])
        # each run against the reference run that followed it
        out["speedup_cpu_pairs"] = [per_step(r["step_cpu_s"], m["step_cpu_s"]) for m, r in zip(runs, ref)]
        # like for like: the model's first months (as many as the reference's, if the run has them)
        first = statistics.median(r["first_s"] for r in runs)
        out["first_months"] = first_months
        out["first_months_step_s"] = round(first, 3)
        out["speedup_same_months"] = round(ref_step / reference_months / (first / first_months), 1)
    if sweep:
        one, two = (time_sweep(sweep, w, scale, start, end, seed) for w in (1, 2))
        out.update({"sweep_runs": sweep, "sweep_1_worker_s": round(one, 3), "sweep_2_workers_s": round(two, 3),
                    "sweep_speedup": round(one / two, 2)})
    out["peak_rss_mb"] = round(peak_rss_mb(), 1)  # of this process (sweep workers are others)
    return out


def main_json(**kwargs) -> None:
    print(json.dumps(benchmark(**kwargs)))
