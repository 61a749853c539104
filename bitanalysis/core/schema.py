"""The canonical tables of the contract (§1): columns, kinds, default Danish aliases and pandera checks."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals


@dataclass(frozen=True)
class Column:
    """One canonical column: its name, how its cells are parsed, whether it must be there, and its input aliases."""

    name: str
    kind: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    label: str = ""  # Danish name for messages when the source column is unknown


CPR = ("CPR", "CPR-nr.", "CPR-nummer", "Cpr nr", "CPR nr.", "Personnummer", "cpr")
CITIZEN = ("citizen_id", "BorgerID", "Borger-id", "Pseudonym")
PROVIDER = ("provider_id", "TilbudsID", "Tilbud ID", "Tilbuds-id", "LeverandørID", "Leverandør ID", "LeverandørIndsats")

TABLES: dict[str, tuple[Column, ...]] = {
    "orders": (
        Column("order_id", "id", False, ("order_id", "BevillingsID", "Bevilling ID", "Sag rækkeID", "IndsatsID"), "Bevillings-id"),
        Column("cpr", "cpr", False, CPR, "CPR"),
        Column("citizen_id", "id", False, CITIZEN, "Borger"),
        Column("provider_id", "id", True, PROVIDER, "Tilbud"),
        Column("provider_name", "text", False, ("provider_name", "LeverandørNavn", "Leverandør", "Tilbudsnavn"), "Tilbudsnavn"),
        Column("paragraph", "paragraph", True, ("paragraph", "Paragraf", "Lovhjemmel", "ForventetParagraf"), "Paragraf"),
        Column("service", "text", True, ("service", "Ydelse", "Indsats", "Ydelsestype"), "Ydelse"),
        Column("themes", "list", False, ("themes", "Temaer", "Tema", "Indsatsområder"), "Temaer"),
        Column(
            "start_date", "date", True, ("start_date", "IndsatsStartDato", "Startdato", "Ydelse startdato", "Bevilget fra"), "Startdato"
        ),
        Column("end_date", "end", False, ("end_date", "IndsatsSlutDato", "Slutdato", "Ydelse slutdato", "Bevilget til"), "Slutdato"),
        Column(
            "hours_per_week", "number", False, ("hours_per_week", "Timer pr. uge", "Timer/uge", "Bevilgede timer pr. uge"), "Timer pr. uge"
        ),
        Column("rate_level", "level", False, ("rate_level", "Takstniveau", "Takstgruppe", "Ydelsespakke", "Niveau"), "Takstniveau"),
        Column("is_addon", "bool", False, ("is_addon", "Tillæg", "Tillægsydelse"), "Tillæg"),
        Column("target_group", "text", False, ("target_group", "Målgruppe"), "Målgruppe"),
        Column("team", "text", False, ("team", "Myndighedsteam", "AfdelingNavn", "Afdeling"), "Myndighedsteam"),
    ),
    "rates": (
        Column("provider_id", "id", True, PROVIDER, "Tilbud"),
        Column("provider_name", "text", False, ("provider_name", "Tilbudsnavn", "LeverandørNavn", "Leverandør"), "Tilbudsnavn"),
        Column("rate_level", "level", True, ("rate_level", "Takstniveau", "Takstgruppe", "Niveau", "Ydelsespakke"), "Takstniveau"),
        Column("label", "text", False, ("label", "Beskrivelse", "Takstnavn", "Takstbetegnelse"), "Beskrivelse"),
        Column("paragraph", "paragraph", False, ("paragraph", "Paragraf", "Lovhjemmel"), "Paragraf"),
        Column("amount", "number", True, ("amount", "Takst", "Beløb", "Takst (kr.)", "Pris"), "Takst"),
        Column("unit", "unit", True, ("unit", "Enhed", "Takstenhed"), "Enhed"),
        Column("valid_from", "date", True, ("valid_from", "Gyldig fra", "Fra dato"), "Gyldig fra"),
        Column("valid_to", "end", False, ("valid_to", "Gyldig til", "Til dato"), "Gyldig til"),
        Column(
            "min_hours_per_week", "number", False, ("min_hours_per_week", "Timer pr. uge fra", "Min. timer pr. uge"), "Timer pr. uge fra"
        ),
        Column(
            "max_hours_per_week", "number", False, ("max_hours_per_week", "Timer pr. uge til", "Maks. timer pr. uge"), "Timer pr. uge til"
        ),
        Column("includes", "list", False, ("includes", "Indeholder", "Inkluderede ydelser"), "Indeholder"),
        Column("year", "year", False, ("year", "År", "Takstår", "Årstal"), "År"),  # input only: gives valid_from/valid_to
    ),
    "deliveries": (
        Column("cpr", "cpr", False, CPR, "CPR"),
        Column("citizen_id", "id", False, CITIZEN, "Borger"),
        Column("provider_id", "id", True, PROVIDER, "Tilbud"),
        Column(
            "provider_name",
            "text",
            False,
            ("provider_name", "Tilbudsnavn", "Leverandør", "Leverandørnavn", "Udfører", "Tilbud"),
            "Tilbudsnavn",
        ),
        Column("date", "date", True, ("date", "Dato", "UdførtDato", "Leveret dato"), "Dato"),
        Column("minutes", "duration", True, ("minutes", "Varighed", "Minutter", "Tid", "Varighed (min)"), "Varighed"),
        Column("service", "text", False, ("service", "Ydelse", "Indsats", "Aktivitet"), "Ydelse"),
        Column("task", "text", False, ("task", "Opgave", "Delindsats", "Aktivitet"), "Opgave"),  # the task list's task it was for
    ),
    "assessments": (
        Column("cpr", "cpr", False, CPR, "CPR"),
        Column("citizen_id", "id", False, CITIZEN, "Borger"),
        Column("assessed_on", "date", True, ("assessed_on", "Udredningsdato", "Vurderingsdato", "Dato"), "Udredningsdato"),
        Column("theme", "text", True, ("theme", "Tema", "FFB-tema"), "Tema"),
        Column("level", "need_level", False, ("level", "Funktionsevneniveau", "Niveau"), "Funktionsevneniveau"),
        Column("support_level", "need_level", False, ("support_level", "Støttebehovsniveau"), "Støttebehovsniveau"),
    ),
    "citizens": (
        Column("cpr", "cpr", False, CPR, "CPR"),
        Column("citizen_id", "id", False, CITIZEN, "Borger"),
        Column("target_group", "text", False, ("target_group", "Målgruppe"), "Målgruppe"),
        Column("team", "text", False, ("team", "Myndighedsteam", "AfdelingNavn", "Afdeling"), "Myndighedsteam"),
    ),
    "budget": (
        Column("year", "year", True, ("year", "År", "Budgetår"), "År"),
        Column("area", "area", True, ("area", "Område", "Paragraf", "Funktion"), "Område"),
        Column("amount", "number", True, ("amount", "Budget (kr.)", "Budget", "Korrigeret budget", "Beløb"), "Budget"),
    ),
    "price_index": (
        Column("year", "year", True, ("year", "År"), "År"),
        Column("factor", "number", True, ("factor", "P/L-faktor", "Faktor", "Indeks"), "P/L-faktor"),
    ),
    "tasks": (  # the indsatsliste: minutes_per_week as given, or from frequency × duration at load
        Column(
            "order_id",
            "id",
            True,
            ("order_id", "BevillingsID", "Bevilling ID", "Bevillings-id", "IndsatsID", "Indsats-id", "Indsats"),
            "Bevillings-id",
        ),
        Column("theme", "text", True, ("theme", "Tema", "FFB-tema", "Indsatsområde"), "Tema"),
        Column("task", "text", True, ("task", "Opgave", "Delindsats", "Aktivitet", "Opgavebeskrivelse"), "Opgave"),
        Column("minutes_per_week", "task_time", False, ("minutes_per_week", "Minutter pr. uge", "Tid pr. uge", "Omfang"), "Tid pr. uge"),
        Column("frequency", "text", False, ("frequency", "Hyppighed", "Frekvens"), "Hyppighed"),  # input only
        Column("duration", "text", False, ("duration", "Varighed", "Tid pr. gang", "Varighed pr. gang"), "Varighed"),  # input only
        Column("goal", "text", False, ("goal", "Indsatsmål", "Delmål", "Mål"), "Indsatsmål"),
    ),
    "providers": (  # not plain "Navn": that is a personal name (SENSITIVE), never a provider's
        Column("provider_id", "id", True, PROVIDER, "Tilbud"),
        Column("name", "text", True, ("name", "Tilbudsnavn", "Leverandørnavn", "Leverandør", "Navn på tilbud"), "Tilbudsnavn"),
        Column("aliases", "names", False, ("aliases", "Andre navne", "Aliaser", "Kaldes også"), "Andre navne"),
        Column("portal_id", "id", False, ("portal_id", "Tilbudsportalen-ID", "Tilbudsportalen id", "Tilbudsnummer"), "Tilbudsportalen-ID"),
    ),
}

#: Required columns that another column may stand in for: a provider known by name only (resolved to its id at load).
ALTERNATIVES = {"provider_id": "provider_name"}

#: Columns that hold staff names or free-text notes: never loaded, only read by the reports' privacy guard.
SENSITIVE = (
    "Medarbejder",
    "Notat",
    "PrimærAnsvarlig",
    "Bemærkning",
    "Bemærkninger",
    "Udreder",
    "Sagsbehandler",
    "Note",
    "Notattekst",
    "Journalnotat",
    "Borgernavn",
    "Navn",
    "Kommentar",
    "supplierComment",
    "Initialer",
)

#: Tables whose rows are about one citizen: they need a CPR or a pseudonym column.
CITIZEN_TABLES = ("orders", "deliveries", "assessments", "citizens")

#: The columns each table has in the Workspace, in order, and their dtypes when empty.
DTYPES: dict[str, dict[str, str]] = {
    "citizens": {"citizen_id": "string", "birth_year": "Int64", "target_group": "string", "team": "string"},
    "assessments": {"citizen_id": "string", "assessed_on": "datetime64[us]", "theme": "string", "level": "Int64", "support_level": "Int64"},
    "orders": {
        "order_id": "string",
        "citizen_id": "string",
        "provider_id": "string",
        "provider_name": "string",
        "paragraph": "string",
        "service": "string",
        "themes": "object",
        "start_date": "datetime64[us]",
        "end_date": "datetime64[us]",
        "hours_per_week": "float64",
        "rate_level": "string",
        "is_addon": "boolean",
        "target_group": "string",
        "team": "string",
    },
    "rates": {
        "provider_id": "string",
        "provider_name": "string",
        "rate_level": "string",
        "label": "string",
        "paragraph": "string",
        "unit": "string",
        "amount": "float64",
        "valid_from": "datetime64[us]",
        "valid_to": "datetime64[us]",
        "min_hours_per_week": "float64",
        "max_hours_per_week": "float64",
        "includes": "object",
    },
    "deliveries": {
        "citizen_id": "string",
        "provider_id": "string",
        "date": "datetime64[us]",
        "minutes": "float64",
        "service": "string",
        "task": "string",
    },
    "budget": {"year": "Int64", "area": "string", "amount": "float64"},
    "price_index": {"year": "Int64", "factor": "float64"},
    "providers": {"provider_id": "string", "name": "string", "aliases": "object", "portal_id": "string"},
    "tasks": {"order_id": "string", "theme": "string", "task": "string", "minutes_per_week": "float64", "goal": "string"},
}

#: Columns read from the exports but not kept in the Workspace: a delivery's provider name, resolved to its id at load.
INPUT_ONLY: dict[str, dict[str, str]] = {"deliveries": {"provider_name": "string"}}

#: Provenance columns kept on every loaded row, so a figure can be traced to the file and Excel row.
PROVENANCE = {"source": "string", "source_row": "Int64"}


def empty(table: str) -> pd.DataFrame:
    """An empty canonical table with the contract's columns and dtypes."""
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in {**DTYPES[table], **PROVENANCE}.items()})


@functools.cache
def checks() -> dict:
    """The value checks pandera runs after parsing (lazily): each failure becomes one Danish error line.

    Built on first use, so a notebook that reads a snapshot never imports pandera.
    """
    import pandera.pandas as pa

    def ge(column: str, floor: float) -> pa.Column:
        return pa.Column(float, pa.Check.ge(floor), nullable=True, required=False, name=column)

    levels = pa.Check.isin([0, 1, 2, 3, 4])
    return {
        "assessments": pa.DataFrameSchema(
            {"level": pa.Column("Int64", levels, nullable=True), "support_level": pa.Column("Int64", levels, nullable=True)}
        ),
        "orders": pa.DataFrameSchema({"hours_per_week": pa.Column(float, pa.Check.in_range(0, 168), nullable=True)}),
        "rates": pa.DataFrameSchema(
            {
                "amount": pa.Column(float, pa.Check.ge(0), nullable=False),
                "min_hours_per_week": ge("min_hours_per_week", 0),
                "max_hours_per_week": ge("max_hours_per_week", 0),
            }
        ),
        "deliveries": pa.DataFrameSchema({"minutes": pa.Column(float, pa.Check.in_range(0, 7 * 24 * 60), nullable=False)}),
        "price_index": pa.DataFrameSchema({"factor": pa.Column(float, pa.Check.gt(0), nullable=False)}),
        "tasks": pa.DataFrameSchema({"minutes_per_week": pa.Column(float, pa.Check.in_range(0, 7 * 24 * 60), nullable=True)}),
    }


#: What each pandera check expects, in Danish.
CHECK_TEXT = {
    ("assessments", "level"): "et niveau fra 0 til 4 (Ingen, Let, Moderat, Svært, Fuldstændigt)",
    ("assessments", "support_level"): "et niveau fra 0 til 4 (Intet, Let, Moderat, Højt, Fuldstændigt)",
    ("orders", "hours_per_week"): "et timetal pr. uge mellem 0 og 168",
    ("rates", "amount"): "et beløb på 0 kr. eller mere",
    ("rates", "min_hours_per_week"): "et timetal på 0 eller mere",
    ("rates", "max_hours_per_week"): "et timetal på 0 eller mere",
    ("deliveries", "minutes"): "en varighed mellem 0 og 168 timer pr. række (højst en uges registrering)",
    ("price_index", "factor"): "en faktor større end 0",
    ("tasks", "minutes_per_week"): "en tid pr. uge mellem 0 og 168 timer",
}


def conform(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """The table's canonical columns and dtypes (missing optional columns added empty)."""
    cols = {**DTYPES[table], **PROVENANCE}
    if "birth_year" in frame and table != "citizens":
        cols["birth_year"] = "Int64"
    cols |= {c: t for c, t in INPUT_ONLY.get(table, {}).items() if c in frame}
    out = pd.DataFrame(index=frame.index)
    for name, dtype in cols.items():
        if name in frame:
            out[name] = frame[name].astype(dtype) if dtype != "object" else frame[name]
        elif dtype == "object":
            out[name] = pd.Series([[] for _ in range(len(frame))], index=frame.index, dtype=object)
        else:
            out[name] = pd.Series(None, index=frame.index, dtype=dtype)
    if table == "orders":
        out["is_addon"] = out["is_addon"].fillna(False)
    return out


def concat(frames: list[pd.DataFrame], table: str) -> pd.DataFrame:
    """The non-empty frames of one table one after another (the empty table when there are none); text columns kept
    as categories (a compact table) stay categories."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return empty(table)
    if not any(isinstance(t, pd.CategoricalDtype) for f in frames for t in f.dtypes):
        return pd.concat(frames, ignore_index=True)
    columns = list(dict.fromkeys(c for f in frames for c in f.columns))
    return pd.DataFrame({c: _stacked([f.get(c) for f in frames], [len(f) for f in frames]) for c in columns})


def _stacked(parts: list[pd.Series | None], sizes: list[int]) -> pd.Series:
    """One column from the frames' parts (None: a frame without the column), categories united."""
    present = [p for p in parts if p is not None]
    if not all(isinstance(p.dtype, pd.CategoricalDtype) for p in present):
        filled = [p if p is not None else pd.Series(None, index=range(n), dtype=present[0].dtype) for p, n in zip(parts, sizes)]
        return pd.concat(filled, ignore_index=True)
    text = pd.StringDtype()  # one dtype for every part's categories (an empty part's may differ)
    filled = [
        pd.Categorical.from_codes(np.full(n, -1), categories=pd.Index([], dtype=text))
        if p is None
        else pd.Categorical.from_codes(p.cat.codes.to_numpy(), categories=p.cat.categories.astype(text))
        for p, n in zip(parts, sizes)
    ]
    return pd.Series(union_categoricals(filled), name=present[0].name)


def compact(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its text columns as categories: a table of millions of rows (the deliveries) in little memory."""
    return frame.astype({c: "category" for c in frame.columns if isinstance(frame[c].dtype, pd.StringDtype)})


def recode(s: pd.Series, fn: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """fn applied to a column; to a categorical column's categories only, and the result categorical again."""
    if not isinstance(s.dtype, pd.CategoricalDtype):
        return fn(s)
    codes, uniques = pd.factorize(fn(pd.Series(s.cat.categories)))
    mapped = np.append(codes, -1)[s.cat.codes.to_numpy()]
    return pd.Series(pd.Categorical.from_codes(mapped, categories=pd.Index(uniques)), index=s.index, name=s.name)


#: The load report's columns: one row per source file (or sheet) and what became of its rows.
REPORT_COLUMNS = [
    "table",
    "file",
    "sheet",
    "rows_read",
    "blank_rows",
    "totals_skipped",
    "rows_rejected",
    "duplicates_removed",
    "rows_accepted",
    "problem",  # why none of the source's rows could be used (unreadable, a needed column missing), else empty
]
COUNTS = REPORT_COLUMNS[3:-1]
