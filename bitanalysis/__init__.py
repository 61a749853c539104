"""bitanalysis: does the money paid for specialised social services buy what citizens need (Behov – Indsats – Takst)?

The public surface is what this module exports (`__all__`) and the public modules `bitanalysis.economics`,
`bitanalysis.charts` (plotly, imported on use) and `bitanalysis.present` (Danish tables and sentences for reports);
every module whose name starts with an underscore is private and may change without notice.
"""

__version__ = "0.1.0"

from . import economics
from ._errors import InputError, ValidationError
from ._explain import explain
from ._findings import findings, summarise, traffic_light
from ._load import load
from ._mapping import Mapping, MappingError, read_mapping
from ._match import accounting, match, select
from ._period import Period, PeriodError, period, year_before
from ._settings import Settings
from ._workspace import LoadReport, Workspace
from ._write import write_table

__all__ = [
    "InputError",
    "LoadReport",
    "Mapping",
    "MappingError",
    "Period",
    "PeriodError",
    "Settings",
    "ValidationError",
    "Workspace",
    "__version__",
    "accounting",
    "economics",
    "explain",
    "findings",
    "load",
    "match",
    "period",
    "read_mapping",
    "select",
    "summarise",
    "traffic_light",
    "write_table",
    "year_before",
]
