"""bitanalysis: does the money paid for specialised social services buy what citizens need (Behov – Indsats – Takst)?"""

__version__ = "0.1.0"

from .load import LoadReport, ValidationError, Workspace, load  # noqa: E402
from .mapping import Mapping, read_mapping  # noqa: E402

__all__ = ["LoadReport", "Mapping", "ValidationError", "Workspace", "load", "read_mapping", "__version__"]
