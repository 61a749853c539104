"""The price per ordered hour in Danish (issue 19): the price benchmark as a table shows it (its views, groups and
ranks, a provider's peers with small groups blanked), the cost model and the versions that price a period, and the
sentences on a provider's levels and the leader's paragraph on price."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from bitanalysis.core.danish import day, kr, number, percent
from bitanalysis.core.period import Period, period_name
from bitanalysis.present.labels import FINDING
from bitanalysis.present.small_cells import SMALL

if TYPE_CHECKING:
    from bitanalysis.core.settings import Settings
    from bitanalysis.io.cost_model import CostModel

PRICE_FINDINGS = ("price_above_peers", "price_above_model", "price_below_model")
NO_MODEL = "Datamappen har ingen omkostningsmodel; kun sammenligningen med andre tilbud vises."
#: The columns of `economics.price_benchmark` that are figures, not the provider or the group.
_PRICE_FIGURES = (
    "orders",
    "citizens",
    "ordered_hours",
    "cost",
    "days_left_out",
    "price_per_hour",
    "providers",
    "median",
    "q1",
    "q3",
    "ratio",
    "rank",
    "price_rank",
    "ranked",
    "model_price_per_hour",
)
#: What a notebook shows of the price benchmark (`price_view`; the group columns are always shown).
PRICE_VIEW = ["provider_name", "paragraph", "rate_level", "citizens", "ordered_hours", "price_per_hour", "median", "q1", "q3"]
PRICE_VIEW += ["providers", "ratio", "price_rank", "model_price_per_hour", "days_left_out"]  # the cost: price × hours
#: What a provider's appendix sheet "Pris" holds: every figure, for the provider's own levels.
PRICE_SHEET = ["paragraph", "rate_level", "orders", "citizens", "ordered_hours", "cost", "price_per_hour", "median", "q1", "q3"]
PRICE_SHEET += ["providers", "ratio", "ranked", "price_rank", "model_price_per_hour", "days_left_out"]
PEER_MIN_OTHERS = 3  # a provider is shown its peers' median and quartiles only when at least this many others have a price


def cost_models_of(ws) -> tuple[CostModel, ...]:
    """The data folder's cost model, its dated `[[cost_model]]` versions; empty without a model."""
    mapping = getattr(ws, "mapping", None)
    return tuple(getattr(mapping, "cost_model", ()) or ())


def peers_for_provider(benchmark: pd.DataFrame, provider_id: str) -> pd.DataFrame:
    """A provider's rows of the price benchmark, as its own report may show them: the peers' median, quartiles and
    ratio blanked where fewer than `PEER_MIN_OTHERS` other providers have a price (two figures of a small group, or a
    median the provider has no part in, would give away another provider's price)."""
    mine = benchmark[benchmark["provider_id"] == provider_id].copy()
    others = mine["providers"] - mine["price_per_hour"].notna().astype(int)
    hide = others < PEER_MIN_OTHERS
    for c in ("median", "q1", "q3", "ratio"):
        mine[c] = mine[c].astype("float64").where(~hide)
    return mine


def price_groups(benchmark: pd.DataFrame) -> list[str]:
    """The group columns of a price benchmark (paragraph and rate level by default)."""
    return [c for c in benchmark.columns if c not in ("provider_id", "provider_name", *_PRICE_FIGURES)]


def price_view(benchmark: pd.DataFrame, models: tuple = (), columns: list[str] | None = None) -> pd.DataFrame:
    """The price benchmark as a table shows it: the chosen columns (`PRICE_VIEW` by default) with the group columns,
    the peer rank as `price_rank` ("Placering"), and the model's price only where the data folder has a model."""
    b = benchmark.rename(columns={"rank": "price_rank"})
    chosen = [c for c in (columns or PRICE_VIEW) if c in b.columns and (models or c != "model_price_per_hour")]
    groups = [c for c in price_groups(benchmark) if c not in chosen]
    lead = [c for c in chosen if c in ("provider_id", "provider_name")]
    return b[lead + groups + [c for c in chosen if c not in lead]].reset_index(drop=True)


def price_rank_words(benchmark: pd.DataFrame) -> pd.Series:
    """The rank in words: '2 af 6' (1 = dearest) in a ranked group, 'vises, men rangeres ikke' in a smaller one, '–'
    where there is no price."""
    return pd.Series(
        [
            "–" if pd.isna(price) else f"{int(rank)} af {int(n)}" if ranked and pd.notna(rank) else "vises, men rangeres ikke"
            for price, rank, n, ranked in zip(benchmark["price_per_hour"], benchmark["rank"], benchmark["providers"], benchmark["ranked"])
        ],
        index=benchmark.index,
        dtype=object,
    )


def _relative(ratio: float) -> str:
    """A price against another as words: '14 % over', '8 % under', 'på niveau med' (within half a per cent)."""
    if abs(ratio - 1) < 0.005:
        return "på niveau med"
    return f"{percent(abs(ratio - 1), 0)} {'over' if ratio > 1 else 'under'}"


def _month_ends(p: Period) -> list[pd.Timestamp]:
    """The last day of each month of a period: the day the cost model's version is chosen by (see `bitanalysis.io.cost_model`)."""
    return [m.to_timestamp(how="end").normalize() for m in p.months]


def models_in(models: tuple[CostModel, ...], p: Period) -> list[CostModel]:
    """The cost model's versions that price some month of the period (the version in force on the month's last day)."""
    from bitanalysis.io.cost_model import version_on

    used = {m.valid_from: m for m in (version_on(models, end) for end in _month_ends(p)) if m is not None}
    return [used[d] for d in sorted(used)]


def _model_names(used: list[CostModel]) -> str:
    """The versions as the evidence names them, joined: "'Kommunens model 2026' fra 01-01-2026"."""
    names = [m.name for m in used]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]


def cost_model_text(models: tuple[CostModel, ...], p: Period | None = None) -> str:
    """The cost model in words, one line per version: its assumptions and what an ordered hour of staff costs by them,
    and which versions price the period's months; or `NO_MODEL`."""
    if not models:
        return NO_MODEL
    used = models_in(models, p) if p is not None else []
    intro = (
        "Omkostningsmodellen er kommunens egne antagelser om, hvad en times støtte og et døgns ophold koster (løn pr. vagt, "
        "tillæg, overhead og belægning), ikke en markedspris. Modellens udgift for en bevilling er (bestilte timer × "
        "personaleudgiften pr. time + døgnudgiften ud over personale × aktive dage) × (1 + overhead) / belægning, med den "
        "version, der gælder på månedens sidste dag."
    )
    lines = []
    for m in models:
        staff = "/".join(number(m.staff_cost_per_hour[k]) for k in ("day", "evening_night", "weekend"))
        shares = "/".join(number(m.hour_shares[k] * 100) for k in ("day", "evening_night", "weekend"))
        daily = ", ".join(f"{par} {number(v)}" for par, v in m.daily_non_staff.items())
        fair = m.hourly * (1 + m.overhead) / m.occupancy
        state = " (bruges i perioden)" if any(m is u for u in used) else ""
        lines.append(
            f"- **{m.name}**{state}: løn {staff} kr. pr. time (dag/aften-nat/weekend) vægtet {shares} %, tillæg {percent(m.on_cost, 0)}, "
            f"overhead {percent(m.overhead, 0)}, belægning {percent(m.occupancy, 0)}; en bestilt time koster {kr(m.hourly)} i personale "
            f"og {kr(fair)} med overhead og belægning; døgnudgift ud over personale i kr. pr. dag: {daily}."
        )
    none = f"\n\nIngen version gælder i {period_name(p)}, så perioden holdes ikke op mod modellen." if p is not None and not used else ""
    return intro + "\n\n" + "\n".join(lines) + none


def price_level_text(row, has_model: bool, settings: Settings | None = None) -> str:
    """One of a provider's levels (a row of the price benchmark) in a sentence: its price per ordered hour against the
    peers' median and quartiles, its rank or why it has none, against the cost model's price where there is a model,
    and the order-days left out. A price that cannot be made is said so, never shown as 0 kr."""
    from bitanalysis.core.settings import Settings

    s = settings or Settings()
    groups = [str(row[c]) for c in row.index if c not in ("provider_id", "provider_name", *_PRICE_FIGURES)]
    head = f"**{', '.join(groups)}**: "
    days = int(row["days_left_out"])
    if pd.isna(row["price_per_hour"]):
        return head + (
            f"prisen pr. bestilt time kan ikke opgøres, fordi ingen bevillingsmåned har både en udgift og et timetal "
            f"({number(days)} bevillingsdage udeladt)."
        )
    price, n = row["price_per_hour"], int(row["providers"])
    if n > 1 and pd.isna(row["median"]):  # blanked by `peers_for_provider`: the others' prices are theirs
        text = (
            f"{kr(price)} pr. bestilt time; færre end {PEER_MIN_OTHERS} andre tilbud har en pris for samme paragraf og niveau, "
            "så deres median vises ikke i en rapport til et tilbud (den ville vise et andet tilbuds pris)."
        )
    elif n <= 1:
        text = (
            f"{kr(price)} pr. bestilt time; intet andet tilbud har en pris for samme paragraf og niveau, så der er intet at "
            "sammenligne med."
        )
    else:
        text = (
            f"{kr(price)} pr. bestilt time, {_relative(price / row['median'])} medianen på {kr(row['median'])} hos {n} tilbud "
            f"(kvartiler {kr(row['q1'])}–{kr(row['q3'])})"
        )
        if row["ranked"] and pd.notna(row["rank"]):
            text += f"; nr. {int(row['rank'])} af {n}, dyreste først."
            if price > s.price_peer_ratio * row["median"]:
                text += f" Det er over {number(s.price_peer_ratio, 2)} × medianen (fundet '{FINDING['price_above_peers']}')."
        else:
            text += f"; gruppen har færre end {s.price_peer_min_providers} tilbud, så prisen vises, men rangeres ikke."
    if has_model:
        model = row.get("model_price_per_hour", np.nan)
        if pd.isna(model):
            text += " Omkostningsmodellen giver ingen pris for niveauet (ingen version gælder, eller den har intet beløb for paragraffen)."
        else:
            tolerance = percent(s.price_model_tolerance, 0)
            within = f"mere end {tolerance} fra den" if abs(price / model - 1) > s.price_model_tolerance else f"inden for {tolerance}"
            text += f" Omkostningsmodellens pris er {kr(model)} pr. bestilt time; prisen er {_relative(price / model)} den ({within})."
    if days:
        text += f" {number(days)} bevillingsdage uden udgift eller timetal er ikke medregnet."
    return head + text


def provider_price_text(rows: pd.DataFrame, models: tuple[CostModel, ...], p: Period, settings: Settings | None = None) -> str:
    """The provider report's price section in Markdown: what the price per ordered hour is and who it is held against,
    the cost model (or that there is none), and one line per level of the provider (`price_level_text`)."""
    from bitanalysis.core.settings import Settings

    s = settings or Settings()
    intro = (
        "Prisen pr. bestilt time er periodens udgift delt med de bestilte timer, pr. paragraf og takstniveau, holdt op mod "
        "de andre tilbud med samme paragraf og niveau: medianen og kvartilerne af deres priser, og tilbuddets placering "
        f"(1 = dyreste). Grupper med færre end {s.price_peer_min_providers} tilbud vises, men rangeres ikke; en pris over "
        f"{number(s.price_peer_ratio, 2)} × medianen i en rangeret gruppe er et fund."
    )
    used = models_in(models, p)
    if not models:
        model = NO_MODEL
    elif not used:
        model = (
            f"Datamappens omkostningsmodel har ingen version, der gælder i {period_name(p)}; kun sammenligningen med andre tilbud vises."
        )
    else:
        model = (
            f"Omkostningsmodellen ({_model_names(used)}) er kommunens egne antagelser om løn, tillæg, overhead og belægning, "
            f"ikke en markedspris; en udgift mere end {percent(s.price_model_tolerance, 0)} over eller under modellens er et fund."
        )
    if rows.empty:
        levels = f"Tilbuddet har ingen bevillinger med en udgift i {period_name(p)}, så der er ingen pris pr. time at vise."
    else:
        levels = "\n".join(f"- {price_level_text(r, bool(used), s)}" for _, r in rows.iterrows())
    return f"{intro}\n\n{model}\n\n{levels}"


def _many(n: int, one: str, many: str, bold: bool = False) -> str:
    """'1 gruppe', '3 grupper' (the number in bold where asked)."""
    figure = f"**{number(n)}**" if bold else number(n)
    return f"{figure} {one if n == 1 else many}"


def _price_findings(found: pd.DataFrame, kind: str) -> tuple[int, int, float]:
    """The number of findings of a type, their citizens and the DKK at stake (missing when none has an amount)."""
    f = found[found["type"] == kind]
    return len(f), int(f["citizen_id"].nunique()), float(pd.to_numeric(f["dkk_at_stake"], errors="coerce").sum(min_count=1))


def price_text(
    benchmark: pd.DataFrame, found: pd.DataFrame, models: tuple[CostModel, ...], p: Period, settings: Settings | None = None
) -> str:
    """The leader's paragraph on price: how many provider-levels of ranked peer groups are priced above
    `price_peer_ratio` × the group's median and the DKK at stake of price_above_peers; with a cost model, the findings
    and DKK over and under it, said to be the municipality's own assumptions (the versions' labels), else `NO_MODEL`.
    A figure that fewer than 5 citizens stand behind is not shown (neither its count nor its amount)."""
    from bitanalysis.core.settings import Settings

    s = settings or Settings()
    ratio = number(s.price_peer_ratio, 2)
    ranked = benchmark[benchmark["ranked"] & benchmark["price_per_hour"].notna()]
    if ranked.empty:
        peers = (
            "Prisen pr. bestilt time (udgift delt med bestilte timer) holdes op mod andre tilbud med samme paragraf og "
            f"takstniveau, men rangeres kun, hvor mindst {s.price_peer_min_providers} tilbud har en pris; det har ingen "
            f"gruppe i {period_name(p)}, så ingen pris er holdt op mod en median."
        )
    else:
        high = ranked[ranked["price_per_hour"] > s.price_peer_ratio * ranked["median"]]
        n, citizens, dkk = _price_findings(found, "price_above_peers")
        citizens = citizens or int(high["citizens"].sum())
        groups = ranked.groupby(price_groups(benchmark), dropna=False).ngroups
        peers = (
            f"Prisen pr. bestilt time (udgift delt med bestilte timer) er holdt op mod andre tilbud med samme paragraf og "
            f"takstniveau i {_many(groups, 'gruppe', 'grupper')} med mindst {s.price_peer_min_providers} tilbud "
            f"({_many(len(ranked), 'tilbudsniveau', 'tilbudsniveauer')}): "
        )
        if high.empty:
            peers += f"intet ligger over {ratio} × gruppens median."
        elif citizens < SMALL:
            peers += f"niveauer over {ratio} × gruppens median har færre end {SMALL} borgere, så antal og beløb vises ikke."
        else:
            amount = f", med **{kr(dkk)}** på spil ({_many(n, 'bevilling', 'bevillinger')})" if pd.notna(dkk) and dkk else ""
            peers += f"**{number(len(high))}** ligger over {ratio} × gruppens median{amount}."
    return f"{peers} {_model_sentence(found, models, p, s)}"


def _model_sentence(found: pd.DataFrame, models: tuple[CostModel, ...], p: Period, s: Settings) -> str:
    """The leader's sentence on the cost model: the findings and DKK over and under it, small groups not shown."""
    if not models:
        return NO_MODEL
    used = models_in(models, p)
    if not used:
        return f"Omkostningsmodellen gælder først fra {day(models[0].valid_from)}, så {period_name(p)} holdes ikke op mod den."
    tolerance = percent(s.price_model_tolerance, 0)
    parts = []
    for side, kind in (("over", "price_above_model"), ("under", "price_below_model")):
        n, citizens, dkk = _price_findings(found, kind)
        if not n:
            parts.append(f"ingen bevillinger mere end {tolerance} {side}")
        elif citizens < SMALL:
            parts.append(f"bevillinger {side} modellen for færre end {SMALL} borgere (antal og beløb vises ikke)")
        else:
            amount = f" (**{kr(dkk)}** {side} modellens udgift)" if pd.notna(dkk) else ""
            parts.append(f"{_many(n, 'bevilling', 'bevillinger', bold=True)} mere end {tolerance} {side}{amount}")
    low = _price_findings(found, "price_below_model")[0]
    below = " En pris under modellen kan betyde, at taksten ikke kan bære de bestilte timer." if low else ""
    return (
        f"Holdt op mod omkostningsmodellen ({_model_names(used)}) – kommunens egne antagelser om løn, tillæg, overhead og "
        f"belægning, ikke en markedspris – ligger {parts[0]} og {parts[1]}.{below}"
    )
