"""The `bitanalysis` command: validate exports, make the sample municipality, and (later) match and report."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pandas as pd

from bitanalysis.core.cpr import hide_cpr
from bitanalysis.core.danish import kr, number, percent
from bitanalysis.core.errors import InputError, ValidationError
from bitanalysis.workspace.load import load
from bitanalysis.workspace.write import check_output, write_table

EXIT_OK, EXIT_DATA_ERRORS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 9


PERIOD_HELP = "2026-10, 2026-Q3, 2026-H1, 2026, 2026-01..2026-06, 2026-Q1..2026-Q3, 2025-H2..2026-H1, last-month eller last-quarter"


def _validate(args: argparse.Namespace) -> int:
    """Load a data folder, print the load summary, and fail on problems unless --lenient."""
    try:
        ws = load(args.data, mapping=args.mapping, strict=False, cache=not args.no_cache, progress=sys.stderr.isatty())
    except InputError as exc:
        print(f"Fejl: {_shown(exc)}", file=sys.stderr)
        return EXIT_USAGE
    print(f"Data: {Path(args.data).resolve()}")
    print(ws.load_report.summary())
    if args.errors_out and len(ws.load_report.errors):
        _write_out(ws.load_report.errors.drop(columns=["table"]), args.errors_out, ws, sheet="Fejl", report="Valideringsfejl")
        print(f"Fejltabellen er skrevet til {args.errors_out}")
    if len(ws.load_report.errors) and not args.lenient:
        print(
            f"\nValidering fejlede: {len(ws.load_report.errors)} problem(er). Ret dem i kildefilerne, "
            "eller kør med --lenient for at springe de fejlbehæftede rækker over.",
            file=sys.stderr,
        )
        return EXIT_DATA_ERRORS
    return EXIT_OK


def _init(args: argparse.Namespace) -> int:
    """Propose and write a data folder's mapping file, then validate the folder with it and print what to check."""
    from bitanalysis.workspace.init import init_folder, summary

    proposal = init_folder(args.data, force=args.force)
    for line in proposal.not_found:  # first: without these the match has nothing to work on
        print(line)
    print(f"Mappingfilen er skrevet: {_shown_path(proposal.mapping_path)} (læs kommentarerne ved hvert valg)")
    if proposal.providers_path is not None:
        print(f"Tilbudstabellen er foreslået: {_shown_path(proposal.providers_path)}")
    ws = load(args.data, progress=sys.stderr.isatty())
    print(summary(proposal, ws))
    print(f"Næste skridt: ret det, der skal rettes, og kør 'bitanalysis validate {args.data}'.")
    return EXIT_DATA_ERRORS if len(ws.load_report.errors) else EXIT_OK


def _write_out(table: pd.DataFrame, path: str, ws, *, sheet: str, report: str, period: str | None = None) -> None:
    """Write a command's table: a .xlsx as a Danish appendix ("Om rapporten", Danish headers and labels, number formats,
    see `present.write_appendix`); a .csv or .parquet with the canonical English columns, for analysts' tools."""
    if Path(path).suffix.lower() == ".xlsx":
        from bitanalysis.present import write_appendix

        write_appendix({sheet: table}, path, ws=ws, report=report, period=period)
    else:
        write_table(table, path, ws=ws)


def _shown_path(path: Path) -> str:
    """A path as shown on the terminal, CPR numbers hidden."""
    return hide_cpr(str(path))


def _load_for_analysis(args: argparse.Namespace):
    """Load the data folder leniently for an analysis, saying on stderr how many rows were left out."""
    ws = load(args.data, mapping=args.mapping)
    if len(ws.load_report.errors):
        print(
            f"Bemærk: {len(ws.load_report.errors)} problem(er) i data; de berørte rækker er udeladt "
            f"(se 'bitanalysis validate {args.data}').",
            file=sys.stderr,
        )
    return ws


def _match(args: argparse.Namespace) -> int:
    """Write the match table (one row per order and month) for a period."""
    from bitanalysis.bit.match import match

    ws = _load_for_analysis(args)
    table = match(ws, args.period)
    _write_out(table, args.out, ws, sheet="Bevillingsmåneder", report="Bevilling × måned (match)", period=args.period)
    print(f"{len(table)} rækker (bevilling × måned) for {args.period} skrevet til {args.out}; {_total_text(table)}")
    return EXIT_OK


def _total_text(table: pd.DataFrame) -> str:
    """The match's total cost, with the order-days it leaves out (never 0 kr. for a missing amount)."""
    from bitanalysis.economics import CostGaps

    gaps = CostGaps.of(table)
    if not gaps.order_days:
        return "ingen aktive bevillinger i perioden."
    if gaps.nothing_costed:
        days = number(gaps.order_days)
        return f"samlet udgift kan ikke opgøres: ingen af de {days} bevillingsdage har en udgift (takst eller timetal mangler)."
    if not gaps.days_without_cost:
        return f"samlet udgift {kr(table['cost'].sum())} (alle bevillingsdage har en udgift)."
    return (
        f"samlet udgift {kr(table['cost'].sum())}; {number(gaps.days_without_cost)} af {number(gaps.order_days)} bevillingsdage "
        f"har ingen udgift (takst eller timetal mangler) og er ikke medregnet."
    )


def _findings(args: argparse.Namespace) -> int:
    """Write the findings for a period and print their number and DKK at stake per type."""
    from bitanalysis.bit.findings import findings, summarise
    from bitanalysis.present import money

    ws = _load_for_analysis(args)
    table = findings(ws, args.period)
    if args.out:
        _write_out(table, args.out, ws, sheet="Fund", report="Fund", period=args.period)
        print(f"{len(table)} fund for {args.period} skrevet til {args.out}")
    summary = summarise(table)
    print(
        f"Fund for {args.period} pr. type (retning: over = der betales/bestilles mere end behov eller levering "
        "understøtter; under = borgeren får mindre):"
    )
    shown = pd.DataFrame(
        {
            "Type": summary["type"],
            "Retning": summary["direction"],
            "Antal": summary["findings"],
            "Kroner på spil": summary["dkk_at_stake"].map(money),
        }
    )
    print(shown.to_string(index=False) if len(shown) else "  Ingen fund.")
    return EXIT_OK


def _budget(args: argparse.Namespace) -> int:
    """Print the budget follow-up: budget, actual, committed, forecast and variance per budget area."""
    from bitanalysis.core.period import parse_day
    from bitanalysis.economics import budget_followup

    as_of = parse_day(args.as_of)  # day first or ISO, never month first; refused before the data is loaded
    ws = _load_for_analysis(args)
    table = budget_followup(ws, args.year, as_of)
    print(f"Budgetopfølgning {args.year} pr. {as_of:%d-%m-%Y} (kr., løbende priser; – = kan ikke opgøres):")
    shown = pd.DataFrame({"Område": table["area"].replace({"total": "I alt"})})
    for column, label in (
        ("budget", "Budget"),
        ("actual", "Forbrug til dato"),
        ("committed", "Disponeret resten af året"),
        ("forecast", "Forventet regnskab"),
        ("variance", "Afvigelse"),
    ):
        shown[label] = table[column].map(lambda v: number(v) if pd.notna(v) else "–")
    shown["Afvigelse %"] = table["variance_pct"].map(lambda v: percent(v) if pd.notna(v) else "–")
    print(shown.to_string(index=False))
    total = table.set_index("area").loc["total"]
    if total["days_without_cost"] > 0:
        print(
            f"Bemærk: {number(total['days_without_cost'])} bevillingsdage har ingen udgift og er ikke medregnet i beløbene "
            f"({number(total['actual_days_without_cost'])} i forbruget til dato, {number(total['committed_days_without_cost'])} "
            "i det disponerede), fordi taksten mangler for mindst én dag i bevillingsmåneden, eller fordi en timetakst mangler timetal. "
            f"Dage uden gyldig takst: {number(total['days_without_rate'])} (se fundtypen rate_missing)."
        )
    if args.out:
        _write_out(table, args.out, ws, sheet="Budgetopfølgning", report=f"Budgetopfølgning pr. {as_of:%d-%m-%Y}", period=str(args.year))
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    """Run report templates for a period and publish them under reports/<period>/."""
    from bitanalysis.core.period import period as as_period
    from bitanalysis.reports.jobs import ReportError
    from bitanalysis.reports.run import run

    label = as_period(args.period).label
    try:
        result = run(
            [args.name],
            label,
            args.data,
            args.out,
            provider_id=args.provider,
            workers=args.workers,
            pdf="all" if args.pdf else not args.no_pdf,
            keep_failed=args.keep_failed,
        )
    except ReportError as exc:
        print(f"Fejl: {_shown(exc)}", file=sys.stderr)
        return exc.exit_code
    print(f"{len(result.jobs)} rapport(er) for {label} offentliggjort i {result.folder}")
    return EXIT_OK


def _opgave(args: argparse.Namespace) -> int:
    """Make the task description of an order or a citizen for a period, and publish it (HTML, PDF) under OUT/<period>/."""
    from bitanalysis.core.period import period as as_period
    from bitanalysis.reports.jobs import ReportError
    from bitanalysis.reports.run import run

    label = as_period(args.period).label
    try:
        result = run(
            ["opgave"],
            label,
            args.data,
            args.out,
            workers=1,
            pdf="all" if not args.no_pdf else False,
            keep_failed=args.keep_failed,
            who=args.who,
            top=args.top,
        )
    except ReportError as exc:
        print(f"Fejl: {_shown(exc)}", file=sys.stderr)
        return exc.exit_code
    made = [f"{job.output}.html" for job in result.jobs]
    if result.pdf == "ok":
        made += [f"{job.output}.pdf" for job in result.jobs]
    print(f"Opgavebeskrivelsen for {_shown(args.who)} ({label}) er offentliggjort i {result.folder}: {', '.join(made)}")
    return EXIT_OK


def _sample(args: argparse.Namespace) -> int:
    """Write the synthetic sample municipality."""
    from bitanalysis_dev.sample import generate_sample

    planted = generate_sample(args.out, seed=args.seed, citizens=args.citizens)
    print(f"Eksempelkommune skrevet til {args.out} ({len(planted)} plantede sager)")
    return EXIT_OK


def _cache(args: argparse.Namespace) -> int:
    """Clear or prune a data folder's cache."""
    from bitanalysis.workspace.cache import CACHE_DIR, clear_cache, prune_cache
    from bitanalysis.workspace.load import cache_entries, data_folder

    folder = data_folder(args.data)
    if args.action == "clear":
        removed, freed = clear_cache(folder)
    else:
        removed, freed = prune_cache(folder, cache_entries(folder, args.mapping))
    print(f"{removed} cacheposter fjernet fra {folder / CACHE_DIR} ({number(freed / 1e6, 1)} MB frigjort).")
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    """The command-line parser with one sub-command per job."""
    p = argparse.ArgumentParser(
        prog="bitanalysis",
        description="BIT-analyse (Behov – Indsats – Takst) af det specialiserede socialområde: "
        "indlæs eksporter fra fagsystemer, tjek dem, og sammenhold behov, bestilt og leveret indsats og takst.",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="KOMMANDO")
    _add_init_command(sub)
    _add_validate_command(sub)
    _add_sample_command(sub)
    _add_analysis_commands(sub)
    _add_report_command(sub)
    _add_opgave_command(sub)
    _add_budget_command(sub)
    _add_cache_command(sub)
    return p


def _add_init_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `init` sub-command."""
    i = sub.add_parser(
        "init",
        help="foreslå og skriv mappingfilen (bitanalysis.toml) ud fra eksporterne i en mappe, og valider",
        description="Læser alle regneark og CSV-filer i DATAMAPPE, genkender tabeller og kolonner og skriver "
        "DATAMAPPE/bitanalysis.toml med en kommentar ved hvert valg; validerer derefter mappen. Afslutter med kode 1, "
        "hvis valideringen finder fejl, 2 hvis mappingfilen findes (uden --force) eller intet ligner en eksport.",
    )
    i.add_argument("data", help="mappen med eksporterne")
    i.add_argument("--force", action="store_true", help="overskriv en eksisterende bitanalysis.toml (og tilbud.csv)")
    i.set_defaults(func=_init)


def _add_validate_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `validate` sub-command."""
    v = sub.add_parser(
        "validate",
        help="indlæs og tjek en datamappe; udskriv rækker pr. tabel, afviste rækker og dubletter",
        description="Indlæser alle eksporter i DATAMAPPE efter mappingfilen og tjekker dem. "
        "Afslutter med kode 1, hvis der er fejl (medmindre --lenient), 2 ved ubrugelig mapping eller mappe.",
    )
    v.add_argument("data", help="mappen med eksporterne (og evt. bitanalysis.toml)")
    v.add_argument("--mapping", help="en anden mappingfil end DATAMAPPE/bitanalysis.toml")
    v.add_argument("--lenient", action="store_true", help="spring fejlbehæftede rækker over i stedet for at fejle")
    v.add_argument("--errors-out", help="skriv fejltabellen til en .csv-, .xlsx- eller .parquet-fil")
    v.add_argument("--no-cache", action="store_true", help="læs alle filer forfra uden cachen")
    v.set_defaults(func=_validate)


def _add_sample_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `sample` sub-command."""
    s = sub.add_parser(
        "sample",
        help="skriv en syntetisk eksempelkommune (til afprøvning og undervisning)",
        description="Skriver en realistisk, syntetisk kommunes eksporter i de layouts, fagsystemerne bruger.",
    )
    s.add_argument("--out", required=True, help="mappen, der skrives til")
    s.add_argument("--seed", type=int, default=2026, help="startværdi for tilfældighederne (samme seed giver samme data)")
    s.add_argument("--citizens", type=int, default=600, help="antal borgere (standard 600)")
    s.set_defaults(func=_sample)


def _add_analysis_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `match` and `findings` sub-commands."""
    for name, func, what in (
        ("match", _match, "skriv match-tabellen (bevilling × måned: bestilt, leveret, udgift) for en periode"),
        ("findings", _findings, "find uoverensstemmelser mellem behov, indsats og takst, med retning og kroner"),
    ):
        c = sub.add_parser(name, help=what, description=what[0].upper() + what[1:] + ".")
        c.add_argument("--period", required=True, help=PERIOD_HELP)
        c.add_argument("--data", default="data/sample", help="datamappen (standard: data/sample)")
        c.add_argument("--mapping", help="en anden mappingfil end DATA/bitanalysis.toml")
        c.add_argument("--out", required=name == "match", help="filen, der skrives til: .csv, .xlsx eller .parquet")
        c.set_defaults(func=func)


def _add_report_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `report` sub-command."""
    rep = sub.add_parser(
        "report",
        help="kør rapporterne (leader, findings, quality, provider eller all) for en periode",
        description="Kører rapportskabelonerne i notebooks/reports med papermill og offentliggør HTML, Excel-bilag, "
        "den kørte notebook og run.json i OUT/<periode>/ - kun hvis alle lykkes og ingen indeholder persondata. "
        "Afslutningskoder: 0 ok, 2 forkert brug, 3 en rapport fejlede, 4 persondata fundet i output, "
        "5 en anden kørsel er i gang.",
    )
    rep.add_argument("name", choices=["leader", "findings", "quality", "provider", "all"], help="rapporten, eller all for dem alle")
    rep.add_argument("--period", required=True, help=PERIOD_HELP)
    rep.add_argument("--data", default="data/sample", help="datamappen (standard: data/sample)")
    rep.add_argument("--out", default="reports", help="rapportmappen (standard: reports)")
    rep.add_argument("--provider", help="kun dette tilbud (for provider-rapporten)")
    rep.add_argument("--workers", type=int, default=2, help="antal rapporter, der køres samtidig (standard 2)")
    printing = rep.add_mutually_exclusive_group()
    printing.add_argument("--pdf", action="store_true", help="udskriv hver kørt rapport til en A4-PDF (lederrapporten også uden --pdf)")
    printing.add_argument("--no-pdf", action="store_true", help="spring PDF-udgaverne over (også lederrapportens)")
    rep.add_argument(
        "--keep-failed",
        action="store_true",
        help="bevar en fejlet eller afvist kørsels filer i OUT/.failed/ (ellers slettes de); de kan indeholde persondata",
    )
    rep.set_defaults(func=_report)


def _add_opgave_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `opgave` sub-command."""
    opg = sub.add_parser(
        "opgave",
        help="opgavebeskrivelse for en bevilling eller en borger (pseudonym): behov, opgaver, takst og passende tilbud",
        description="Skriver en opgavebeskrivelse i BIT-kolonnerne til dialogen med et muligt tilbud: B - seneste udredning pr. "
        "tema; I - opgaverne pr. tema med tid og mål, de bestilte timer og det leverede de seneste 12 måneder; T - takstniveau, "
        "timebånd, hvad taksten indeholder og prisen pr. bestilt time; og de tilbud, der passer, med begrundelse. En borger "
        "får et afsnit pr. aktiv bevilling. HTML og A4-PDF i OUT/<periode>/, kun med pseudonymer. Afslutningskoder: 0 ok, "
        "2 forkert brug eller ukendt bevilling/borger, 3 skabelonen fejlede, 4 persondata fundet i output, 5 en anden kørsel er i gang.",
    )
    opg.add_argument("who", metavar="BEVILLING|BORGER", help="bevillingens id (fx BEV-000123) eller borgerens pseudonym (B-...)")
    opg.add_argument("--period", required=True, help=PERIOD_HELP)
    opg.add_argument("--data", default="data/sample", help="datamappen (standard: data/sample)")
    opg.add_argument("--out", default="reports", help="rapportmappen (standard: reports)")
    opg.add_argument("--top", type=int, default=10, help="antal passende tilbud pr. bevilling (standard 10; det nuværende vises altid)")
    opg.add_argument("--no-pdf", action="store_true", help="spring PDF-udgaven over (kun HTML)")
    opg.add_argument(
        "--keep-failed",
        action="store_true",
        help="bevar en fejlet eller afvist kørsels filer i OUT/.failed/ (ellers slettes de); de kan indeholde persondata",
    )
    opg.set_defaults(func=_opgave)


def _add_budget_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `budget` sub-command."""
    bud = sub.add_parser(
        "budget",
        help="budgetopfølgning: budget, forbrug, disponeret, forventet regnskab og afvigelse pr. område",
        description="Forventet regnskab = forbrug til og med --as-of + disponerede udgifter til årets udgang "
        "for de bevillinger, der er aktive derefter (åbne bevillinger løber til 31. december).",
    )
    bud.add_argument("--year", type=int, required=True, help="budgetåret, fx 2026")
    bud.add_argument("--as-of", required=True, help="opgørelsesdatoen med dagen først (31-10-2026 eller 31.10.2026) eller som 2026-10-31")
    bud.add_argument("--data", default="data/sample", help="datamappen (standard: data/sample)")
    bud.add_argument("--mapping", help="en anden mappingfil end DATA/bitanalysis.toml")
    bud.add_argument("--out", help="skriv tabellen til en .csv-, .xlsx- eller .parquet-fil")
    bud.set_defaults(func=_budget)


def _add_cache_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `cache` sub-command."""
    c = sub.add_parser(
        "cache",
        help="ryd op i en datamappes cache: clear sletter den, prune fjerner det, de nuværende filer ikke bruger",
        description="Cachen i DATAMAPPE/.bitanalysis-cache kan altid bygges igen fra eksporterne. 'clear' sletter den helt; "
        "'prune' beholder de nyeste øjebliksbilleder og det, de nuværende eksporter bruger (også privatlivsvagtens tekster), "
        "og fjerner resten.",
    )
    c.add_argument("action", choices=["clear", "prune"], help="clear: slet hele cachen; prune: fjern det, der ikke bruges")
    c.add_argument("data", help="datamappen")
    c.add_argument("--mapping", help="en anden mappingfil end DATAMAPPE/bitanalysis.toml")
    c.set_defaults(func=_cache)


def main(argv: list[str] | None = None) -> int:
    """Run the command line."""
    args = parser().parse_args(argv)
    try:
        _check_outputs(args)
        return args.func(args)
    except ValidationError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_DATA_ERRORS
    except ValueError as exc:  # InputError, and a ValueError of a library about the input
        print(f"Fejl: {_shown(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        print(f"Fejl: filen eller mappen{where} kan ikke bruges: {exc.strerror or _shown(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # a bug: one line, never a traceback (BITANALYSIS_DEBUG=1 shows it)
        if os.environ.get("BITANALYSIS_DEBUG"):
            raise
        print(f"Fejl: uventet fejl ({type(exc).__name__}: {_shown(exc)}); kør igen med BITANALYSIS_DEBUG=1 for detaljer", file=sys.stderr)
        return EXIT_INTERNAL


def _check_outputs(args: argparse.Namespace) -> None:
    """Refuse an unusable output file (suffix, a folder) before the data is loaded."""
    if args.func in (_match, _findings, _budget) and getattr(args, "out", None):
        check_output(Path(args.out))
    if getattr(args, "errors_out", None):
        check_output(Path(args.errors_out))


def _shown(exc: BaseException) -> str:
    """An exception's message fit for a terminal or a log: CPR numbers hidden, one line."""
    return " ".join(hide_cpr(str(exc)).split())


if __name__ == "__main__":
    sys.exit(main())
