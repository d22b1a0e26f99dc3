"""Compiling the model's kernels before the first run, and saying so.

numba compiles each kernel on first use and caches it on disk (``cache=True``). A cold cache
(the first run after an install or a code change) costs about half a minute, which a user
would otherwise take for a hang; and each worker process of a sweep would compile on its own.
:func:`warm_kernels` compiles them once, in the calling process, with a message, before any
run or worker starts; workers then load the compiled kernels from the disk cache.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def _marker() -> Path:
    """A file beside numba's cache saying the kernels of this code were compiled: keyed by the
    hash of the package's source, which is what makes numba compile them again."""
    from .run_folder import code_hash

    return Path(__file__).resolve().parent / "__pycache__" / f"kernels-compiled-{code_hash()[:16]}"


def cold_modules() -> list[str]:
    """The package, if its kernels have not been compiled for this code yet (else nothing).
    (Asking numba's cache objects directly would lean on its internals.)"""
    return [] if _marker().exists() else [__package__]


def warm_kernels(quiet: bool = False) -> float:
    """Compile the kernels if the disk cache is cold (a short run at 2% scale calls them all,
    but for rare events); returns the seconds it took (0 when the cache was warm)."""
    if not cold_modules():
        return 0.0
    from .model import SocialDomainModel

    if not quiet:
        print("compiling the model's kernels (first run after an install or a code change; "
              "about half a minute, cached on disk afterwards) ...", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    SocialDomainModel("baseline", rng=1, scale=0.02, start_year=2016, end_year=2017).run()
    try:
        _marker().parent.mkdir(exist_ok=True)
        _marker().touch()
    except OSError:  # a read-only install: numba then caches elsewhere; we just say so again next time
        pass
    return time.perf_counter() - t0
