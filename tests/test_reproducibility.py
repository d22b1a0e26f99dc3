"""Same scenario and seed => identical tables, in-process and across processes (worker
processes: see tests/test_cli.py)."""

import functools

import pandas as pd

from simulation import SocialDomainModel
from simulation.cli import main

RUN = dict(scale=0.02, end_year=2020)


def tables(seed):
    m = SocialDomainModel(rng=seed, **RUN)
    m.run()
    return m.yearly(), m.monthly()


first_tables = functools.cache(tables)  # one run of a seed that two tests compare with others


def test_same_seed_gives_identical_tables_in_process():
    a, b = first_tables(3), tables(3)
    pd.testing.assert_frame_equal(a[0], b[0])
    pd.testing.assert_frame_equal(a[1], b[1])


def test_different_seed_gives_different_tables():
    a, b = first_tables(3), tables(4)
    assert not a[0].drop(columns="seed").equals(b[0].drop(columns="seed"))


def cli_run(out, seed):
    assert main(["run", "baseline", "--seed", str(seed), "--scale", "0.02", "--set", "run.end_year=2019",
                 "--out", str(out), "--quiet", "--no-figure"]) == 0


def test_same_seed_gives_byte_identical_files(tmp_path):
    cli_run(tmp_path / "a", 9)
    cli_run(tmp_path / "b", 9)
    for name in ("yearly.parquet", "monthly.parquet"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_random_streams_are_independent_per_process():
    """Switching births off changes births, not who dies in the first month."""
    a = SocialDomainModel(rng=5, scale=0.05, end_year=2016)
    b = SocialDomainModel(rng=5, scale=0.05, end_year=2016, fertility_multiplier=0.0)
    a.step()
    b.step()
    pa, pb = a.population.persons, b.population.persons
    n = min(pa.n, pb.n)
    assert (pa.alive[:n] == pb.alive[:n]).mean() > 0.99
    ma, mb = (m.monthly().query("area == 'total'").iloc[0] for m in (a, b))
    assert ma.deaths == mb.deaths
    assert mb.births == 0 < ma.births
