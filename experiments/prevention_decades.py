"""Prevention over decades: a dose series of prevention money and the year it pays for itself.

    python experiments/prevention_decades.py [--scale 0.1] [--replications 3] [--years 2016 2050] [--workers 2]
                                             [--doses 0 10 25 50 100]

Each dose of prevention.budget_eur_per_resident (EUR per resident a year, from the first year) runs
with the same seeds as dose 0, so per seed the net cost of a dose is its care cost plus prevention
spending minus dose 0's. The payback year is the first year from which the cumulative net cost stays
at or below zero (as in `socialsim compare`), per replication; the report gives its median and range.
Writes report.md, summary.csv, runs.parquet, prevention.png and net_cost.png to
results/experiments/prevention_decades/.
"""

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simulation import experiment
from simulation.compare import payback_year
from simulation.summarize import interval

INDICATORS = ["cost_total_eur", "prevention_spend_eur", "requests", "informal_share", "unmet_need_persons"]


def net_cost(runs: pd.DataFrame, scale: float) -> pd.DataFrame:
    """Per dose, seed and year: net cost against dose 0 with the same seed, and its running sum
    (EUR, whole municipality)."""
    t = runs[runs.area == "total"].assign(spend=lambda d: (d.cost_total_eur + d.prevention_spend_eur) / scale)
    spend = t.pivot_table(index=["seed", "year"], columns="variant", values="spend", observed=True)
    net = spend.sub(spend.iloc[:, 0], axis=0).stack().rename("net_cost_eur").reset_index()
    net["cumulative_net_cost_eur"] = net.groupby(["variant", "seed"], observed=True).net_cost_eur.cumsum()
    return net


def paybacks(net: pd.DataFrame) -> pd.Series:
    """Per dose: 'median (replications min-max)' of the payback year, or how many never paid back."""
    def describe(g: pd.DataFrame) -> str:
        years = np.array([payback_year(s) or np.nan for _, s in g.groupby("seed")], dtype=float)
        if np.isnan(years).all():
            return f"none by {net.year.max()}"
        never = int(np.isnan(years).sum())
        return (f"{np.nanmedian(years):.0f} (replications {np.nanmin(years):.0f}-{np.nanmax(years):.0f}"
                + (f"; {never} not by {net.year.max()})" if never else ")"))
    return net[net.variant != net.variant.cat.categories[0]].groupby("variant", observed=True).apply(describe)


def main() -> None:
    args = experiment.options(__doc__, "prevention_decades", years=(2016, 2050), extra=lambda p: p.add_argument(
        "--doses", nargs="+", type=float, default=[0, 10, 25, 50, 100], help="EUR per resident a year (first: the reference)"))
    variants = {f"EUR {d:g}": ("baseline", {"prevention.budget_eur_per_resident": d}) for d in args.doses}
    runs = experiment.run_variants(variants, INDICATORS, **experiment.run_settings(args))
    s = experiment.summary(runs, INDICATORS, args.scale)
    net = net_cost(runs, args.scale)
    net_s = interval(net, ["variant", "year"], ["cumulative_net_cost_eur"])
    end = args.years[1]
    table = experiment.at_years(s, experiment.report_years(args.years, (2030,)),
                                ["requests", "informal_share", "unmet_need_persons"])
    table.insert(0, f"cumulative net cost to {end}", experiment.at_years(net_s, [end], ["cumulative_net_cost_eur"]))
    table.insert(0, "payback year", paybacks(net).reindex(table.index).fillna("(reference)"))
    report = experiment.header(
        "Prevention over decades", args,
        "A dose series of municipal prevention money (EUR per resident a year). Net cost = care cost + "
        "prevention spending minus the same at the first dose, same seeds; payback = the first year from which "
        "the cumulative net cost stays at or below zero.") + "\n" + table.to_markdown() + "\n"
    fig = Figure(figsize=(6.4, 4.2), layout="constrained")
    ax = fig.subplots()
    for i, (variant, v) in enumerate(net_s.groupby("variant", observed=True)):
        ax.plot(v.year, v["mean"] / 1e6, color=f"C{i}", label=str(variant))
        ax.fill_between(v.year, v.low / 1e6, v.high / 1e6, color=f"C{i}", alpha=0.2, lw=0)
    ax.axhline(0, color="k", lw=0.8)
    ax.set(xlabel="year", ylabel="cumulative net cost (EUR million)", title="Prevention: cumulative net cost, 95% bands")
    ax.legend(fontsize=7)
    figures = {"prevention": experiment.lines(s, INDICATORS, "Prevention dose series"), "net_cost": fig}
    experiment.write(args.out, "prevention_decades", runs, s, figures, report)


if __name__ == "__main__":
    main()
