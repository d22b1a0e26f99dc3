"""The domain's vocabulary, shared by the data layer and every process: the domains of help
(and which routes of the Emmen access model can meet each), the severities of a problem, the
statuses saying who is meeting it, the professions providers staff, and units.

Nothing here acts: it only names things, so ``dataset.py`` and all processes can import it
without depending on one another.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np

WEEKS_PER_MONTH = 52.0 / 12.0  # hours per week x this = hours per month
PROFESSIONS = ("household_help", "support", "youth")  # providers' staff, by the domains' ``profession``


class Severity(IntEnum):
    LIGHT = 0
    MEDIUM = 1
    HEAVY = 2


class Status(IntEnum):
    """Who is meeting a person's problem now."""

    NONE = 0  # no problem, or a new one not yet placed by the pathway
    SELF = 1  # covered by the own household (no help request)
    INFORMAL = 2  # covered by kin, neighbours or volunteers
    QUEUED = 3  # help request waiting at the access team
    GENERAL = 4  # in a general provision
    CUSTOM_WAIT = 5  # indicated for a customised provision, waiting for a place
    CUSTOM = 6  # receiving a customised provision
    PROTECTED_WAIT = 7  # indicated for protected living, waiting for a place
    PROTECTED = 8  # in protected living
    PRIVATE = 9  # help organised and paid privately (no request)


WAITING = (Status.QUEUED, Status.CUSTOM_WAIT, Status.PROTECTED_WAIT)


def status_in(status: np.ndarray, statuses) -> np.ndarray:
    """Mask: each ``status`` is one of ``statuses`` (a table lookup, without the overhead of ``np.isin``)."""
    table = np.zeros(len(Status), dtype=bool)
    table[list(statuses)] = True
    return table[status]


IS_WAITING = status_in(np.arange(len(Status)), WAITING)  # by status


@dataclass(frozen=True)
class Domain:
    """What kinds of help can meet a problem of this domain (the pathway of the Emmen access model)."""

    name: str
    wmo: bool  # a customised provision here is a Wmo maatwerkvoorziening
    household: bool  # the own household can cover it
    network: bool  # kin and neighbours can cover it
    arranged: bool  # the access team can arrange informal support (volunteers, network)
    advice: bool  # the access team can settle a light question itself
    general: bool  # a general provision can meet it


DOMAINS = (
    # the fixed rules; where informal help's reach is a judgement call (kin and volunteers at
    # household help, aids, youth care) the flag is False and the share is a scenario parameter
    # of [substitution] (SUBSTITUTION below)
    Domain("household_help", wmo=True, household=True, network=False, arranged=False, advice=True, general=True),
    Domain("individual_support", wmo=True, household=True, network=True, arranged=True, advice=True, general=True),
    Domain("day_activities", wmo=True, household=False, network=True, arranged=True, advice=False, general=True),
    Domain("aids_adaptations", wmo=True, household=False, network=False, arranged=False, advice=False, general=False),
    Domain("youth_care", wmo=False, household=False, network=False, arranged=True, advice=True, general=True),
    Domain("debt_help", wmo=False, household=False, network=True, arranged=True, advice=True, general=True),
    Domain("protected_living", wmo=False, household=False, network=False, arranged=False, advice=False, general=False),
)
DOMAIN_INDEX = {d.name: i for i, d in enumerate(DOMAINS)}


def domain_flag(flag: str) -> np.ndarray:
    """Boolean per domain index, e.g. ``domain_flag('network')[need_domain]``."""
    return np.array([getattr(d, flag) for d in DOMAINS])


# [substitution] parameters that set a route's share of a domain's problems (the judgement calls
# among the rules above): parameter -> (routes, domain); the routes are the Domain flags
# ``network`` (the own network when asked) and ``arranged`` (support the access team arranges)
SUBSTITUTION = {
    "informal_household_help": (("network", "arranged"), "household_help"),
    "informal_aids_adaptations": (("network", "arranged"), "aids_adaptations"),
    "informal_youth_care": (("network",), "youth_care"),
}


def domain_share(flag: str, substitution) -> np.ndarray:
    """Share of each domain's problems (by domain index) that the route ``flag`` can take on:
    the fixed rule (1 or 0), or the ``substitution`` section's parameter where one sets it."""
    share = domain_flag(flag).astype(float)
    for name, (routes, domain) in SUBSTITUTION.items():
        if flag in routes:
            share[DOMAIN_INDEX[domain]] = getattr(substitution, name)
    return share


def takes_on(flag: str, substitution, domain: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Mask: whether the route ``flag`` can take on each problem of ``domain``, ``u`` a
    persistent uniform per person (a rule of 1 or 0 needs no draw: u < 1 always holds)."""
    return u < domain_share(flag, substitution)[domain]
