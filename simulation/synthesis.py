"""The synthetic population at the start year: persons in households in areas, with kin and
neighbour ties. Set-up only; the monthly processes live in their own modules.

Method (docs/odd/initialisation.md):
1. single-year age-sex counts from the data set's 5-year table, back-projected to the start
   year by reverse survival and scaled to the projected population times ``run.scale``;
2. young adults live with a parent with the same age curve the leave-home process uses;
3. other adults live with a partner with the data set's age-sex probabilities, paired by age;
4. children at home get a mother of plausible age (siblings share her), the father is her partner;
5. every couple and every single adult is a household; households are placed in areas so that each
   area gets its share of the residents, its own share of residents aged 65+ and its own persons
   per household (data set);
6. adults get parents in the municipality with ``network.kin_local_share``, persons 40+ get
   children living outside it; households get neighbour ties within their area.
"""

from __future__ import annotations

import numpy as np
from scipy import optimize
from threadpoolctl import threadpool_limits

from .dataset import MAX_AGE, Dataset
from .demography import pair_by_age
from .life_events import at_home_share
from .population import FEMALE, MALE, NO_ID, Population
from .scenario import Scenario

ADULT_AGE = 18
MOTHER_AGES = np.arange(15, 50)


def back_project(ds: Dataset, year: int) -> np.ndarray:
    """Age-sex counts on 1 January ``year`` from the data set's later structure: persons aged
    ``a`` then are aged ``a + d`` at the table date, divided by their survival over ``d`` years."""
    base = ds.age_sex_single_years
    d = ds.age_sex_year - year
    if d == 0:
        return base.copy()
    survive = 1.0 - ds.qx(year)
    out = np.zeros_like(base)
    for a in range(MAX_AGE + 1 - d):
        out[:, a] = base[:, a + d] / np.prod(survive[:, a : a + d], axis=1)
    return out


def pick_by_age(cand: np.ndarray, cand_age: np.ndarray, target: np.ndarray, rng: np.random.Generator,
                cap: int, window: int = 1) -> np.ndarray:
    """For each target age, a random candidate within ``window`` years of it (NO_ID if none).
    A candidate is picked at most ``cap`` times (the targets after that get NO_ID): without
    it, the few oldest women would be the mothers of hundreds of old residents."""
    order = np.argsort(cand_age, kind="stable")
    ages = cand_age[order]
    lo = np.searchsorted(ages, target - window, side="left")
    hi = np.searchsorted(ages, target + window, side="right")
    n = hi - lo
    idx = lo + (rng.random(len(target)) * n).astype(np.int64)
    picks = np.where(n > 0, cand[order][np.minimum(idx, len(cand) - 1)], NO_ID)
    # rank of each pick among the picks of its candidate, in random order
    shuffled = rng.permutation(len(picks))
    by_candidate = shuffled[np.argsort(picks[shuffled], kind="stable")]
    sorted_picks = picks[by_candidate]
    rank = np.empty(len(picks), dtype=np.int64)
    rank[by_candidate] = np.arange(len(picks)) - np.searchsorted(sorted_picks, sorted_picks)
    return np.where(rank < cap, picks, NO_ID)


def place_in_areas(household: np.ndarray, age: np.ndarray, ds: Dataset, rng: np.random.Generator) -> np.ndarray:
    """An area for each household (``household``: each person's household, 0..H-1), drawn so
    that each area's expected residents match its share, its expected residents aged 65+ match
    its share of the municipality's 65+ residents (``Dataset.area_old_age_ratio``) and its
    expected households match its residents over its persons per household
    (``Dataset.area_household_size_ratio``).

    Households are grouped by their residents and residents aged 65+; a group's probabilities
    over the areas are the areas' shares tilted as little as possible (maximum entropy) to meet
    the three expected counts of every area. Without the data set's ratios every area gets the
    municipality's age structure and household sizes."""
    n_hh = int(household.max()) + 1
    size = np.bincount(household, minlength=n_hh)
    older = np.bincount(household, weights=age >= 65, minlength=n_hh).astype(np.int64)
    groups, group = np.unique(np.stack([size, older]), axis=1, return_inverse=True)
    group = group.ravel()
    n = np.bincount(group, minlength=groups.shape[1]).astype(float)
    features = np.vstack([groups, np.ones(groups.shape[1])]).T  # residents, residents 65+, 1
    shares = ds.area_shares
    per_household = shares / ds.area_household_size_ratio
    targets = np.stack([shares * size.sum(), shares * ds.area_old_age_ratio * older.sum(),
                        per_household / per_household.sum() * n_hh], axis=1)
    p = area_probabilities(n, features, shares, targets)
    # one draw per household from its group's row: inverse-CDF on a uniform
    u = rng.random(n_hh)
    return (u[:, None] > np.cumsum(p, axis=1)[group, :-1]).sum(axis=1).astype(np.int16)


def area_probabilities(n: np.ndarray, features: np.ndarray, prior: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Each group's probabilities over the areas, P[g, a] ∝ prior[a] exp(features[g] · θ[a]),
    with θ chosen so that Σ_g n[g] P[g, a] features[g] = targets[a] (the maximum-entropy
    solution closest to the prior; the convex dual is minimised)."""
    scale = features.max(axis=0)
    f = features / scale  # comparable magnitudes for the optimiser
    t = targets / scale
    log_prior = np.log(prior)

    def probabilities(theta: np.ndarray) -> np.ndarray:
        logits = log_prior + f @ theta.reshape(len(prior), -1).T
        logits -= logits.max(axis=1, keepdims=True)
        w = np.exp(logits)
        return w / w.sum(axis=1, keepdims=True)

    def dual(theta: np.ndarray) -> tuple[float, np.ndarray]:
        logits = log_prior + f @ theta.reshape(len(prior), -1).T
        top = logits.max(axis=1, keepdims=True)
        value = n @ (top.ravel() + np.log(np.exp(logits - top).sum(axis=1))) - (theta.reshape(len(prior), -1) * t).sum()
        grad = (probabilities(theta) * n[:, None]).T @ f - t
        return value, grad.ravel()

    # one BLAS thread: the matrices are a few dozen numbers, and OpenBLAS's own threads, woken for
    # each product, made the fit cost 0.15-0.25 s of every model built instead of about 0.02 s
    # (more on a loaded machine; the result is the same to the bit)
    with threadpool_limits(limits=1, user_api="blas"):
        fit = optimize.minimize(dual, np.zeros(targets.size), jac=True, method="L-BFGS-B",
                                options={"maxiter": 1000, "gtol": 1e-10, "ftol": 1e-15})
        return probabilities(fit.x)


def maternal_ages(ds: Dataset, year: int, size: int, rng: np.random.Generator) -> np.ndarray:
    w = ds.asfr(year)[MOTHER_AGES]
    return rng.choice(MOTHER_AGES, size=size, p=w / w.sum())


def synthesise(pop: Population, ds: Dataset, sc: Scenario, rng: np.random.Generator,
               start_month: int, cohesion: np.ndarray) -> None:
    """Fill ``pop`` (empty) with the start-year population."""
    year = sc.run.start_year
    variant = sc.demography.projection_variant
    if variant == "none":
        variant = ds.meta.get("default_projection", ds.projection_variants[0])
    total = int(round(ds.projected_population(variant, year) * sc.run.scale))

    # 1. persons by age and sex
    counts = back_project(ds, year)
    cells = rng.multinomial(total, (counts / counts.sum()).ravel())
    sex_age = np.repeat(np.arange(cells.size), cells)
    sex = (sex_age // (MAX_AGE + 1)).astype(np.int8)
    age = sex_age % (MAX_AGE + 1)
    n = len(age)
    birth = start_month - 12 * age - rng.integers(0, 12, n)
    ids = pop.persons.add(n, alive=True, sex=sex, birth_month=birth)

    # 2. who still lives with a parent
    at_home = (age < ADULT_AGE) | (rng.random(n) < at_home_share(age + 0.5, sc.demography.leave_home_median_age))
    independent = ids[~at_home]

    # 3. couples among independent adults, paired by age (men AGE_GAP years older on average)
    p_couple = ds.couple_probability[sex[independent], age[independent]]
    coupled = independent[rng.random(len(independent)) < p_couple]
    men = coupled[sex[coupled] == MALE]
    women = coupled[sex[coupled] == FEMALE]
    men, women = pair_by_age(men, women, age[men], age[women], rng)
    pop.persons.partner[men] = women
    pop.persons.partner[women] = men

    # 5 (first part). households: one per couple and per single independent adult
    heads = independent[(pop.persons.partner[independent] == NO_ID) | (sex[independent] == MALE)]
    hh = pop.households.add(len(heads), alive=True, formed_month=start_month)
    pop.persons.household[heads] = hh
    pop.persons.household[women] = pop.persons.household[men]

    # 4. children at home: siblings share a mother chosen by age; families with at least one child
    kids = ids[at_home]
    target = age[kids] + maternal_ages(ds, year, len(kids), rng)
    targets = ds.meta["synthesis"]
    n_households = total / targets["household_size"]
    share_families = targets["share_couple_with_children"] + targets["share_single_parent"]
    single_share = targets["share_single_parent"] / share_families
    kids_per_family = max(len(kids) / (n_households * share_families), 1.0)
    indep_women = independent[sex[independent] == FEMALE]
    mother = np.full(len(kids), NO_ID, dtype=np.int64)
    for m in np.unique(target):
        sel = np.flatnonzero(target == m)
        for window in (0, 1, 2, 4, 8, 16, 40):
            cand = indep_women[np.abs(age[indep_women] - m) <= window]
            if len(cand):
                break
        # weight partnered women so that the share of single-parent families meets the target
        partnered = pop.persons.partner[cand] != NO_ID
        c = partnered.mean()
        w_partnered = (1 - c) * (1 - single_share) / (c * single_share) if 0 < c < 1 else 1.0
        w = np.where(partnered, w_partnered, 1.0)
        n_fam = int(min(len(sel), np.ceil(len(sel) / kids_per_family), len(cand)))
        mothers = rng.choice(cand, size=n_fam, replace=False, p=w / w.sum())
        slot = np.concatenate([np.arange(n_fam), rng.integers(0, n_fam, len(sel) - n_fam)])
        mother[sel[rng.permutation(len(sel))]] = mothers[slot]
    pop.persons.mother[kids] = mother
    pop.persons.father[kids] = pop.persons.partner[mother]
    pop.persons.household[kids] = pop.persons.household[mother]

    # 5 (second part). areas, once the households have their children
    areas = place_in_areas(pop.persons.household - hh[0], age, ds, rng)
    pop.households.area[hh] = areas

    # 6. kin ties of independent adults and children living outside the municipality
    net = sc.network
    local = independent[rng.random(len(independent)) < net.kin_local_share]
    their_mother = pick_by_age(indep_women, age[indep_women], age[local] + maternal_ages(ds, year, len(local), rng),
                               rng, cap=int(np.ceil(2 * net.children_per_parent)))
    local = local[their_mother != NO_ID]
    their_mother = their_mother[their_mother != NO_ID]
    pop.persons.mother[local] = their_mother
    pop.persons.father[local] = pop.persons.partner[their_mother]
    older = ids[age >= 40]
    pop.persons.children_outside[older] = np.minimum(
        rng.poisson(net.children_per_parent * (1 - net.kin_local_share), len(older)), 127)

    pop.draw_neighbours(hh, np.uint64(rng.integers(2**63)), cohesion)
