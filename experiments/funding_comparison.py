"""Population-based funding versus fee-for-service (and shared savings), 2016-2040.

    python experiments/funding_comparison.py [--seeds 3] [--scale 0.2] [--end 2040] [--out DIR]

Runs each funding scheme with the same seeds (common random numbers) and prints, per scheme,
prevention spending, the informal share, requests, cost and the reserve over 2017-2040, and the
difference from fee-for-service with its spread over the seeds. Writes the yearly tables to
DIR (default results/funding_comparison) as one Parquet file.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from simulation import SocialDomainModel

SCHEMES = ("population", "fee_for_service", "shared_savings")


def run(seeds: int, scale: float, end: int) -> pd.DataFrame:
    frames = []
    for scheme in SCHEMES:
        for seed in range(1, seeds + 1):
            m = SocialDomainModel("baseline", rng=seed, scale=scale, end_year=end, scheme=scheme)
            m.run()
            y = m.yearly().query("area == 'total'").copy()
            y["scheme"] = scheme
            frames.append(y)
    return pd.concat(frames, ignore_index=True)


def summary(df: pd.DataFrame, scale: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-scheme means, and the differences from fee-for-service (mean and spread over seeds)."""
    period = df[df.year >= 2017]
    per_seed = period.groupby(["scheme", "seed"]).agg(
        prevention_meur_per_year=("prevention_spend_eur", lambda s: s.mean() / scale / 1e6),
        informal_share=("informal_share", "mean"),
        requests_per_year=("requests", lambda s: s.mean() / scale),
        cost_meur_per_year=("cost_total_eur", lambda s: s.mean() / scale / 1e6),
        reserve_end_meur=("reserve_end_eur", lambda s: s.iloc[-1] / scale / 1e6),
    )
    diff = per_seed - per_seed.xs("fee_for_service", level="scheme")
    out = per_seed.groupby("scheme").mean()
    spread = diff.groupby("scheme").agg(["mean", "std"])
    return out, spread


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--scale", type=float, default=0.2)
    parser.add_argument("--end", type=int, default=2040)
    parser.add_argument("--out", type=Path, default=Path("results/funding_comparison"))
    args = parser.parse_args()
    df = run(args.seeds, args.scale, args.end)
    args.out.mkdir(parents=True, exist_ok=True)
    df.to_parquet(args.out / "yearly.parquet", index=False)
    means, spread = summary(df, args.scale)
    pd.set_option("display.width", 160)
    print(f"2017-{args.end}, mean per year over {args.seeds} seeds, scaled to the full municipality")
    print(means.round(3).to_string())
    print("\ndifference from fee_for_service (mean and standard deviation over seeds)")
    print(spread.round(3).to_string())


if __name__ == "__main__":
    main()
