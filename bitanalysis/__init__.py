"""bitanalysis: does the money paid for specialised social services buy what citizens need (Behov – Indsats – Takst)?

The public surface is what this module exports (`__all__`) and the public modules `bitanalysis.economics`,
`bitanalysis.charts` (plotly, imported on use) and `bitanalysis.present` (Danish tables and sentences for reports);
the subpackages `core`, `io`, `workspace`, `bit` and `reports` are internal and may change without notice. The layers
and what each owns are in docs/architecture.md.
"""

import sys
from types import ModuleType
from typing import cast

# jsonschema, which nbformat, papermill and plotly's notebook renderers import, builds some 39 Earley parsers of
# `rfc3987_syntax` when it is imported (1-3 s in every process and kernel that runs or reads a notebook) for the 'iri'
# format no notebook schema uses (python-jsonschema/jsonschema#1428). A None entry in sys.modules makes that import
# fail at once (documented), and jsonschema leaves that one format unchecked; typeshed types the values as modules only.
if "jsonschema" not in sys.modules:
    cast("dict[str, ModuleType | None]", sys.modules).setdefault("rfc3987_syntax", None)

from bitanalysis import economics
from bitanalysis.bit.deliveries import delivery_rows
from bitanalysis.bit.explain import explain
from bitanalysis.bit.findings import findings, monthly_findings, summarise, traffic_light
from bitanalysis.bit.match import accounting, match
from bitanalysis.bit.summary import provider_summary
from bitanalysis.bit.tasks import TaskLists, task_delivery, task_lists
from bitanalysis.core import __version__
from bitanalysis.core.errors import InputError, ValidationError
from bitanalysis.core.period import Period, PeriodError, period, trailing, year_before
from bitanalysis.core.settings import Settings
from bitanalysis.io.mapping import Mapping, MappingError, read_mapping
from bitanalysis.reports.task_description import TaskDescription, task_description
from bitanalysis.workspace.load import load
from bitanalysis.workspace.select import Selection, select, selection
from bitanalysis.workspace.workspace import LoadReport, Workspace
from bitanalysis.workspace.write import write_table

__all__ = [
    "InputError",
    "LoadReport",
    "Mapping",
    "MappingError",
    "Period",
    "PeriodError",
    "Selection",
    "Settings",
    "TaskDescription",
    "TaskLists",
    "ValidationError",
    "Workspace",
    "__version__",
    "accounting",
    "delivery_rows",
    "economics",
    "explain",
    "findings",
    "load",
    "match",
    "monthly_findings",
    "period",
    "provider_summary",
    "read_mapping",
    "select",
    "selection",
    "summarise",
    "task_delivery",
    "task_description",
    "task_lists",
    "traffic_light",
    "trailing",
    "write_table",
    "year_before",
]
