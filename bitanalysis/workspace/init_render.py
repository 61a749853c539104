"""The text of the mapping file `bitanalysis init` writes: TOML with a Danish comment on every choice (what it rests on,
what came second), the tables' Danish names, and the Danish lines on the tables the match needs that were not found.
"""

from __future__ import annotations

import json

from bitanalysis.core.cpr import hide_cpr
from bitanalysis.core.danish import TABLE_NAMES
from bitanalysis.core.schema import TABLES
from bitanalysis.io import detect
from bitanalysis.workspace.init_sections import Section
from bitanalysis.workspace.init_survey import PROVIDERS_FILE, Survey


def _q(text: str) -> str:
    """A TOML string: a literal '…' string for a pattern with backslashes, else a basic "…" string."""
    if "\\" in text and "'" not in text and "\n" not in text:
        return f"'{text}'"
    return json.dumps(text, ensure_ascii=False)


def _value(value: object) -> str:
    """A TOML value: a string, a list of strings or a number."""
    if isinstance(value, list):
        return _q(value[0]) if len(value) == 1 else "[" + ", ".join(_q(str(v)) for v in value) + "]"
    return str(value) if isinstance(value, int) else _q(str(value))


def _comment(text: str) -> str:
    """A one-line TOML comment, CPR numbers hidden."""
    return "# " + hide_cpr(" ".join(text.split()))


def _where_text(sec: Section) -> str:
    """The sheets a section reads, shortened."""
    shown = [f"{s.where} (overskrift i række {s.raw.header_row}, {len(s.raw.frame)} rækker)" for s in sec.seen[:4]]
    more = f" og {len(sec.seen) - 4} flere" if len(sec.seen) > 4 else ""
    return "; ".join(shown) + more


def _choice_text(sec: Section) -> str:
    """Why the sheets were taken for this table, and the runner-up."""
    first = sec.seen[0].readings
    text = f"Genkendt på kolonnerne (evidens {first[0].score:.1f})".replace(".", ",")
    if len(first) > 1:
        return text + f"; næstbedste tabel: {TABLE_NAMES[first[1].table]} ({first[1].score:.1f})".replace(".", ",")
    return text + "; ingen anden tabel passer"


def _labels(table: str, columns: list[str]) -> str:
    """Canonical columns by their Danish names ("Paragraf, Ydelse og Startdato")."""
    names = [next((c.label for c in TABLES[table] if c.name == col), col) or col for col in columns]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]


def lacks_text(sec: Section) -> str | None:
    """What a section read on its core alone lacks, in one Danish line (None when it lacks nothing)."""
    lacks = next((s.reading.lacks for s in sec.seen if s.reading is not None and s.reading.lacks), [])
    if not lacks:
        return None
    return (
        f"{TABLE_NAMES[sec.table]} er genkendt på CPR, tilbud og to datoer i {sec.seen[0].where}, men kolonnen for "
        f"{_labels(sec.table, lacks)} blev ikke fundet; skriv kildekolonnens navn i [{sec.table}.columns]"
    )


#: The tables the match cannot do without.
MATCH_TABLES = ("orders", "rates", "deliveries")


def not_found(survey: Survey, secs: list[Section]) -> list[str]:
    """One Danish line per table the match needs that no sheet was read as: the sheet that came closest, and the
    columns it lacked."""
    have = {sec.table for sec in secs}
    lines = []
    for table in (t for t in MATCH_TABLES if t not in have):
        ranked = sorted((detect.closest(table, s.profiles), i) for i, s in enumerate(survey.seen))
        if not ranked:
            lines.append(f"{TABLE_NAMES[table]} blev ikke fundet: mappen har ingen ark at læse")
            continue
        (_, _, lacks), i = ranked[0]
        near = survey.seen[i]
        why = f"som mangler {_labels(table, lacks)}" if lacks else "hvis overskrifter ikke siger det sikkert nok"
        lines.append(
            f"{TABLE_NAMES[table]} blev ikke fundet. Nærmest kom {near.where}, {why}"
            + (f" (i dag læst som {TABLE_NAMES[near.reading.table].lower()})" if near.reading is not None else "")
        )
    return lines + [t for sec in secs if (t := lacks_text(sec))]


def _head_lines(sec: Section) -> list[str]:
    """The section's header comments and its top-level keys."""
    lines = ["", _comment(f"{TABLE_NAMES[sec.table]}: {_where_text(sec)}"), _comment(_choice_text(sec))]
    if lacks_text(sec):
        lines.append(_comment(f"Kontrollér: {lacks_text(sec)}"))
    if sec.unmapped:
        lines.append(_comment("Kolonner, der ikke bruges: " + ", ".join(f"'{c}'" for c in sec.unmapped)))
    lines += [_comment(f"Kontrollér: {c}") for c in sec.checks]
    lines += [f"[{sec.table}]", f"files = {_value(sec.files)}"]
    if sec.sheet is not None:
        lines.append(f"sheet = {_value(sec.sheet)}")
    lines.append(f"header = {sec.header}" if sec.header else 'header = "auto"')
    if sec.optional:
        lines.append(_comment("Kolonner, som kun nogle af arkene har (arkene er sat op forskelligt)"))
        lines.append(f"optional = {_value(sec.optional)}")
    if sec.sensitive:
        lines.append(_comment("Navne og fritekst: læses aldrig ind; rapporterne kontrollerer, at intet herfra optræder"))
        lines.append(f"sensitive = {_value(sec.sensitive)}")
    return lines


def _section_lines(sec: Section) -> list[str]:
    """One table's section of the mapping file, a comment on every choice."""
    lines = _head_lines(sec)
    if sec.formats:
        lines += [f"[{sec.table}.formats]"] + [f"{k} = {_value(v)}" for k, v in sec.formats.items()]
    lines.append(f"[{sec.table}.columns]")
    for col, names in sec.columns.items():
        lines.append(f"{col} = {_value(names)}  {_comment(sec.notes[col])}")
    if sec.wide:
        lines += [f"[{sec.table}.wide]", _comment("Én kolonne pr. niveau (eller år): niveauet står i overskriften")]
        lines += [f"{k} = {_value(v)}" for k, v in sec.wide.items()]
    if sec.from_name:
        lines += [f"[{sec.table}.from_name]", f"year = {_q(sec.from_name['year'])}  {_comment('årstallet i arkets eller filens navn')}"]
    return lines


def render(survey: Survey, secs: list[Section]) -> str:
    """The mapping file's text."""
    used = {s.where for sec in secs for s in sec.seen}
    unused = [s.where for s in survey.seen if s.where not in used]
    lines = [
        _comment("Mappingfil foreslået af `bitanalysis init` ud fra eksporterne i mappen."),
        _comment("Hvert valg har en kommentar: hvad det bygger på, og hvad der kom på andenpladsen. Læs dem, ret det,"),
        _comment("der er forkert, og kør `bitanalysis validate` på mappen. Se README, afsnittet 'Your own data'."),
    ]
    if unused:
        lines.append(_comment("Ark og filer, der ikke ligner en af tabellerne (bruges ikke): " + "; ".join(unused)))
    lines += [_comment(f"Kunne ikke læses: {u}") for u in survey.unreadable]
    lines += ["version = 1", "", "[formats]", 'decimal = ","', 'thousands = "."', 'date_format = "auto"']
    lines += ['duration_unit = "minutes"', 'encoding = "auto"', 'delimiter = "auto"']
    for sec in secs:
        lines += _section_lines(sec)
    return "\n".join(lines) + "\n"


PROVIDERS_SECTION = f"""
# Tilbud: foreslået af init ud fra de tilbud, eksporterne nævner ({PROVIDERS_FILE}). Et tilbud skrevet med navn eller
# forkortet navn kobles til sit id gennem 'Andre navne'; ret eller tilføj navne i filen, og kør validate igen.
[providers]
files = "{PROVIDERS_FILE}"
[providers.columns]
provider_id = "TilbudsID"
name = "Tilbudsnavn"
aliases = "Andre navne"
"""
