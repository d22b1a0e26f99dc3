"""Warm-ups made once and reused: a model's state after its warm-up, stored in a folder and
restored by the next model that would make the same warm-up.

The warm-up (``SocialDomainModel._warm_up``) settles problems, care and queues on the start
population for ``run.warm_up_months`` months: in a short run at a small scale it is most of the
run's time. It reads the scenario, the seed, the data set and the code, but not the end year
(which only sets when the run stops and how much room the stores reserve) nor the dated policies
(applied from the first month on), so runs that differ only in those make the same warm-up.

Reuse is off unless the environment variable ``SOCIALSIM_WARM_UP_CACHE`` names a folder (the
test suite sets it to a folder of its session, so that its many short runs of the same scenario
and seed share their warm-up). A restored model is the same, byte for byte, as one that made its
own warm-up (``tests/test_warm_ups.py``). The key hashes everything the warm-up reads: the
resolved scenario without its end year, dated policies and name; the seed; the data set's
files; and the package's source.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .run_folder import code_hash

if TYPE_CHECKING:
    from .dataset import Dataset
    from .model import SocialDomainModel
    from .scenario import Scenario

FOLDER_VARIABLE = "SOCIALSIM_WARM_UP_CACHE"


def folder() -> Path | None:
    """The folder warm-ups are kept in, or None (reuse off)."""
    value = os.environ.get(FOLDER_VARIABLE)
    return Path(value) if value else None


@lru_cache(maxsize=1)
def _code() -> str:
    return code_hash()  # the source does not change while a process runs


def key(scenario: "Scenario", seed: int, dataset: "Dataset") -> str:
    """The hash of what the warm-up reads (see the module's docstring)."""
    reads = scenario.with_values({"run.end_year": scenario.run.start_year})
    text = f"{reads.model_dump_json(exclude={'scenario', 'policy'})}|{seed}|{dataset.content_hash}|{_code()}"
    return hashlib.sha256(text.encode()).hexdigest()[:24]


class _Pickler(pickle.Pickler):
    """Pickles a model's attributes with the model itself as a reference, so that the
    processes, agents and Mesa's bookkeeping point to the model that restores them."""

    def __init__(self, file, model: "SocialDomainModel"):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.model = model

    def persistent_id(self, obj):
        return "model" if obj is self.model else None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, model: "SocialDomainModel"):
        super().__init__(file)
        self.model = model

    def persistent_load(self, pid):
        if pid != "model":
            raise pickle.UnpicklingError(f"unknown reference {pid!r} in a stored warm-up")
        return self.model


def restore(model: "SocialDomainModel", name: str) -> bool:
    """Give ``model`` the stored state after the warm-up ``name``; False if none is stored."""
    where = folder()
    path = where / f"{name}.pickle" if where else None
    if path is None or not path.exists():
        return False
    # the stored bound methods (Mesa's step schedule) are looked up on the model as they load:
    # its own attributes cleared first, they are the class's methods, not Mesa's wrapped step
    model.__dict__.clear()
    model.__dict__.update(_Unpickler(io.BytesIO(path.read_bytes()), model).load())
    return True


def store(model: "SocialDomainModel", name: str) -> None:
    """Keep ``model``'s state after its warm-up as ``name`` (written whole, then renamed, so a
    process reading at the same time never sees half a file)."""
    where = folder()
    if where is None:
        return
    where.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    _Pickler(buffer, model).dump(dict(model.__dict__))
    partial = where / f"{name}.{os.getpid()}.partial"
    partial.write_bytes(buffer.getvalue())
    partial.replace(where / f"{name}.pickle")
