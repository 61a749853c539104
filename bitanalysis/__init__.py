"""bitanalysis: does the money paid for specialised social services buy what citizens need (Behov – Indsats – Takst)?"""

__version__ = "0.1.0"

from . import economics  # noqa: E402
from .findings import findings  # noqa: E402
from .load import LoadReport, ValidationError, Workspace, load  # noqa: E402
from .mapping import Mapping, read_mapping  # noqa: E402
from .match import accounting, explain, match  # noqa: E402
from .period import Period, period  # noqa: E402
from .settings import Settings  # noqa: E402

__all__ = [
    "LoadReport", "Mapping", "Period", "Settings", "ValidationError", "Workspace", "__version__", "accounting", "economics",
    "explain", "findings", "load", "match", "period", "read_mapping",
]
