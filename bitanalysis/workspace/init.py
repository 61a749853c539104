"""`bitanalysis init`: a mapping file proposed from the exports in a data folder, with the evidence for every choice.

The entry points: `init_folder` surveys the folder (`init_survey`), proposes its sections (`init_sections`) and
providers (`init_providers`), writes the mapping's text (`init_render`) and the providers table, and returns the
`Proposal`; `summary` is the short Danish text init prints after validating.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bitanalysis.core.cpr import hide_cpr
from bitanalysis.core.danish import TABLE_NAMES, number
from bitanalysis.core.errors import InputError
from bitanalysis.io.mapping import MAPPING_FILE
from bitanalysis.workspace.init_providers import Providers, propose_providers
from bitanalysis.workspace.init_render import PROVIDERS_SECTION, not_found, render
from bitanalysis.workspace.init_sections import Section, sections
from bitanalysis.workspace.init_survey import PROVIDERS_EXTRA, PROVIDERS_FILE, Survey, survey
from bitanalysis.workspace.load import data_folder
from bitanalysis.workspace.write import write_table, write_text

if TYPE_CHECKING:
    from bitanalysis.workspace.workspace import Workspace


class InitError(InputError):
    """init cannot write a mapping: one exists already, or nothing in the folder looks like an export."""


@dataclass
class Proposal:
    """What init wrote: the mapping's sections, the providers it proposed, and what to check by hand."""

    survey: Survey
    sections: list[Section]
    providers: Providers
    mapping_path: Path
    providers_path: Path | None = None

    @property
    def not_found(self) -> list[str]:
        """The tables the match needs that init did not find, or found without all their columns (Danish lines)."""
        return not_found(self.survey, self.sections)


def _write_providers(folder: Path, providers: Providers, secs: list[Section], force: bool) -> Path:
    """Write the proposed providers table; beside a providers table of the folder's own, only the names to add, as a
    second file of its section."""
    written = folder / (PROVIDERS_EXTRA if providers.has_table else PROVIDERS_FILE)
    if written.exists() and not force:
        raise InitError(f"{written} findes allerede; init overskriver den kun med --force")
    frame = providers.frame()
    if providers.has_table:
        frame = frame[frame["Andre navne"] != ""]
        sec = next(s for s in secs if s.table == "providers")
        sec.files.append(PROVIDERS_EXTRA)
        for col, header in (("provider_id", "TilbudsID"), ("name", "Tilbudsnavn"), ("aliases", "Andre navne")):
            sec.columns.setdefault(col, []).append(header)
            sec.notes.setdefault(col, "foreslået af init")
        sec.optional = list(dict.fromkeys([*sec.optional, "aliases"]))
        sec.checks.append(f"{PROVIDERS_EXTRA}: andre navne, som init har koblet til tilbuddene; kontrollér koblingerne")
    return write_table(frame, written)


def init_folder(path: str | Path, *, force: bool = False) -> Proposal:
    """Propose and write a data folder's mapping file (and a providers table where names must be tied to ids)."""
    folder = data_folder(path)
    target = folder / MAPPING_FILE
    if target.exists() and not force:
        raise InitError(f"{target} findes allerede; init overskriver den kun med --force (gem en kopi først, hvis du har rettet i den)")
    found = survey(folder)
    secs = sections(found)
    if not secs:
        raise InitError(f"ingen af de {len(found.files)} filer i {folder} ligner bevillinger, takster, dokumentation eller udredninger")
    providers = propose_providers(secs)
    written = _write_providers(folder, providers, secs, force) if providers.aliases else None
    text = render(found, secs)
    if written is not None and not providers.has_table:
        text += PROVIDERS_SECTION
    write_text(text, target)
    return Proposal(found, secs, providers, target, written)


REQUIRED = ("orders", "rates", "deliveries", "assessments")


def _weak(secs: list[Section]) -> list[str]:
    """Column choices made on little evidence: a header that only resembles the name, or the values alone."""
    out = []
    for sec in secs:
        for s in sec.seen[:1]:
            r = s.reading
            assert r is not None
            out += [
                f"[{sec.table}.columns] {c.column} = '{c.source}' ({sec.notes[c.column]})" for c in r.choices.values() if c.score < 0.85
            ]
    return out


def _to_check(proposal: Proposal) -> list[str]:
    """What a person should look at by hand, in Danish."""
    lines = _weak(proposal.sections)
    lines += [f"tilbuddet '{n}' kunne ikke kobles til et kendt tilbud; tilføj det i en tilbudstabel" for n in proposal.providers.unresolved]
    for sec in proposal.sections:
        lines += [f"[{sec.table}] {c}" for c in sec.checks]
        if sec.sensitive:
            lines.append(f"[{sec.table}] kolonner markeret som navne/fritekst (læses ikke ind): {', '.join(sec.sensitive)}")
    used = {s.where for sec in proposal.sections for s in sec.seen}
    lines += [f"bruges ikke (ligner ingen tabel): {s.where}" for s in proposal.survey.seen if s.where not in used]
    lines += [f"kunne ikke læses: {u}" for u in proposal.survey.unreadable]
    if proposal.providers_path is not None:
        names = sum(len(v) for v in proposal.providers.aliases.values())
        lines.append(f"{proposal.providers_path.name}: {names} navne er koblet til et tilbud som 'Andre navne'; kontrollér koblingerne")
    return lines


def summary(proposal: Proposal, ws: Workspace) -> str:
    """The short Danish summary init prints after validating: rows per table, what the match lacks, what to check."""
    files = ws.load_report.files
    lines = ["Tabeller (rækker indlæst):"]
    for sec in proposal.sections:
        rows = int(files.loc[files["table"] == sec.table, "rows_accepted"].sum())
        lines.append(f"  {TABLE_NAMES[sec.table]:<34} {number(rows):>10}   {', '.join(sec.files)}")
    missing = [TABLE_NAMES[t] for t in REQUIRED if t not in {s.table for s in proposal.sections}]
    if missing:
        lines.append(f"Mangler for matchet: {', '.join(missing)} (ingen fil ligner dem; tilføj dem i mappingen)")
    check = _to_check(proposal)
    if check:
        lines += ["Kontrollér i hånden:"] + [f"  - {hide_cpr(c)}" for c in check]
    errors = ws.load_report.errors
    if len(errors):
        lines.append(f"Validering: {len(errors)} problem(er) i data, efter årsag:")
        lines += ws.load_report.cause_lines(limit=8)
    else:
        lines.append("Validering: ingen problemer; alle rækker er læst.")
    return "\n".join(lines)
