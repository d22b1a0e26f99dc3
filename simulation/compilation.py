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

from numba.core.registry import CPUDispatcher


def cold_modules() -> list[str]:
    """Modules of the package none of whose cached kernels has a fresh compiled version on disk
    (a module whose source changed recompiles all its kernels; a kernel that only a rare
    event calls may stay uncompiled, so one cold kernel alone does not count)."""
    from . import model  # noqa: F401  (imports every module with kernels)

    fresh: dict[str, bool] = {}
    for name, module in sorted(sys.modules.items()):
        if not name.startswith(__package__ + "."):
            continue
        for obj in vars(module).values():
            if isinstance(obj, CPUDispatcher) and obj.__module__ == name and obj._cache.__class__.__name__ == "FunctionCache":
                fresh[name] = fresh.get(name, False) or bool(obj._cache._cache_file._load_index())
    return [name for name, ok in fresh.items() if not ok]


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
    return time.perf_counter() - t0
