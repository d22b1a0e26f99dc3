"""Golden output: a 5% Emmen baseline, 2016-2020, seed 1, reproduces the stored yearly and
monthly tables in ``tests/golden/``.

Refactors and speed work must leave this test passing unchanged. When a change is *meant* to
alter results, regenerate the reference deliberately and say why in the commit message::

    SOCIALSIM_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py

A failure names the columns that differ and the years (and areas) where they do.
"""

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation import SocialDomainModel

GOLDEN = Path(__file__).parent / "golden"
RUN = dict(scale=0.05, start_year=2016, end_year=2020)
SEED = 1
UPDATE = os.environ.get("SOCIALSIM_UPDATE_GOLDEN") == "1"
KEYS = {"yearly": ["year", "area"], "monthly": ["year", "month", "area"]}


@pytest.fixture(scope="module")
def golden_run():
    model = SocialDomainModel("baseline", rng=SEED, **RUN)
    model.run()
    return {"yearly": model.yearly(), "monthly": model.monthly()}


def _differences(actual: pd.DataFrame, expected: pd.DataFrame, keys: list[str]) -> list[str]:
    """One line per differing column: where it differs and the first differing values."""
    problems = []
    missing = [c for c in expected.columns if c not in actual.columns]
    added = [c for c in actual.columns if c not in expected.columns]
    if missing:
        problems.append(f"columns missing: {missing}")
    if added:
        problems.append(f"columns added: {added}")
    if len(actual) != len(expected):
        return problems + [f"{len(actual)} rows, expected {len(expected)}"]
    for column in (c for c in expected.columns if c in actual.columns):
        a, e = actual[column].to_numpy(), expected[column].to_numpy()
        if a.dtype.kind == "f" or e.dtype.kind == "f":
            a, e = a.astype(float), e.astype(float)
            # a relative 1e-12 absorbs the last bit a different CPU may round differently;
            # any change of behaviour moves a count and so far more than that
            same = np.isclose(a, e, rtol=1e-12, atol=0.0) | (np.isnan(a) & np.isnan(e))
        else:
            same = a.astype(str) == e.astype(str)
        if not same.all():
            where = expected.loc[~same, keys]
            first = np.flatnonzero(~same)[0]
            at = ", ".join(f"{k} {expected[k].iloc[first]}" for k in keys)
            problems.append(
                f"{column}: differs in {len(where)} rows, years {sorted(set(where.year.tolist()))}, "
                f"areas {sorted(set(where.area))}; first at {at}: {a[first]}, expected {e[first]}")
    return problems


@pytest.mark.parametrize("table", ["yearly", "monthly"])
def test_output_matches_the_golden_reference(golden_run, table):
    actual = golden_run[table].reset_index(drop=True)
    path = GOLDEN / f"{table}.csv"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        actual.to_csv(path, index=False)  # floats written with repr: they read back exactly
    expected = pd.read_csv(path, keep_default_na=False,
                           na_values=[""])
    problems = _differences(actual, expected, KEYS[table])
    assert not problems, f"{table} output differs from {path.name}:\n" + "\n".join(problems)
