import gc
import os
import shutil
import sys
import tempfile

import pytest
from threadpoolctl import threadpool_limits

import shared_runs
from simulation import SocialDomainModel, warm_ups
from simulation.cli import main

SMALL = dict(scale=0.05, end_year=2025)

# Python's bytecode caches, even where PYTHONDONTWRITEBYTECODE is set: without them every process
# the suite starts (its two workers, the notebook kernels, the pool, Dask and dashboard processes)
# compiles the project again and rewrites the tests' assertions, about 2 s of processor time each
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

# one BLAS thread per process: the suite runs two workers on two cores, and the linear algebra
# in it is small, so OpenBLAS's own threads only spin against the other worker (the model's one
# fit, the synthesis's, limits itself since 6 December: before, under load, it made building a
# small model cost up to 1.5 s of processor time instead of 0.05 s). The variable reaches the
# processes started from here (workers, notebook kernels, pools, servers), which inherit it;
# this process has loaded its BLAS already, so it is limited in place (for `-n 0`)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
threadpool_limits(limits=int(os.environ["OPENBLAS_NUM_THREADS"]), user_api="blas")

# the notebooks (run by nbmake in kernels that inherit this environment) use a 2% sample
# instead of their 5%, and the three with several seeds over decades stop in 2022 instead of
# 2030-2045 (their runs were half of their time): a smoke test of every cell, not a result
# anyone reads (2022: notebook 02 shows the 2021 target)
os.environ.setdefault("SOCIALSIM_NOTEBOOK_SCALE", "0.02")
os.environ.setdefault("SOCIALSIM_NOTEBOOK_END_YEAR", "2022")


def pytest_configure(config):
    """Compile the kernels once, before the tests start, if numba's disk cache is cold: in the
    controlling process, before pytest-xdist starts its workers, so they load the kernels from
    the cache rather than each compiling them at its first model run.

    And keep the session's warm-ups (``simulation/warm_ups.py``) in a folder of its own, which
    the workers and every process they start inherit through the environment: the suite's many
    short runs of one scenario and seed then make their warm-up once (a restored warm-up gives
    the same run byte for byte; ``test_warm_ups.py``)."""
    if not hasattr(config, "workerinput"):  # (xdist's workers have it)
        from simulation.compilation import warm_kernels

        warm_kernels()
        if not os.environ.get(warm_ups.FOLDER_VARIABLE):
            config.warm_ups_folder = tempfile.mkdtemp(prefix="socialsim-warm-ups-")
            os.environ[warm_ups.FOLDER_VARIABLE] = config.warm_ups_folder


def pytest_unconfigure(config):
    folder = getattr(config, "warm_ups_folder", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        os.environ.pop(warm_ups.FOLDER_VARIABLE, None)
    gc.freeze()  # the process ends: its exit need not search the whole heap for cycles (below)


def pytest_collection_finish(session):
    """Leave what exists once the tests are collected (the imported libraries, the tests) out of
    the garbage collector's full collections: it lives for the whole session, and a full
    collection looked at all of it again (some 300,000 objects, about 0.1 s a time; the tests
    that make many tables and figures trigger dozens). Objects made later are collected as
    before."""
    gc.freeze()


# session fixtures dear enough that the tests using them should share one worker
SHARED_FIXTURES = ("ageing_to_2040",)
# modules whose shared runs (shared_runs.py) have the same settings: on one worker, in this order,
# the first module's longer runs serve the others' shorter ones from memory
SHARED_RUN_MODULES = ("tests/test_money.py", "tests/test_pathway.py", "tests/test_scenarios.py")
# long single tests (a browser and a dashboard server, notebook kernels): started first, so the
# two workers do not wait for one of them at the end
FIRST = ("tests/test_dashboard_browser.py", "notebooks/")


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the marks into the test ids
def pytest_collection_modifyitems(config, items):
    """Group the tests for pytest-xdist's ``--dist loadgroup`` (see ``pyproject.toml``): the
    tests of a module run on one worker, so its module-scoped model runs are made once, and
    the tests of a dear session fixture too (each worker would otherwise make its own), and the
    modules whose shared runs serve each other. The groups are handed out in this order
    (``--no-loadscope-reorder``), the long ones first."""
    for item in items:
        shared = [name for name in SHARED_FIXTURES if name in getattr(item, "fixturenames", ())]
        module = item.nodeid.split("::")[0]
        group = shared[0] if shared else "shared_runs" if module in SHARED_RUN_MODULES else module
        item.add_marker(pytest.mark.xdist_group(group))
    items.sort(key=lambda item: not item.nodeid.startswith(FIRST))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids):
    """Stop at once if a worker's tests came without their groups: xdist would then spread a
    module's tests over both workers, which make its module- and session-scoped runs twice."""
    if node.config.option.dist == "loadgroup" and ids and not any("@" in nodeid for nodeid in ids):
        pytest.exit(f"--dist loadgroup did not group the tests (pytest {pytest.__version__}, pytest-xdist issue "
                    "1386): install the dev extra's pytest (pip install -e '.[dev]')", returncode=4)


@pytest.fixture(scope="session", autouse=True)
def shared_runs_folder(tmp_path_factory):
    """Where the session's workers share their model runs (``shared_runs.py``): a folder beside
    the workers' own temporary folders."""
    base = tmp_path_factory.getbasetemp()
    shared_runs.RUNS.folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "shared-runs"


@pytest.fixture(scope="session")
def small_run():
    """A 5% Emmen run 2016-2025, shared by the read-only tests."""
    model = SocialDomainModel(rng=7, **SMALL)
    model.run()
    return model


@pytest.fixture(scope="session")
def ageing_to_2040():
    """The municipality's totals by year of a 20% Emmen run 2016-2040, for the tests of ageing."""
    model = SocialDomainModel("baseline", rng=5, scale=0.2, end_year=2040)
    model.run()
    return model.yearly().query("area == 'total'").set_index("year")


# made afresh for each test (a few milliseconds): a table shared by the session would carry one
# test's changes into the next
@pytest.fixture
def small_yearly(small_run):
    return small_run.yearly()


@pytest.fixture
def small_monthly(small_run):
    return small_run.monthly()


@pytest.fixture
def cli(capsys):
    """The command line, in this process: ``cli("run", ...)`` -> (exit status, stdout, stderr)."""
    def run(*args):
        capsys.readouterr()
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err
    return run
