"""The regional labour market: providers hire from the pool within the hiring speed."""

import numpy as np

from simulation import SocialDomainModel


def _monthly_staff(**parameters) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Total staff, vacancies and job seekers in the pool after each of 24 months."""
    model = SocialDomainModel("baseline", rng=1, scale=0.05, end_year=2017, **parameters)
    staff, vacancies, pool = [], [], []
    for _ in range(24):
        model.step()
        providers = model.providers
        staff.append(providers.fte.sum())
        vacancies.append(np.maximum(providers.target_fte - providers.fte, 0).sum())
        pool.append(model.labour_market.pool.sum())
    return np.array(staff), np.array(vacancies), np.array(pool)


def test_without_hiring_staff_only_shrinks_by_turnover():
    staff, vacancies, _ = _monthly_staff(hire_share=0.0, turnover_rate=0.2)
    assert (np.diff(staff) < 0).all()
    monthly = 1 - (1 - 0.2) ** (1 / 12)
    assert (np.diff(staff) <= -monthly * staff[:-1] + 1e-9).all()  # at least the leavers leave
    assert vacancies[-1] > vacancies[0]


def test_providers_fill_vacancies_from_the_pool():
    staff, vacancies, pool = _monthly_staff(hire_share=0.5)
    slow_staff, slow_vacancies, _ = _monthly_staff(hire_share=0.05)
    assert (pool >= 0).all()
    assert vacancies.mean() < slow_vacancies.mean()  # faster hiring leaves fewer posts open
    assert staff.mean() > slow_staff.mean()
