"""Command line: ``socialsim run``, ``compare``, ``plot``, ``params``, ``benchmark`` (also ``python -m simulation``)."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from .dataset import DatasetError
from .plots import PlotError
from .scenario import SECTIONS, AreaOverrides, Scenario, ScenarioError, allowed_values


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="socialsim", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run a scenario and write yearly/monthly tables, a manifest and a figure")
    run.add_argument("scenario", nargs="?", default="baseline",
                     help="scenario file, or a name in experiments/scenarios (default: baseline)")
    run.add_argument("--seed", type=int, default=1, help="seed of replication 0; replication r uses seed+r")
    run.add_argument("--out", type=Path, default=None, help="output folder (default: results/<scenario name>)")
    run.add_argument("--scale", type=float, default=None, help="population scale (shortcut for --set run.scale=F)")
    run.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                     help="override a parameter, e.g. --set demography.fertility_multiplier=1.1 (repeatable)")
    run.add_argument("--replications", type=int, default=1, help="number of replications (seeds seed..seed+R-1)")
    run.add_argument("--workers", type=int, default=1, help="parallel worker processes for replications")
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
    comp.add_argument("--out", type=Path, default=None, help="output folder (default: results/compare_<base>_<scenario>)")
    comp.add_argument("--quiet", action="store_true")

    plot = sub.add_parser("plot", help="write the standard figures of a results folder into DIR/figures")
    plot.add_argument("folder", type=Path, metavar="DIR", help="output folder of `socialsim run` or `socialsim compare`")
    plot.add_argument("--lang", default="en", help="labels in en (English) or nl (Dutch)")
    plot.add_argument("--format", default="png,svg", help="comma-separated formats: png, svg, pdf (default: png,svg)")

    bench = sub.add_parser("benchmark", help="time the model and print one JSON line")
    bench.add_argument("--scale", type=float, default=1.0)
    bench.add_argument("--start", type=int, default=2016)
    bench.add_argument("--end", type=int, default=2050)
    bench.add_argument("--repeat", type=int, default=1, help="repeat and report the medians")
    bench.add_argument("--seed", type=int, default=1)
    bench.add_argument("--reference", action="store_true",
                       help="also time the idiomatic Mesa reference (experiments/benchmark) on as many persons")
    bench.add_argument("--reference-months", type=int, default=24)
    bench.add_argument("--sweep", type=int, default=0, metavar="N",
                       help="also time N runs on one and on two worker processes (sweep throughput)")

    dash = sub.add_parser("dashboard", help="the workshop dashboard in the browser (Solara, works offline)")
    dash.add_argument("--host", default="127.0.0.1", help="address to listen on (default: this computer only)")
    dash.add_argument("--port", type=int, default=8765)
    dash.add_argument("--open", action="store_true", help="open the page in the default browser")

    params = sub.add_parser("params", help="list every parameter with unit, default, range and source")
    params.add_argument("--markdown", action="store_true", help="as a Markdown table")
    params.add_argument("--toml", action="store_true", help="as a complete scenario file with every default")
    return parser


def _positive(name: str, value: int) -> None:
    if value < 1:
        raise ScenarioError(f"--{name} = {value}: must be at least 1")


def cmd_run(args) -> int:
    from .runner import run

    _positive("replications", args.replications)
    _positive("workers", args.workers)
    overrides = list(args.overrides)
    if args.scale is not None:
        overrides.append(f"run.scale={args.scale}")
    scenario = Scenario.load(args.scenario, overrides)
    out = args.out or Path("results") / scenario.scenario.name
    manifest = run(scenario, out, seed=args.seed, replications=args.replications, workers=args.workers,
                   figure=not args.no_figure, quiet=args.quiet)
    if not args.quiet:
        print(f"wrote {out}/yearly.parquet, monthly.parquet, manifest.json"
              + ("" if args.no_figure else ", summary.png") + f" in {manifest['wall_time_s']:.1f} s")
    return 0


def cmd_compare(args) -> int:
    from .compare import compare

    _positive("replications", args.replications)
    overrides = list(args.overrides) + ([f"run.scale={args.scale}"] if args.scale is not None else [])
    out = args.out or Path("results") / f"compare_{Path(args.base).stem}_{Path(args.scenario).stem}"
    result = compare(args.base, args.scenario, out, seed=args.seed, replications=args.replications,
                     workers=args.workers, overrides=overrides, quiet=args.quiet)
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
    if args.sweep < 0:
        raise ScenarioError(f"--sweep = {args.sweep}: must be 0 (no sweep) or more")
    main_json(scale=args.scale, start=args.start, end=args.end, repeat=args.repeat, seed=args.seed,
              reference=args.reference, reference_months=args.reference_months, sweep=args.sweep)
    return 0


def cmd_dashboard(args) -> int:
    from .dashboard.server import serve

    return serve(args.host, args.port, args.open)


def parameter_rows() -> list[dict]:
    rows = []
    for section, cls in [*SECTIONS.items(), ("areas.<name>", AreaOverrides)]:
        for name, info in cls.model_fields.items():
            extra = info.json_schema_extra or {}
            rows.append({"parameter": f"{section}.{name}", "default": info.default, "unit": extra.get("unit", ""),
                         "allowed": allowed_values(info), "description": info.description, "source": extra.get("source", "")})
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
        print("| parameter | default | unit | allowed | description | source |")
        print("|---|---|---|---|---|---|")
        for r in rows:
            print("| " + " | ".join(str(r[k]) for k in ("parameter", "default", "unit", "allowed", "description", "source")) + " |")
    else:
        for r in rows:
            print(f"{r['parameter']} = {r['default']!r} [{r['unit']}] allowed {r['allowed']}\n    {r['description']}\n    source: {r['source']}")
    return 0


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `socialsim params | head` ends quietly
    args = _parser().parse_args(argv)
    try:
        commands = {"run": cmd_run, "params": cmd_params, "benchmark": cmd_benchmark, "compare": cmd_compare,
                    "plot": cmd_plot, "dashboard": cmd_dashboard}
        return commands[args.command](args)
    except (ScenarioError, DatasetError, PlotError) as e:
        print(f"socialsim: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
