"""The process contract: what each process owns, who may change what, the life cycle, the ledger."""

import ast
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from simulation import SocialDomainModel
from simulation.ledger import ACCOUNTS, Ledger
from simulation.model import PROCESSES
from simulation.outputs import DISTINCT, FLOWS
from simulation.process import Clock

PACKAGE = Path(__file__).parent.parent / "simulation"
DATA_LAYER = ("dataset.py", "domain.py", "population.py", "store.py", "kin.py", "scenario.py", "random_streams.py",
              "kernels.py")
PROCESS_MODULES = {cls.__module__.rsplit(".", 1)[1] for cls in PROCESSES}


def test_each_field_has_one_owning_process():
    owners: dict[str, str] = {}
    for cls in PROCESSES:
        for field in [*cls.person_fields, *(f"household.{f}" for f in cls.household_fields)]:
            assert field not in owners, f"{field} owned by {owners[field]} and {cls.name}"
            owners[field] = cls.name
    assert "need_status" in owners and "provider" in owners and "household.leave_next" in owners


def test_every_recorded_flow_and_count_belongs_to_one_process():
    claimed = [name for cls in PROCESSES for name in cls.results]
    assert len(claimed) == len(set(claimed)), "an output claimed twice"
    assert sorted(claimed) == sorted([*FLOWS, *(o.name for o in DISTINCT)])


def test_process_parameter_sections_exist(small_run):
    for process in small_run.processes:
        if process.section is not None:
            assert process.params is getattr(small_run.config, process.section)


def test_clock_holds_ages_in_the_warm_up_and_dates_events_before_the_start():
    clock = Clock(start=2016 * 12, month=-3)
    assert clock.warm_up and clock.now == 2016 * 12 and clock.date == 2016 * 12 - 3
    for _ in range(3):
        clock.advance()
    assert not clock.warm_up and clock.now == clock.date == 2016 * 12
    clock.advance()
    assert clock.now == clock.date == 2016 * 12 + 1 and clock.year == 2016


def _assigned_attributes(tree: ast.AST):
    """Targets like ``self.model.<process>.<attr> = ...`` or ``self.model.<process>.<attr>[...] = ...``."""
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, (ast.AugAssign, ast.AnnAssign)) else []
        for target in targets:
            while isinstance(target, ast.Subscript):
                target = target.value
            chain = []
            while isinstance(target, ast.Attribute):
                chain.append(target.attr)
                target = target.value
            if isinstance(target, ast.Name) and target.id == "self" and chain[-1:] == ["model"] and len(chain) >= 3:
                yield ".".join(reversed(chain))


@pytest.mark.parametrize("module", sorted(PROCESS_MODULES))
def test_a_process_assigns_no_other_process_attributes(module):
    tree = ast.parse((PACKAGE / f"{module}.py").read_text())
    assert list(_assigned_attributes(tree)) == []


@pytest.mark.parametrize("module", DATA_LAYER)
def test_the_data_layer_imports_no_process(module):
    tree = ast.parse((PACKAGE / module).read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level == 1}
    assert not imported & PROCESS_MODULES, f"{module} imports {imported & PROCESS_MODULES}"


def test_ledger_sums_the_year_to_date_and_starts_again_in_january():
    ledger = Ledger(n_areas=2, reserve=100.0)
    clock = Clock(start=2016 * 12 + 10)  # November
    ledger.post("cost_support_eur", np.array([1.0, 2.0]))
    ledger.post_each("cost_custom_budget_eur", np.array([1, 1, 0]), 5.0)
    assert np.array_equal(ledger.this_month("cost_custom_budget_eur"), [5.0, 10.0])
    ledger.end_month(clock)
    clock.advance()  # December
    ledger.post("cost_support_eur", np.array([3.0, 4.0]))
    assert np.array_equal(ledger.year_total("cost_support_eur"), [4.0, 6.0])
    assert np.array_equal(ledger.this_month("cost_support_eur"), [3.0, 4.0])
    ledger.end_month(clock)
    clock.advance()  # January
    assert np.array_equal(ledger.year_total("cost_support_eur"), [0.0, 0.0])
    ledger.open_year(clock.year)
    ledger.change_reserve(-30.0)
    assert ledger.reserve_at_start == {2017: 100.0} and ledger.reserve == 70.0


def test_recorded_money_is_what_was_posted_to_the_ledger():
    m = SocialDomainModel(rng=3, scale=0.02, end_year=2016, warm_up_months=0)
    posted = []
    close = m.ledger.end_month
    m.ledger.end_month = lambda clock: (posted.append(m.ledger.month.copy()), close(clock))
    m.run()
    rows = [FLOWS.index(account) for account in ACCOUNTS]
    assert len(posted) == 12
    assert np.array_equal(np.array(m.recorder.monthly_flows)[:, rows], np.array(posted))
    assert np.array(posted)[:, ACCOUNTS.index("cost_household_help_eur")].sum() > 0
    # the December settlement's reserve is the one in the table
    yearly = m.yearly().query("area == 'total'")
    assert yearly.reserve_end_eur.iloc[-1] == pytest.approx(m.ledger.reserve)
    assert yearly.reserve_end_eur.iloc[-1] != yearly.reserve_eur.iloc[-1]


STAFFING_SEEDS = (1, 2, 3, 4, 5, 6)


def _staff_without_and_with_warm_up(seed: int) -> tuple[float, float]:
    """The staff the labour market opens on without a warm-up (after a year of freely hired staff)
    and with one (at the start), 5% sample; and the structure both runs must have."""
    run = dict(rng=seed, scale=0.05, end_year=2017, opens_after_months=12)
    without = SocialDomainModel(**run, warm_up_months=0)
    for _ in range(12):  # a year of freely hired staff: the market opens on the staff then
        without.step()
    opened_on = without.providers.fte.sum()
    without.run()
    with_warm_up = SocialDomainModel(**run, warm_up_months=12)
    opening_staff = with_warm_up.providers.fte.sum()  # the market opened at the start
    with_warm_up.run()
    assert without.labour_market.opens == 12 and with_warm_up.labour_market.opens == 0
    for model in (without, with_warm_up):
        t = model.yearly().query("area == 'total'")
        assert (t.staff_fte > 0).all() and (t.provider_admissions > 0).all()
    assert without.labour_market.is_open()
    return opened_on, opening_staff


def test_staffing_does_not_depend_on_the_warm_up_length():
    """Without a warm-up providers still get staff and admit clients: they hire freely until
    the labour market opens on the settled demand, as large as after a warm-up: the mean ratio
    over six seeds is 1 within the two-sided 95% bound of its between-seed noise (one seed's
    ratio at 5% ranges from about 0.7 to 1.4)."""
    ratio = np.array([np.divide(*_staff_without_and_with_warm_up(seed)) for seed in STAFFING_SEEDS])
    noise = stats.t.ppf(0.975, len(ratio) - 1) * ratio.std(ddof=1) / np.sqrt(len(ratio))
    assert abs(ratio.mean() - 1) <= noise
