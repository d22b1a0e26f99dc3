"""The array store: a set of equally long per-entity arrays (one per field) with stable ids.

Every entity has a stable integer id: its index in the arrays. Ids are never reused; arrays
grow by half when full, as in Starsim's ``arrays.py``. The population keeps its persons and its
households in two stores (``population.py``); processes declare the fields they own
(``process.py``).

A store's arrays lie side by side in one block of memory on the operating system's huge pages
(2 MB instead of 4 kB, where it offers them: Linux's transparent huge pages), as do the other
large arrays indexed by id (``grown``). The kernels read a person's fields at scattered ids,
and with 4 kB pages nearly every such read also missed the processor's table of page
addresses (a few thousand entries, ~10 MB of ordinary pages against ~50 MB of fields at 1:1):
huge pages took about a tenth off a 1:1 run (``docs/performance.md``). Small arrays (a sample
of a few per cent) keep ordinary pages.
"""

from __future__ import annotations

import mmap
from dataclasses import dataclass

import numpy as np

from .kernels import ids_where

NO_ID = -1  # "no such entity" in id-valued fields
HUGE_PAGE = 1 << 21  # bytes (x86-64 and arm64 Linux)
HUGE_PAGES = hasattr(mmap, "MADV_HUGEPAGE")  # Linux
ALIGN = 64  # bytes: each field of a block starts on a cache line


def huge_page_bytes(nbytes: int) -> np.ndarray:
    """``nbytes`` uninitialised bytes (``np.uint8``), on huge pages where the system offers them
    and the block fills at least a sixteenth of one (128 kB: the arrays by id of a 1:1 run are
    0.1-3 MB; smaller ones get ``np.empty``). The block starts on a huge page; the memory is
    reserved now and taken (zeroed) a page at a time as it is first written, as with
    ``np.empty``."""
    if not HUGE_PAGES or nbytes < HUGE_PAGE // 16:
        return np.empty(nbytes, dtype=np.uint8)
    # private (an anonymous mapping is shared by default, and shared memory gets no huge pages),
    # a huge page larger, to align
    mapping = mmap.mmap(-1, nbytes + HUGE_PAGE, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    raw = np.frombuffer(mapping, dtype=np.uint8)  # (keeps the mapping alive)
    start = -raw.ctypes.data % HUGE_PAGE
    mapping.madvise(mmap.MADV_HUGEPAGE, start, nbytes)
    return raw[start: start + nbytes]


def _aligned(nbytes: int) -> int:
    return -(-nbytes // ALIGN) * ALIGN


@dataclass(frozen=True)
class Field:
    dtype: type
    fill: object
    width: int | None = None  # a number makes a 2-D field of that many columns (also 0 or 1)


class ArrayStore:
    """A set of equally long arrays, one per field, with stable ids and amortised growth.

    Each field reads as an attribute: a view of its array over the ids in use, made again on
    the first read after entities are added (then plain attribute access: processes read
    fields hundreds of times a month)."""

    def __init__(self, fields: dict[str, Field], capacity: int = 1024):
        taken = [name for name in fields if hasattr(type(self), name) or name in ("n", "_fields", "_arrays")]
        if taken:
            raise ValueError(f"field names {taken} are taken by the store's own attributes")
        self._fields = fields
        self.n = 0  # ids in use: 0 .. n-1
        self._filled = 0  # slots 0 .. _filled-1 hold a value (beyond n: the fill)
        self._arrays = self._allocate(max(capacity, 16))
        self._renew_views()

    FILL_AHEAD = 4096  # slots filled at a time, ahead of use

    def _allocate(self, capacity: int) -> dict[str, np.ndarray]:
        """Every field's array for ``capacity`` entities, side by side in one block
        (``huge_page_bytes``). Not filled: ``add`` fills slots a few thousand at a time ahead of
        use, so memory is touched only as ids are used (a first touch is dear: about 1.3 ms
        per MB of ordinary pages on the project's machines)."""
        shapes = {name: (capacity,) if f.width is None else (capacity, f.width) for name, f in self._fields.items()}
        sizes = {name: np.dtype(f.dtype).itemsize * int(np.prod(shapes[name])) for name, f in self._fields.items()}
        block = huge_page_bytes(sum(_aligned(size) for size in sizes.values()))
        arrays, offset = {}, 0
        for name, f in self._fields.items():
            arrays[name] = block[offset: offset + sizes[name]].view(f.dtype).reshape(shapes[name])
            offset += _aligned(sizes[name])
        return arrays

    def _renew_views(self) -> None:
        # dropped now, made again when first read (``__getattr__``): most fields are not read
        # between two of a month's additions
        for name in self._arrays:
            self.__dict__.pop(name, None)

    def __getattr__(self, name: str):
        arrays = self.__dict__.get("_arrays")
        if arrays is None or name not in arrays:
            raise AttributeError(f"{type(self).__name__} has no field {name!r}")
        view = self.__dict__[name] = arrays[name][: self.n]
        return view

    def __getstate__(self) -> dict:
        # without the fields' views (made again when first read): pickled, they would be
        # copies that no longer share their array's memory (a restored warm-up, warm_ups.py)
        return {k: v for k, v in self.__dict__.items() if k not in self._arrays}

    def reserve(self, capacity: int) -> None:
        """Room for ``capacity`` entities without growing again (a run that knows how many
        ids it will make spares the copies of growing by half)."""
        if capacity > len(self._arrays["alive"]):
            arrays = self._allocate(capacity)
            for name, array in arrays.items():
                array[: self.n] = self._arrays[name][: self.n]
            self._arrays = arrays
            self._filled = self.n
            self._renew_views()

    def add(self, count: int, **values) -> np.ndarray:
        """Append ``count`` entities; returns their new ids. Unset fields get their fill."""
        start, stop = self.n, self.n + count
        unknown = [name for name in values if name not in self._fields]
        if unknown:
            raise KeyError(f"unknown field {unknown[0]!r}")
        if stop > len(self._arrays["alive"]):
            self.reserve(max(stop, len(self._arrays["alive"]) * 3 // 2))
        if stop > self._filled:  # fill ahead: most adds then write only the values given
            end = min(max(stop, self._filled + self.FILL_AHEAD), len(self._arrays["alive"]))
            for name, f in self._fields.items():
                self._arrays[name][self._filled: end] = f.fill
            self._filled = end
        self.n = stop
        for name, value in values.items():
            self._arrays[name][start:stop] = value
        self._renew_views()
        return np.arange(start, stop, dtype=np.int64)

    def active(self) -> np.ndarray:
        """Ids of the entities that are alive (present in the municipality)."""
        return ids_where(self.alive)


def grown(array: np.ndarray, n: int, fill) -> np.ndarray:
    """``array`` with room for at least ``n`` entries (grown by half, as the stores are; on huge
    pages when large, ``huge_page_bytes``)."""
    if len(array) >= n:
        return array
    size = max(n, len(array) * 3 // 2)
    out = huge_page_bytes(size * array.itemsize).view(array.dtype)
    out[: len(array)] = array
    out[len(array):] = fill
    return out
