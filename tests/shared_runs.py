"""Model runs shared by the whole test session: each distinct run is made once and its yearly
table handed to every test that asks for it, as a copy (no test can change another's data).

A run is identified by its resolved scenario (the named or given scenario with the test's
parameters applied) without its end year, and its seed; a run to a later end year serves a
request for fewer years, because a run's first years do not depend on its end year
(``test_shared_runs.py`` holds that). The two pytest-xdist workers share the runs through a
folder of the session's temporary directory, one file lock per run (pytest-xdist's documented
pattern for session data), so a run one worker made is read, not made again, by the other.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

import pandas as pd
from filelock import FileLock

from simulation import Scenario, SocialDomainModel
from simulation.model import configured


class SharedRuns:
    def __init__(self) -> None:
        self.folder: Path | None = None  # set by conftest for the session; None: this process only
        self._made: dict[str, tuple[int, pd.DataFrame]] = {}  # key -> (end year, yearly table)

    def yearly(self, scenario: str | Path = "baseline", *, rng: int, **parameters) -> pd.DataFrame:
        """The yearly table of ``SocialDomainModel(scenario, rng=rng, **parameters).run()``."""
        resolved = configured(scenario, **parameters)
        end = resolved.run.end_year
        identity = resolved.with_values({"run.end_year": resolved.run.start_year}).model_dump_json()
        key = hashlib.sha256(f"{identity}|{rng}".encode()).hexdigest()[:20]
        if key not in self._made or self._made[key][0] < end:
            self._made[key] = self._stored_or_made(key, resolved, rng)
        table = self._made[key][1]
        return table[table.year <= end].copy()

    def _stored_or_made(self, key: str, resolved: Scenario, rng: int) -> tuple[int, pd.DataFrame]:
        if self.folder is None:
            return self._make(resolved, rng)
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{key}.pickle"
        with FileLock(path.with_suffix(".lock")):
            if path.exists():
                stored = pickle.loads(path.read_bytes())
                if stored[0] >= resolved.run.end_year:
                    return stored
            made = self._make(resolved, rng)
            path.write_bytes(pickle.dumps(made))
            return made

    @staticmethod
    def _make(resolved: Scenario, rng: int) -> tuple[int, pd.DataFrame]:
        model = SocialDomainModel(resolved, rng=rng)
        model.run()
        return resolved.run.end_year, model.yearly()


RUNS = SharedRuns()
yearly = RUNS.yearly


def from_the_start(scenario: Scenario, values: dict) -> Scenario:
    """``scenario`` with ``values`` (dotted names) set by a dated policy of its first year instead
    of directly: the warm-up is then ``scenario``'s own, which the session's store of warm-ups
    (``simulation/warm_ups.py``, keyed without the dated policies) restores instead of making it
    again. The same run as with the values set directly only where the warm-up does not read them
    (each caller says why its values are such; ``funding.scheme``, for one, is read there)."""
    return scenario.with_values({"policy": [{"year": scenario.run.start_year, "set": values}]})


def short_warm_up(folder: Path, name: str = "short_warm_up", sections: str = "") -> Path:
    """A scenario file ``folder/name.toml``: the baseline whose runs settle for 12 months instead
    of 120 (and ``sections``, TOML). For the tools' tests (calibration, ensemble, optimiser,
    sensitivity), whose every trial or member changes parameters the warm-up reads, so no warm-up
    is shared, and whose checks (files, pooling, resumption, rankings) need no settled state."""
    path = folder / f"{name}.toml"
    path.write_text(f'[scenario]\nname = "{name}"\nbase = "baseline"\n[run]\nwarm_up_months = 12\n{sections}')
    return path
