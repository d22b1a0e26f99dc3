import pytest

from simulation import SocialDomainModel
from simulation.cli import main

SMALL = dict(scale=0.05, end_year=2025)


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


@pytest.fixture(scope="session")
def small_yearly(small_run):
    return small_run.yearly()


@pytest.fixture(scope="session")
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
