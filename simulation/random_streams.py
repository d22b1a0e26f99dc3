"""Named random streams: one seeded generator per process and month, and numbers per id.

Each draw comes from a generator seeded by the stream's key (seed, process and month chained
through splitmix64, see :meth:`Streams.key`), so a process's random numbers
do not depend on how many numbers other processes drew before it: changing one process does
not reshuffle the others, and a step can be replayed on its own. Draws *per person* (or
household) come from :meth:`Streams.uniform`, a hash of the stream and the id: a person's number
depends on nothing but the seed, the process, the month and their id (common random numbers
by id, and the cost is that of the persons drawn for, not of every id ever used).
"""

from __future__ import annotations

import functools
import zlib

import numpy as np
from numpy.random.bit_generator import ISeedSequence

from .kernels import hash_uniform, hash_uniforms


@functools.cache
def stream_key(name: str) -> int:
    """Stable across processes and Python versions (unlike ``hash``)."""
    return zlib.crc32(name.encode())


MONTH_OFFSET = 2**20  # seeds must be non-negative; warm-up months are negative


class Streams:
    def __init__(self, seed: int):
        self.seed = int(seed)
        self._prefix: dict[str, int] = {}  # process -> its key before the month is mixed in

    def generator(self, process: str, month: int = -1) -> np.random.Generator:
        """The generator for ``process`` in ``month`` (negative months are the warm-up): a PCG64
        whose state is splitmix64 output from the stream's key. (``default_rng`` with a
        ``SeedSequence`` costs 65 us, this about 13 us; the few batch draws ask a few times a
        month: the rest draw per id, with ``uniform``.)"""
        return np.random.Generator(np.random.PCG64(_SplitMixSeed(int(self.key(process, month)))))

    def key(self, process: str, month: int) -> np.uint64:
        """The hash key of ``process`` in ``month``, for per-id numbers drawn in kernels: seed,
        process and month chained through splitmix64 (a few microseconds; a SeedSequence
        costs ten times as much, and kernels ask for a key some 25 times a month)."""
        prefix = self._prefix.get(process)
        if prefix is None:
            prefix = self._prefix[process] = _mix(_mix(self.seed) ^ stream_key(process))
        return np.uint64(_mix(prefix ^ (month + MONTH_OFFSET)))

    def uniform(self, process: str, month: int, ids: np.ndarray) -> np.ndarray:
        """A uniform number per id for ``process`` in ``month``."""
        return hash_uniform(np.asarray(ids, dtype=np.int64), self.key(process, month))

    def uniforms(self, process: str, month: int, ids: np.ndarray, k: int) -> np.ndarray:
        """``k`` uniform numbers per id for ``process`` in ``month`` (rows: the k draws)."""
        return hash_uniforms(np.asarray(ids, dtype=np.int64), self.key(process, month), k)


MASK64 = 2**64 - 1


def _mix(x: int) -> int:
    """One step of splitmix64 (add the golden-ratio increment, then mix) on Python integers."""
    x = (x + 0x9E3779B97F4A7C15) & MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK64
    return x ^ (x >> 31)


class _SplitMixSeed(ISeedSequence):
    """Seed words for a bit generator: the splitmix64 sequence from ``key`` (the usual way to
    expand one 64-bit seed into a generator's state)."""

    def __init__(self, key: int):
        self.key = key

    def generate_state(self, n_words: int, dtype=np.uint32) -> np.ndarray:
        words, x = [], self.key
        for _ in range(n_words):  # as many 64-bit words: enough for any dtype
            x = _mix(x)
            words.append(x)
        return np.array(words, dtype=np.uint64).view(dtype)[:n_words]


@functools.cache
def trait_key(seed: int, trait: str) -> np.uint64:
    """The hash key of a persistent trait (see ``id_uniform``); kept, as processes ask for the
    same few keys many times a month."""
    return np.uint64((seed * 0x9E3779B97F4A7C15 + stream_key(trait)) % 2**64)


def id_uniform(ids: np.ndarray, seed: int, trait: str) -> np.ndarray:
    """A fixed uniform number per person id and trait (splitmix64 hash of seed, trait, id).

    For persistent traits such as willingness to care: the value depends on nothing but the
    id, so two scenarios with the same seed give the same person the same trait (common
    random numbers), whatever else differs."""
    return hash_uniform(np.asarray(ids, dtype=np.int64), trait_key(seed, trait))


def replication_seed(seed: int, replication: int) -> int:
    """The model seed of replication ``replication`` of a run seeded ``seed``: numpy's
    SeedSequence spawning, so runs with different base seeds never share a replication."""
    state = np.random.SeedSequence(seed, spawn_key=(replication,)).generate_state(2, np.uint32)
    return (int(state[0]) << 31) ^ int(state[1])
