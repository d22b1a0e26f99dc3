"""Customised clients by domain on 1 January of each year, for warm-ups of different lengths
(paired seeds): whether the stocks of long-lasting provisions start settled.

    python experiments/warm_up_stocks.py [--scale 0.25] [--seeds 1 2 3 4 5] [--warm-up 60 120]
                                         [--years 2016 2030] [--figure stocks.png]

Prints clients per 1,000 residents by domain and year, the mean over the seeds for each
warm-up length, and the run time of the model's construction (the warm-up) per length.
The clients are the residents whose problem is met by a customised provision (protected
living: a place); docs/odd/initialisation.md shows the table for 60 and 120 months.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from simulation import SocialDomainModel
from simulation.domain import DOMAINS, Status

PROVIDED = (Status.CUSTOM, Status.PROTECTED)


def january_stocks(model) -> dict[str, float]:
    """Customised clients per 1,000 residents by domain, now."""
    p = model.population.persons
    ids, status = model.needs.clients_and_statuses()
    domain = p.need_domain[ids][np.isin(status, PROVIDED)]
    residents = p.alive[: p.n].sum()
    counts = np.bincount(domain[domain >= 0], minlength=len(DOMAINS))
    return {d.name: 1000 * counts[i] / residents for i, d in enumerate(DOMAINS) if d.name != "debt_help"}


def run(seed: int, warm_up: int, scale: float, years: tuple[int, int]) -> tuple[pd.DataFrame, float]:
    start = time.perf_counter()
    model = SocialDomainModel("baseline", rng=seed, scale=scale, end_year=years[1], warm_up_months=warm_up)
    built = time.perf_counter() - start
    rows = []
    while True:
        rows.append({"year": model.now // 12, **january_stocks(model)})
        if not model.running:
            break
        for _ in range(12):
            model.step()
    return pd.DataFrame(rows).query("year <= @years[1]").assign(seed=seed, warm_up=warm_up), built


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.25)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--warm-up", type=int, nargs="+", default=[60, 120], help="warm-up lengths in months")
    parser.add_argument("--years", type=int, nargs=2, default=[2016, 2030])
    parser.add_argument("--figure", help="write a figure of the stocks to this PNG")
    args = parser.parse_args()
    tables, seconds = [], {}
    for warm_up in args.warm_up:
        for seed in args.seeds:
            table, built = run(seed, warm_up, args.scale, tuple(args.years))
            tables.append(table)
            seconds.setdefault(warm_up, []).append(built)
    stocks = pd.concat(tables)
    mean = stocks.drop(columns="seed").groupby(["warm_up", "year"]).mean()
    print(f"Customised clients per 1,000 residents on 1 January, mean of seeds {args.seeds}, scale {args.scale}")
    print(mean.round(2).to_string())
    for warm_up, s in seconds.items():
        print(f"warm-up {warm_up} months: model built in {np.median(s):.2f} s (median of {len(s)})")
    if args.figure:
        import matplotlib.pyplot as plt

        domains = list(mean.columns)
        fig, axes = plt.subplots(2, (len(domains) + 1) // 2, figsize=(10, 5.5), sharex=True)
        axes = axes.ravel()
        for ax, domain in zip(axes, domains):
            for warm_up in args.warm_up:
                ax.plot(mean.loc[warm_up].index, mean.loc[warm_up, domain], label=f"{warm_up} months")
            ax.set_title(domain.replace("_", " "), fontsize=9)
        axes[0].set_ylabel("clients per 1,000 on 1 January")
        axes[0].legend(title="warm-up", fontsize=8)
        fig.tight_layout()
        fig.savefig(args.figure, dpi=100)


if __name__ == "__main__":
    main()
