"""The compiled kernels against the numpy expressions they replace."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from simulation.kernels import (distinct_ids, group_by, group_ids, happens_this_month, hash_uniform, merge_sorted, sorted_union,
                                where_above, where_equal)

ints = st.lists(st.integers(-1, 30), max_size=200)


@given(ints)
@settings(max_examples=200, deadline=None)
def test_group_by_is_a_stable_sort_by_key(keys):
    keys = np.array(keys, dtype=np.int64)
    members = np.arange(len(keys)) * 10
    starts, grouped = group_by(keys, members, 31)
    order = np.argsort(keys, kind="stable")
    order = order[keys[order] >= 0]
    assert np.array_equal(grouped, members[order])
    assert np.array_equal(np.diff(starts), np.bincount(keys[keys >= 0], minlength=31))


@given(ints)
@settings(max_examples=200, deadline=None)
def test_group_ids_is_group_by_with_known_counts(keys):
    keys = np.array(keys, dtype=np.int64)
    ids = np.flatnonzero(keys >= 0)
    counts = np.bincount(keys[ids], minlength=31)
    starts, grouped = group_ids(ids, keys, counts)
    expected = group_by(keys[ids], ids, 31)
    assert np.array_equal(starts, expected[0]) and np.array_equal(grouped, expected[1])


@given(st.lists(st.integers(0, 60), max_size=80), st.lists(st.integers(0, 60), max_size=30))
@settings(max_examples=200, deadline=None)
def test_sorted_union_is_union1d(a, b):
    a = np.unique(np.array(a, dtype=np.int64))
    assert np.array_equal(sorted_union(a, np.array(b, dtype=np.int64)), np.union1d(a, b))


@given(st.lists(st.integers(0, 60), max_size=80), st.lists(st.integers(0, 60), max_size=80))
@settings(max_examples=200, deadline=None)
def test_merge_sorted_is_union1d(a, b):
    a, b = np.unique(np.array(a, dtype=np.int64)), np.unique(np.array(b, dtype=np.int64))
    assert np.array_equal(merge_sorted(a, b), np.union1d(a, b))


@given(ints)
@settings(max_examples=200, deadline=None)
def test_distinct_ids_is_unique_without_negatives(ids):
    ids = np.array(ids, dtype=np.int64)
    assert np.array_equal(distinct_ids(ids, 31), np.unique(ids[ids >= 0]))


@given(ints, st.integers(-1, 30))
@settings(max_examples=100, deadline=None)
def test_where_selects_like_a_mask(values, value):
    values = np.array(values, dtype=np.int64)
    ids = np.arange(len(values))
    assert np.array_equal(where_equal(ids, values, value), ids[values == value])
    assert np.array_equal(where_above(ids, values, value), ids[values > value])


def test_hashed_numbers_are_uniform_and_independent_of_who_else_draws():
    ids = np.arange(200_000)
    u = hash_uniform(ids, np.uint64(12345))
    assert stats.kstest(u, "uniform").pvalue > 0.001
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 0.01  # neighbouring ids unrelated
    assert np.array_equal(hash_uniform(ids[::7], np.uint64(12345)), u[::7])
    assert not np.array_equal(hash_uniform(ids[:100], np.uint64(12346)), u[:100])


@given(st.floats(0, 1, exclude_max=True), st.floats(0, 1))
@settings(max_examples=500, deadline=None)
def test_happens_this_month_is_the_monthly_share_of_a_yearly_probability(u, p):
    exact = u < 1.0 - (1.0 - p) ** (1.0 / 12.0)
    margin = abs(u - (1.0 - (1.0 - p) ** (1.0 / 12.0)))
    if margin > 1e-9:  # away from the boundary, where rounding may differ
        assert happens_this_month(u, p) == exact
