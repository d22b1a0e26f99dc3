"""Command line: ``socialsim run``, ``compare``, ``plot``, ``verify``, ``benchmark``, ``sweep``,
``merge``, ``summarize``, ``sensitivity``, ``optimize``, ``calibrate``, ``ensemble``, ``dashboard``
and ``params`` (also ``python -m simulation``). Bad input ends with one line naming the problem and
exit status 2; a folder that fails ``verify`` with one line per problem and exit status 1.

At about 470 lines this module is longer than most: it is the one parser and its fourteen short
handlers, each turning options into a call of the module that does the work; kept together so
that a command's options and what they do are read in one place."""

from __future__ import annotations

import argparse
import atexit
import gc
import signal
import sys
from pathlib import Path

from .dataset import DatasetError
from .model import check_seed
from .run_folder import RESULTS, RunFolderError, default_folder, safe_name
from .scenario import SECTIONS, AreaOverrides, Scenario, ScenarioError, allowed_values


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="socialsim", description=__doc__.split("\n\n")[0])  # (not the note on length)
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run a scenario and write yearly/monthly tables, a manifest and a figure")
    run.add_argument("scenario", nargs="?", default="baseline",
                     help="scenario file, or a name: your experiments/scenarios or the named scenarios (default: baseline)")
    run.add_argument("--seed", type=int, default=1,
                     help="base seed (0..2**63-1); replication r uses the model seed replication_seed(seed, r)")
    run.add_argument("--out", type=Path, default=None,
                     help="output folder; resumes the same run in it (default: results/<scenario name>, "
                          "or results/<name>-2, ... if that holds a run)")
    run.add_argument("--overwrite", action="store_true",
                     help="replace the results of a different run in --out instead of refusing")
    run.add_argument("--scale", type=float, default=None, help="population scale (shortcut for --set run.scale=F)")
    run.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                     help="override a parameter, e.g. --set demography.fertility_multiplier=1.1 (repeatable)")
    run.add_argument("--replications", type=int, default=1, help="number of replications")
    run.add_argument("--workers", type=int, default=1,
                     help="parallel worker processes for replications (at most one per replication and core)")
    run.add_argument("--no-figure", action="store_true", help="skip the summary figure")
    run.add_argument("--quiet", action="store_true", help="no progress output")

    comp = sub.add_parser("compare", help="a scenario against its baseline with the same seeds, with the payback year")
    comp.add_argument("base", help="baseline scenario (file or name)")
    comp.add_argument("scenario", help="scenario to compare (file or name)")
    comp.add_argument("--seed", type=int, default=1)
    comp.add_argument("--replications", type=int, default=1)
    comp.add_argument("--workers", type=int, default=1)
    comp.add_argument("--scale", type=float, default=None)
    comp.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                      help="override a parameter in both scenarios")
    comp.add_argument("--out", type=Path, default=None,
                      help="output folder (default: results/compare_<base>_<scenario>, or -2, ... if that holds a run)")
    comp.add_argument("--overwrite", action="store_true", help="replace a different run's results in --out")
    comp.add_argument("--quiet", action="store_true")

    plot = sub.add_parser("plot", help="write the standard figures of a results folder into DIR/figures")
    plot.add_argument("folder", type=Path, metavar="DIR", help="output folder of `socialsim run` or `socialsim compare`")
    plot.add_argument("--lang", default="en", help="labels in en (English) or nl (Dutch)")
    plot.add_argument("--format", default="png,svg", help="comma-separated formats: png, svg, pdf (default: png,svg)")

    ver = sub.add_parser("verify", help="check a run folder against its manifest and re-run one replication")
    ver.add_argument("folder", type=Path, help="a folder written by `socialsim run`")
    ver.add_argument("--replication", type=int, default=None,
                     help="the replication to run again (default: one drawn at random)")
    ver.add_argument("--no-rerun", action="store_true", help="only check the files' SHA-256")

    bench = sub.add_parser("benchmark", help="time the model and print one JSON line")
    bench.add_argument("--scale", type=float, default=1.0)
    bench.add_argument("--start", type=int, default=2016)
    bench.add_argument("--end", type=int, default=2050)
    bench.add_argument("--repeat", type=int, default=1, help="repeat and report the medians")
    bench.add_argument("--seed", type=int, default=1)
    bench.add_argument("--reference", action="store_true",
                       help="also time the idiomatic Mesa reference (simulation/benchmark_reference.py) on as many persons")
    bench.add_argument("--reference-months", type=int, default=24)
    bench.add_argument("--sweep", type=int, default=0, metavar="N",
                       help="also time N runs on one and on two worker processes (sweep throughput)")

    swp = sub.add_parser("sweep", help="run a design (grid or sample of parameters x replications); resumable")
    swp.add_argument("design", type=Path, help="design file (TOML; see experiments/designs)")
    swp.add_argument("--out", type=Path, default=None, help="output folder (default: results/sweep_<design name>)")
    swp.add_argument("--workers", type=int, default=None, help="local worker processes (default: the cores)")
    swp.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                     help="run on a Dask distributed cluster instead of local processes")
    swp.add_argument("--part", default=None, metavar="K/N", help="run only part K of N (one per machine; then merge)")
    swp.add_argument("--quiet", action="store_true")

    mrg = sub.add_parser("merge", help="join sweep folders of one design (made on several machines)")
    mrg.add_argument("folders", type=Path, nargs="+", help="sweep folders")
    mrg.add_argument("--out", type=Path, required=True, help="folder of the merged sweep")
    mrg.add_argument("--force", action="store_true", help="merge even if designs or code versions differ")

    summ = sub.add_parser("summarize", help="means and 95%% intervals across replications of a run or sweep folder")
    summ.add_argument("folder", type=Path, help="a `socialsim run` folder or a sweep folder")
    summ.add_argument("--indicator", dest="indicators", action="append", default=None, metavar="NAME",
                      help="an indicator to summarize (repeatable; default: the headline indicators)")
    summ.add_argument("--area", default="total", help="area shown (all areas are written; default: total)")

    sens = sub.add_parser("sensitivity", help="Morris screening or Sobol indices of the headline outputs over the "
                          "parameters' plausible ranges (table and figure)")
    sens.add_argument("scenario", nargs="?", default="baseline", help="scenario file or name (default: baseline)")
    sens.add_argument("--method", choices=["morris", "sobol"], default="morris")
    sens.add_argument("--n", type=int, default=10,
                      help="Morris trajectories, or the Sobol base sample (a power of 2); runs = n*(D+1) or n*(D+2) "
                           "design points x replications")
    sens.add_argument("--parameters", nargs="+", metavar="SECTION.NAME", default=None,
                      help="parameters to vary (default: every one with a plausible range, see socialsim params)")
    sens.add_argument("--group", default=None, metavar="SECTION", help="only the parameters of one section, e.g. informal_care")
    sens.add_argument("--at", nargs="+", type=int, default=[2030, 2040], metavar="YEAR",
                      help="years of the outputs analysed (default: 2030 2040)")
    _experiment_options(sens, "results/sensitivity")

    opt = sub.add_parser("optimize", help="the cheapest mix of the plan's levers that reaches a target "
                         "(optuna), with the Pareto front of cost against the indicator")
    opt.add_argument("scenario", nargs="?", default="baseline", help="scenario file or name (default: baseline)")
    opt.add_argument("--target", type=float, default=0.40, help="indicator to reach (default: 0.40)")
    opt.add_argument("--target-year", type=int, default=2030, help="year it must be reached in (default: 2030)")
    opt.add_argument("--trials", type=int, default=40, help="lever mixes tried, the baseline first (default: 40)")
    _experiment_options(opt, "results/optimize")
    cal = sub.add_parser("calibrate", help="fit the uncertain parameters to observed figures (optuna), with a "
                         "validation on figures held out; writes the fitted scenario, a report and the ODD page")
    cal.add_argument("config", nargs="?", type=Path, default=Path("experiments/calibration/calibration.toml"),
                     help="calibration file (default: experiments/calibration/calibration.toml)")
    cal.add_argument("--trials", type=int, default=None, help="parameter sets tried (default: the file's)")
    cal.add_argument("--scale", type=float, default=None, help="population scale (default: the file's)")
    cal.add_argument("--years", nargs=2, type=int, default=None, metavar=("START", "END"),
                     help="simulated years (default: the file's)")
    cal.add_argument("--replications", type=int, default=None, help="seeds per trial, the same for every trial "
                     "(default: the file's)")
    cal.add_argument("--seed", type=int, default=None, help="seed of the sampler and the replications (default: the file's)")
    cal.add_argument("--workers", type=int, default=1, help="local worker processes")
    cal.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                     help="run on a Dask distributed cluster instead of local processes")
    cal.add_argument("--out", type=Path, default=Path("results/calibration"),
                     help="folder of the report, the trials and the study journal (default: results/calibration; "
                          "the same folder continues an interrupted calibration)")
    cal.add_argument("--quiet", action="store_true", help="no progress output")
    ens = sub.add_parser("ensemble", help="a scenario (or two, compared) over the fitted parameter sets x seeds: "
                         "intervals with the parameters' and the stochastic uncertainty")
    ens.add_argument("base", help="scenario file or name (e.g. baseline)")
    ens.add_argument("scenario", nargs="?", default=None,
                     help="a scenario to compare with BASE, paired by parameter set and seed (optional)")
    ens.add_argument("--members", type=Path, default=None, metavar="FILE_OR_DIR",
                     help="the ensemble: a CSV of fitted parameter sets or a `socialsim calibrate` output folder "
                          "(default: the one shipped with the fitted scenario)")
    ens.add_argument("--indicator", dest="indicators", action="append", default=None, metavar="NAME",
                     help="an indicator to summarize (repeatable; default: the headline indicators)")
    _experiment_options(ens, "results/ensemble")
    dash = sub.add_parser("dashboard", help="the workshop dashboard in the browser (Solara, works offline)")
    dash.add_argument("--host", default="127.0.0.1", help="address to listen on (default: this computer only)")
    dash.add_argument("--port", type=int, default=8765)
    dash.add_argument("--open", action="store_true", help="open the page in the default browser")

    params = sub.add_parser("params", help="list every parameter with unit, default, range and source")
    params.add_argument("--markdown", action="store_true", help="as a Markdown table")
    params.add_argument("--toml", action="store_true", help="as a complete scenario file with every default")
    return parser


def _experiment_options(parser: argparse.ArgumentParser, out: str) -> None:
    """Options every design-running command shares."""
    parser.add_argument("--scale", type=float, default=None, help="population scale (default: the scenario's)")
    parser.add_argument("--years", nargs=2, type=int, default=None, metavar=("START", "END"),
                        help="simulated years (default: the scenario's)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the design and of the replications' seeds")
    parser.add_argument("--replications", type=int, default=2, help="seeds per design point (common to all points)")
    parser.add_argument("--workers", type=int, default=1, help="local worker processes")
    parser.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                        help="run on a Dask distributed cluster instead of local processes")
    parser.add_argument("--out", type=Path, default=Path(out), help=f"output folder (default: {out})")
    parser.add_argument("--quiet", action="store_true", help="no progress output")


def _positive(name: str, value: int) -> None:
    if value < 1:
        raise ScenarioError(f"--{name} = {value}: must be at least 1")


def _output_folder(given: Path | None, name: str, quiet: bool) -> Path:
    """``--out`` as given, or a default folder under results/ that holds no earlier run."""
    if given is not None:
        return given
    out, usual = default_folder(name), RESULTS / safe_name(name)
    if out != usual and not quiet:
        print(f"writing to {out} ({usual} holds an earlier run; --out {usual} resumes or, with --overwrite, "
              "replaces it)", file=sys.stderr)
    return out


def _notes(scenario: Scenario, quiet: bool) -> None:
    if not quiet:
        for line in scenario.policies_after_end():
            print(f"socialsim: note: {line}", file=sys.stderr)


def cmd_run(args) -> int:
    from .compilation import warm_kernels
    from .runner import run

    _positive("replications", args.replications)
    _positive("workers", args.workers)
    check_seed("--seed", args.seed)
    overrides = list(args.overrides)
    if args.scale is not None:
        overrides.append(f"run.scale={args.scale}")
    scenario = Scenario.load(args.scenario, overrides)
    _notes(scenario, args.quiet)
    out = args.out = _output_folder(args.out, scenario.scenario.name, args.quiet)
    warm_kernels(args.quiet)  # says so when it compiles; replications' workers then find them cached
    manifest = run(scenario, out, seed=args.seed, replications=args.replications, workers=args.workers,
                   figure=not args.no_figure, quiet=args.quiet, overwrite=args.overwrite)
    if not args.quiet:
        print(f"wrote {out}/yearly.parquet, monthly.parquet, manifest.json"
              + ("" if args.no_figure else ", summary.png") + f" in {manifest['wall_time_s']:.1f} s")
    return 0


def cmd_compare(args) -> int:
    from .compare import compare

    _positive("replications", args.replications)
    _positive("workers", args.workers)
    check_seed("--seed", args.seed)
    overrides = list(args.overrides) + ([f"run.scale={args.scale}"] if args.scale is not None else [])
    out = args.out = _output_folder(args.out, f"compare_{Path(args.base).stem}_{Path(args.scenario).stem}",
                                    args.quiet)
    result = compare(args.base, args.scenario, out, seed=args.seed, replications=args.replications,
                     workers=args.workers, overrides=overrides, quiet=args.quiet, overwrite=args.overwrite)
    t = result["table"]
    cols = ["year", "requests_base", "requests_scenario", "avoided_requests", "informal_share_base",
            "informal_share_scenario", "net_cost_eur", "cumulative_net_cost_eur"]
    shown = t[(t.year - t.year.min()) % 5 == 0] if len(t) > 12 else t
    print(f"{result['scenario']} vs {result['base']} (seed {args.seed}, {args.replications} replication(s), "
          "same random numbers)")
    print(shown[cols].round(3).to_string(index=False))
    print(result["payback"])
    print(f"wrote {out}/compare.parquet, compare.json and compare.png")
    return 0


def cmd_plot(args) -> int:
    from .plots import write_standard

    paths = write_standard(args.folder, tuple(f.strip() for f in args.format.split(",") if f.strip()), args.lang)
    print(f"wrote {len(paths)} files to {args.folder / 'figures'}")
    return 0


def cmd_benchmark(args) -> int:
    from .benchmark import main_json

    _positive("repeat", args.repeat)
    _positive("reference-months", args.reference_months)
    check_seed("--seed", args.seed)
    if args.sweep < 0:
        raise ScenarioError(f"--sweep = {args.sweep}: must be 0 (no sweep) or more")
    main_json(scale=args.scale, start=args.start, end=args.end, repeat=args.repeat, seed=args.seed,
              reference=args.reference, reference_months=args.reference_months, sweep=args.sweep)
    return 0


def cmd_verify(args) -> int:
    from .verify import verify

    problems, summary = verify(args.folder, rerun=not args.no_rerun, replication=args.replication)
    for line in problems:
        print(f"socialsim: verify: {line}", file=sys.stderr)
    if problems:
        return 1
    print(f"{args.folder}: ok, {summary}")
    return 0


def cmd_sweep(args) -> int:
    from .sweep import Design, sweep

    part = None
    if args.part is not None:
        k, _, n = args.part.partition("/")
        if not (k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
            raise ScenarioError(f"--part {args.part!r}: expected K/N with 1 <= K <= N, e.g. 1/3")
        part = (int(k), int(n))
    if args.workers is not None:
        _positive("workers", args.workers)
    design = Design.load(args.design)
    out = args.out or Path("results") / f"sweep_{design.sweep.name}"
    manifest = sweep(design, out, workers=args.workers, scheduler=args.scheduler, part=part, quiet=args.quiet)
    print(f"{manifest['done']} of {manifest['runs']} runs done, {len(manifest['failed'])} failed, "
          f"{manifest['missing']} missing; wrote {out}/sweep.parquet, manifest.json")
    return 1 if manifest["failed"] else 0


def cmd_merge(args) -> int:
    from .sweep import merge

    manifest = merge(args.folders, args.out, force=args.force)
    print(f"{manifest['done']} of {manifest['runs']} runs, {manifest['missing']} missing; wrote {args.out}/sweep.parquet")
    return 0


def cmd_summarize(args) -> int:
    from .summarize import summarize

    table = summarize(args.folder, args.indicators)
    shown = table[table.area == args.area]
    if shown.empty:
        raise ScenarioError(f"--area {args.area!r}: not in {args.folder}; allowed: {', '.join(table.area.unique())}")
    years = sorted(shown.year.unique())
    if len(years) > 12:  # every fifth year and the last
        shown = shown[shown.year.isin(years[::5] + years[-1:])]
    print(shown.drop(columns="area").to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    print(f"wrote {args.folder}/summary.csv (all areas and years)")
    return 0


def cmd_sensitivity(args) -> int:
    from .sensitivity import sensitivity

    check_seed("--seed", args.seed)
    table = sensitivity(args.out, method=args.method, n=args.n, parameters=args.parameters, group=args.group,
                        scenario=args.scenario, scale=args.scale, years=tuple(args.years) if args.years else None,
                        at=args.at, seed=args.seed, replications=args.replications, workers=args.workers,
                        scheduler=args.scheduler, quiet=args.quiet)
    if not args.quiet:
        key = "mu_star" if args.method == "morris" else "ST"
        top = table.sort_values(key, ascending=False).groupby(["output", "year"], sort=False).head(3)
        print(top[["output", "year", "parameter", key]].to_string(index=False))
        print(f"wrote {args.out}/indices.csv, indices.parquet, indices.md, sensitivity.png, runs.parquet")
    return 0


def cmd_optimize(args) -> int:
    from .optimize import optimize

    check_seed("--seed", args.seed)
    optimize(args.out, target=args.target, target_year=args.target_year, scenario=args.scenario,
             scale=args.scale, years=tuple(args.years) if args.years else None, trials=args.trials,
             seed=args.seed, replications=args.replications, workers=args.workers, scheduler=args.scheduler,
             quiet=args.quiet)
    if not args.quiet:
        print((args.out / "report.md").read_text().split("## Pareto")[0].strip())
        print(f"wrote {args.out}/report.md, trials.csv, pareto.csv, best.json, optimize.png, runs.parquet")
    return 0


def cmd_calibrate(args) -> int:
    from .calibration import calibrate

    if args.seed is not None:
        check_seed("--seed", args.seed)
    summary = calibrate(args.config, args.out, trials=args.trials, scale=args.scale,
                        years=tuple(args.years) if args.years else None, replications=args.replications,
                        seed=args.seed, workers=args.workers, scheduler=args.scheduler, quiet=args.quiet)
    if not args.quiet:
        met = summary["met"]
        print(f"fit targets met: {met['fit'][0]} of {met['fit'][1]}; validation: {met['validation'][0]} of "
              f"{met['validation'][1]}; distance {summary['check_distance']:.2f}")
        if summary["unexplained"]:
            print("missed with no explanation yet (add a line each to the explanations table): "
                  + ", ".join(summary["unexplained"]))
        print(f"wrote {args.out}/report.md, calibration.png, targets_vs_model.csv, trials.csv, fitted_ranges.csv, "
              "summary.json, ensemble.csv and the fitted scenario")
    return 0


def cmd_ensemble(args) -> int:
    from .ensemble import ENSEMBLE, ensemble

    _positive("workers", args.workers)
    check_seed("--seed", args.seed)
    scenarios = [args.base] + ([args.scenario] if args.scenario else [])
    result = ensemble(scenarios, args.out, members=args.members or ENSEMBLE, scale=args.scale,
                      years=tuple(args.years) if args.years else None, replications=args.replications,
                      seed=args.seed, indicators=args.indicators, workers=args.workers, scheduler=args.scheduler,
                      quiet=args.quiet)
    table = result.get("difference", result["summary"])
    last = table[(table.area == "total") & (table.year == table.year.max())]
    scale = args.scale if args.scale is not None else Scenario.load(args.base).run.scale
    if scale != 1:  # the tables keep the sample's counts, like a sweep's: say so beside them
        print(f"counts and money of the {scale:g} sample (not scaled to the municipality)")
    print(last.drop(columns=["area"]).to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    print(f"wrote {args.out}/ensemble_summary.csv" + (", ensemble_difference.csv" if "difference" in result else "")
          + " (every area and year) and a sweep folder per scenario")
    return 0


def cmd_dashboard(args) -> int:
    from .dashboard.server import serve

    return serve(args.host, args.port, args.open)


def parameter_rows() -> list[dict]:
    rows = []
    for section, cls in [*SECTIONS.items(), ("areas.<name>", AreaOverrides)]:
        for name, info in cls.model_fields.items():
            extra = info.json_schema_extra or {}
            plausible = extra.get("plausible")
            rows.append({"parameter": f"{section}.{name}", "default": info.default, "unit": extra.get("unit", ""),
                         "allowed": allowed_values(info), "description": info.description, "source": extra.get("source", ""),
                         "plausible": f"{plausible[0]:g}..{plausible[1]:g}" if plausible else "",
                         "plausible_source": extra.get("plausible_source") or ""})
    return rows


def scenario_toml() -> str:
    """A scenario file restating every default, each with its unit and allowed range."""
    lines = []
    for section, cls in SECTIONS.items():
        lines.append(f"\n[{section}]")
        for name, info in cls.model_fields.items():
            value = info.default
            text = f'"{value}"' if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)
            unit = (info.json_schema_extra or {}).get("unit", "")
            lines.append(f"{name} = {text}".ljust(40) + f"# {unit}; {allowed_values(info)}")
    return "\n".join(lines).lstrip() + "\n"


def cmd_params(args) -> int:
    if args.toml:
        print(scenario_toml(), end="")
        return 0
    rows = parameter_rows()
    if args.markdown:
        columns = ("parameter", "default", "unit", "allowed", "plausible", "description", "source", "plausible_source")
        print("| " + " | ".join(columns) + " |")
        print("|" + "---|" * len(columns))
        for r in rows:
            print("| " + " | ".join(str(r[k]) for k in columns) + " |")
    else:
        for r in rows:
            plausible = f"\n    plausible {r['plausible']}: {r['plausible_source']}" if r["plausible"] else ""
            print(f"{r['parameter']} = {r['default']!r} [{r['unit']}] allowed {r['allowed']}\n    {r['description']}"
                  f"\n    source: {r['source']}{plausible}")
    return 0


def _plot_errors() -> tuple[type[Exception], ...]:
    """The plot library's error class if a command imported the library (matplotlib, which the
    commands that draw nothing should not pay for at start-up); else none could be raised."""
    plots = sys.modules.get(f"{__package__}.plots")
    return (plots.PlotError,) if plots else ()


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `socialsim params | head` ends quietly
    if argv is None:  # run as the program: its exit need not search the whole heap for garbage
        atexit.register(gc.freeze)  # cycles (about 0.5 s of processor time, more on a busy machine)
    args = _parser().parse_args(argv)
    try:
        commands = {"run": cmd_run, "params": cmd_params, "benchmark": cmd_benchmark, "compare": cmd_compare,
                    "verify": cmd_verify, "sweep": cmd_sweep, "merge": cmd_merge, "summarize": cmd_summarize,
                    "plot": cmd_plot, "sensitivity": cmd_sensitivity, "optimize": cmd_optimize,
                    "calibrate": cmd_calibrate, "ensemble": cmd_ensemble, "dashboard": cmd_dashboard}
        return commands[args.command](args)
    except (ScenarioError, DatasetError, RunFolderError, *_plot_errors()) as e:  # evaluated when raised
        print(f"socialsim: error: {e}", file=sys.stderr)
        return 2
    except OSError as e:  # disk full, permissions: the file and the reason
        print(f"socialsim: error: {e.filename or ''}: {e.strerror or e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        out = getattr(args, "out", None)
        kept = f"; finished replications are kept (--out {out} resumes)" if out is not None else ""
        print(f"socialsim: interrupted{kept}", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
