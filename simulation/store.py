"""The array store: a set of equally long per-entity arrays (one per field) with stable ids.

Every entity has a stable integer id: its index in the arrays. Ids are never reused; arrays
grow by half when full, as in Starsim's ``arrays.py``. The population keeps its persons and its
households in two stores (``population.py``); processes declare the fields they own
(``process.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .kernels import ids_where

NO_ID = -1  # "no such entity" in id-valued fields


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
        self._arrays = {name: self._empty(f, max(capacity, 16)) for name, f in fields.items()}
        self._renew_views()

    FILL_AHEAD = 4096  # slots filled at a time, ahead of use

    @staticmethod
    def _empty(f: Field, capacity: int) -> np.ndarray:
        # not filled: ``add`` fills slots a few thousand at a time ahead of use, so memory is
        # touched only as ids are used (on these machines a first touch costs about 1.3 ms per MB)
        return np.empty((capacity,) if f.width is None else (capacity, f.width), dtype=f.dtype)

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

    def reserve(self, capacity: int) -> None:
        """Room for ``capacity`` entities without growing again (a run that knows how many
        ids it will make spares the copies of growing by half)."""
        if capacity > len(self._arrays["alive"]):
            for name, f in self._fields.items():
                grown = self._empty(f, capacity)
                grown[: self.n] = self._arrays[name][: self.n]
                self._arrays[name] = grown
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
    """``array`` with room for at least ``n`` entries (grown by half, as the stores are)."""
    if len(array) >= n:
        return array
    return np.concatenate([array, np.full(max(n, len(array) * 3 // 2) - len(array), fill, array.dtype)])
