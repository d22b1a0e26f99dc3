"""The 40% ambition: which of the policy plan's levers reach an informal share of 0.40, when, and at
what carer burden and cost.

    python experiments/ambition_40.py [--scale 0.1] [--replications 3] [--years 2016 2040] [--workers 2]
                                      [--mix results/optimize/best.json]

Variants, all with the same seeds: the baseline; each lever of simulation/scenarios/ambition_40.toml
alone at the plan's final level from the first year; all of them together; the plan as dated in
that scenario (2017 and 2019); and, with --mix, a lever mix found by `socialsim optimize`.
Writes report.md, summary.csv, runs.parquet and ambition.png to results/experiments/ambition_40/.
"""

import json
from pathlib import Path

import numpy as np

from simulation import experiment
from simulation.levers import plan_levels

TARGET = 0.40
INDICATORS = ["informal_share", "informal_share_durable", "repeat_requests", "heavily_burdened_share", "carers_heavily_burdened", "cost_total_eur",
              "prevention_spend_eur", "unmet_need_persons"]


def first_year(runs, target: float):
    """Per variant and seed, the first year the informal share reaches the target (NaN if never)."""
    t = runs[runs.area == "total"].assign(reached=lambda d: d.informal_share >= target)
    first = t[t.reached].groupby(["variant", "seed"], observed=True).year.min()
    return first.reindex(t.groupby(["variant", "seed"], observed=True).size().index)


def main() -> None:
    args = experiment.options(__doc__, "ambition_40", extra=lambda p: p.add_argument(
        "--mix", type=Path, default=None, help="best.json of socialsim optimize: add its lever mix as a variant"))
    levels = plan_levels()
    variants = {"baseline": ("baseline", {})}
    variants |= {f"{name.split('.')[1]} = {value:g}": ("baseline", {name: value}) for name, value in levels.items()}
    variants["all levers"] = ("baseline", levels)
    variants["ambition_40 (dated)"] = ("ambition_40", {})
    if args.mix:
        variants["optimized mix"] = ("baseline", json.loads(args.mix.read_text())["mix"])
    runs = experiment.run_variants(variants, INDICATORS, **experiment.run_settings(args))
    s = experiment.summary(runs, INDICATORS, args.scale)
    first = first_year(runs, TARGET)
    when = first.groupby(level="variant", observed=True).agg(
        lambda y: "never" if y.isna().all() else
        f"{np.nanmedian(y):.0f} (replications {np.nanmin(y):.0f}-{np.nanmax(y):.0f}"
        + (f", {int(y.isna().sum())} never)" if y.isna().any() else ")"))
    years = experiment.report_years(args.years, (2021, 2030))
    table = experiment.at_years(s, years, ["informal_share", "informal_share_durable", "repeat_requests",
                                           "heavily_burdened_share", "cost_total_eur", "unmet_need_persons"])
    table.insert(0, f"first year >= {TARGET:g}", when)
    report = experiment.header(
        "The 40% ambition", args,
        "Which of the plan's levers bring the informal share (solved informally / resolved) to 0.40, when, "
        "and what it asks of carers and costs, beside the durable share and the requests made again after "
        "a carer derailed; every lever has its price (docs/levers.md). Levers alone and together act from the first year; "
        "'ambition_40 (dated)' follows the plan's dates.") + "\n" + table.to_markdown() + "\n"
    figures = {"ambition": experiment.lines(s, INDICATORS, "The 40% ambition: lever variants",
                                            refs={"informal_share": TARGET})}
    experiment.write(args.out, "ambition_40", runs, s, figures, report)


if __name__ == "__main__":
    main()
