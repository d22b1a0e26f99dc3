"""Named random streams: one seeded generator per process and month.

Each draw comes from ``default_rng([seed, key(process), month])``, so a process's random numbers
do not depend on how many numbers other processes drew before it: changing one process does
not reshuffle the others, and a step can be replayed on its own.
"""

from __future__ import annotations

import zlib

import numpy as np


def stream_key(name: str) -> int:
    """Stable across processes and Python versions (unlike ``hash``)."""
    return zlib.crc32(name.encode())


class Streams:
    def __init__(self, seed: int):
        self.seed = int(seed)

    def generator(self, process: str, month: int = -1) -> np.random.Generator:
        """The generator for ``process`` in ``month`` (``-1`` for set-up)."""
        return np.random.default_rng([self.seed, stream_key(process), month + 1])
