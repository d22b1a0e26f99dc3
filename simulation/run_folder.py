"""A run's output folder: what identifies the run in it, the lock against a second writer, the
default folder under ``results/``, and reading its files with one-line errors.

A run is identified by everything that determines its numbers: the scenario (as resolved,
including the scale), the base seed, the data set's content and the code (version and a
hash of the package's source). Resuming into a folder requires all of them to match (see
:func:`differences`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import socket
import time
from pathlib import Path

import pandas as pd

from . import __version__

RESULTS = Path("results")
LOCK = ".lock"


class RunFolderError(Exception):
    """An output folder cannot be used or holds something unexpected; the message is one line
    meant for the user."""


@functools.cache
def code_hash() -> str:
    """SHA-256 over the package's Python source (paths and bytes): the code a run ran with,
    also for an installed package or uncommitted changes, where a git commit says nothing."""
    h = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for f in sorted(package.rglob("*.py")):
        h.update(f.relative_to(package).as_posix().encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def identity(scenario_hash: str, seed: int, scale: float, dataset_hash: str) -> dict:
    return {"scenario_hash": scenario_hash, "seed": seed, "scale": scale, "dataset_hash": dataset_hash,
            "version": __version__, "code_hash": code_hash()}


def differences(old: dict, new: dict) -> list[str]:
    """What differs between two run identities, e.g. ['seed 1 (now 5)']."""
    names = {"scenario_hash": "scenario", "seed": "seed", "scale": "scale", "dataset_hash": "data set",
             "version": "version", "code_hash": "code"}
    out = []
    for key, name in names.items():
        a, b = old.get(key), new.get(key)
        if a != b:
            short = (lambda v: str(v)[:12]) if key.endswith("hash") else str
            out.append(f"{name} {short(a)} (now {short(b)})")
    return out


def safe_name(name: str) -> str:
    """A scenario name as one folder name: no path separators, no leading dots."""
    return re.sub(r"[^\w.-]+", "_", name).strip("._") or "unnamed"


def default_folder(name: str, root: Path = RESULTS) -> Path:
    """``results/<name>``, or ``results/<name>-2``, ``-3``, ... when it holds an earlier run: a
    default folder never overwrites results and never leaves ``results/``."""
    base = safe_name(name)
    candidate, n = root / base, 2
    while candidate.exists() and (not candidate.is_dir() or any(candidate.iterdir())):
        candidate, n = root / f"{base}-{n}", n + 1
    return candidate


def prepare(out: Path) -> None:
    """Create the folder, or say in one line why it cannot be written."""
    if out.exists() and not out.is_dir():
        raise RunFolderError(f"--out {out}: is a file, not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise RunFolderError(f"--out {out}: cannot create the folder: {e.strerror}") from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise RunFolderError(f"--out {out}: the folder is not writable")


class Lock:
    """``with Lock(folder):`` one writer at a time. The lock file names the holder's process
    and host; a lock left by a process that no longer runs on this host is stale and taken
    over."""

    def __init__(self, folder: Path):
        self.path = Path(folder) / LOCK
        self.mine = {"pid": os.getpid(), "host": socket.gethostname(), "since": time.strftime("%Y-%m-%d %H:%M:%S")}

    def __enter__(self) -> "Lock":
        tmp = self.path.with_name(f"{LOCK}.{os.getpid()}")
        tmp.write_text(json.dumps(self.mine))
        try:
            for _ in range(2):
                try:
                    os.link(tmp, self.path)  # atomic: fails if the lock exists, never half written
                    return self
                except FileExistsError:
                    holder = writer(self.path.parent)
                    if holder is not None:
                        raise RunFolderError(f"{self.path.parent} is being written by another run "
                                             f"({describe(holder)}); wait for it or use another --out")
                    self.path.unlink(missing_ok=True)
            raise RunFolderError(f"{self.path.parent}: cannot take the lock {self.path.name}")
        finally:
            tmp.unlink(missing_ok=True)

    def __exit__(self, *exc) -> None:
        if _holder(self.path) == self.mine:
            self.path.unlink(missing_ok=True)


def writer(folder: Path) -> dict | None:
    """The run writing into ``folder`` now (its lock's pid, host and start), or None."""
    holder = _holder(Path(folder) / LOCK)
    return None if holder is None or _stale(holder) else holder


def describe(holder: dict) -> str:
    return f"process {holder.get('pid')} on {holder.get('host')} since {holder.get('since')}"


def _holder(path: Path) -> dict | None:
    try:
        holder = json.loads(path.read_text())
        return holder if isinstance(holder, dict) else {}
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}  # unreadable: not a lock this code wrote


def _stale(holder: dict) -> bool:
    if holder.get("host") != socket.gethostname() or not isinstance(holder.get("pid"), int):
        return not holder  # another host's lock cannot be checked: it stands
    try:
        os.kill(holder["pid"], 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # runs, as another user
    return False


def remove_temporaries(folder: Path) -> None:
    """Remove the temporary files of atomic writes a killed process left (``.name.xxxx``)."""
    for sub in (folder, folder / "replications"):
        if sub.is_dir():
            for f in sub.glob(".*.*"):
                if f.name != LOCK and f.is_file():
                    f.unlink(missing_ok=True)


def sealed(data: dict) -> bytes:
    """JSON that carries the SHA-256 of its own content: any change to it shows (see
    :func:`read_json`)."""
    body = json.dumps(data, indent=2, sort_keys=True)
    return json.dumps({**data, "sha256": hashlib.sha256(body.encode()).hexdigest()}, indent=2, sort_keys=True).encode()


def read_json(path: Path, seal: bool = False) -> dict:
    """A JSON object from a run folder; with ``seal``, one written by :func:`sealed`, checked
    and returned without its seal."""
    try:
        data = json.loads(Path(path).read_bytes())
    except FileNotFoundError:
        raise RunFolderError(f"{path}: missing") from None
    except (OSError, ValueError):
        raise RunFolderError(f"{path}: not valid JSON (corrupted or truncated?)") from None
    if not isinstance(data, dict):
        raise RunFolderError(f"{path}: not a JSON object (corrupted?)")
    if seal:
        digest = data.pop("sha256", None)
        if digest != hashlib.sha256(json.dumps(data, indent=2, sort_keys=True).encode()).hexdigest():
            raise RunFolderError(f"{path}: SHA-256 differs from the recorded one (changed or corrupted)")
    return data


def read_parquet(path: Path) -> pd.DataFrame:
    try:
        return pd.read_parquet(path)
    except FileNotFoundError:
        raise RunFolderError(f"{path}: missing") from None
    except Exception as e:  # pyarrow raises several types for damaged files
        raise RunFolderError(f"{path}: not a readable table (corrupted or truncated?): "
                             f"{str(e).splitlines()[0][:120]}") from None


def sha256_file(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def check_file(folder: Path, name: str, digest: str) -> str | None:
    """None when ``folder/name`` exists with SHA-256 ``digest``, else what is wrong (one line)."""
    path = Path(folder) / name
    if Path(name).is_absolute() or ".." in Path(name).parts:
        return f"{name}: not a file inside {folder}"
    if not path.is_file():
        return f"{path}: missing"
    if sha256_file(path) != digest:
        return f"{path}: SHA-256 differs from the recorded one (changed or corrupted)"
    return None
