"""socialsim: an agent-based model of a Dutch municipality's social domain, on Mesa."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("socialsim")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

from .model import SocialDomainModel  # noqa: E402
from .scenario import Scenario, ScenarioError  # noqa: E402

__all__ = ["SocialDomainModel", "Scenario", "ScenarioError", "__version__"]
