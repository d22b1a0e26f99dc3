"""The array store's memory: a store's fields side by side in one block, on huge pages when
large (``store.huge_page_bytes``); the values must be those of separate plain arrays."""

import numpy as np

from simulation.store import ALIGN, HUGE_PAGE, HUGE_PAGES, ArrayStore, Field, grown, huge_page_bytes

FIELDS = {"alive": Field(bool, False), "sex": Field(np.int8, 0), "age": Field(np.int32, -1),
          "hours": Field(np.float32, 0.5), "carers": Field(np.int32, -1, 3), "next": Field(np.int64, -1)}
LARGE = 100_000  # entities: a block of several MB (a small store keeps ordinary memory)


def _fill(store: ArrayStore, start: int, count: int) -> None:
    ids = np.arange(start, start + count)
    store.add(count, alive=True, sex=ids % 2, age=ids, hours=ids / 4, next=ids * 7)
    store.carers[ids] = np.stack([ids, ids + 1, ids + 2], axis=1)


def _check(store: ArrayStore, count: int) -> None:
    ids = np.arange(count)
    assert store.alive[:count].all()
    assert (store.sex[:count] == ids % 2).all()
    assert (store.age[:count] == ids).all()
    assert (store.hours[:count] == (ids / 4).astype(np.float32)).all()
    assert (store.next[:count] == ids * 7).all()
    assert (store.carers[:count] == np.stack([ids, ids + 1, ids + 2], axis=1)).all()


def test_fields_of_a_large_store_hold_their_own_values():
    store = ArrayStore(FIELDS, capacity=LARGE)
    _fill(store, 0, LARGE)  # every slot of every field written: an overlap would show
    _check(store, LARGE)
    for name in FIELDS:
        assert store._arrays[name].ctypes.data % ALIGN == 0, name  # each on its own cache lines
    if HUGE_PAGES:
        assert store._arrays["alive"].ctypes.data % HUGE_PAGE == 0  # the block starts on a huge page


def test_a_large_store_keeps_its_values_and_fills_new_slots_when_it_grows():
    store = ArrayStore(FIELDS, capacity=LARGE // 2)
    _fill(store, 0, LARGE // 2)
    store.reserve(LARGE)  # a new block, the values copied
    _check(store, LARGE // 2)
    ids = store.add(10)  # unset fields get their fill
    assert (~store.alive[ids]).all() and (store.age[ids] == -1).all() and (store.hours[ids] == 0.5).all()
    assert (store.carers[ids] == -1).all()


def test_grown_keeps_the_values_and_fills_the_rest_on_any_memory():
    for size in (10, LARGE):  # ordinary memory, huge pages
        before = np.arange(size, dtype=np.int32)
        after = grown(before, size + 1, -1)
        assert after.dtype == np.int32 and len(after) >= size + 1
        assert (after[:size] == before).all() and (after[size:] == -1).all()
        assert grown(after, size, 0) is after  # room enough: the same array


def test_huge_page_bytes_is_writable_memory_of_the_size_asked():
    for nbytes in (100, HUGE_PAGE + 3):
        block = huge_page_bytes(nbytes)
        assert block.dtype == np.uint8 and block.shape == (nbytes,)
        block[:] = 7
        assert block.sum() == 7 * nbytes
