"""Is the price right for the hours? The implied price per ordered hour against the peers' (contract §2), and the
period's cost against the municipality's own cost model, both ways."""

from __future__ import annotations

import numpy as np
import pandas as pd

from bitanalysis.core.danish import kr, percent
from bitanalysis.core.settings import Settings
from bitanalysis.io.cost_model import fair_cost
from bitanalysis.workspace.workspace import Workspace

WEEKS_PER_YEAR = 365.25 / 7


def _priced_hours(months: pd.DataFrame) -> pd.DataFrame:
    """The order-months with a cost and ordered hours: what a price per ordered hour can be made from."""
    return months[months["cost"].notna() & (months["ordered_hours"] > 0)]


def benchmark(months: pd.DataFrame, by: list[str], min_providers: int) -> pd.DataFrame:
    """Per provider and group: orders, citizens, ordered hours, cost and the price per ordered hour (Σ cost / Σ ordered
    hours), the order-days left out (no cost or no hours), and the group's providers, median and quartiles of their
    prices; `ranked` (1 = dearest) only in groups of at least `min_providers` providers."""
    keys = ["provider_id", *by]
    g = _priced_hours(months).groupby(keys, dropna=False)
    out = g.agg(
        orders=("order_id", "nunique"), citizens=("citizen_id", "nunique"), ordered_hours=("ordered_hours", "sum"), cost=("cost", "sum")
    )
    left = months.drop(_priced_hours(months).index).groupby(keys, dropna=False)["active_days"].sum()
    out = out.join(left.rename("days_left_out"), how="outer").fillna({"days_left_out": 0, "orders": 0, "citizens": 0})
    out["price_per_hour"] = out["cost"] / out["ordered_hours"].where(out["ordered_hours"] > 0)
    peers = out.groupby(level=by, dropna=False)["price_per_hour"] if by else out["price_per_hour"].groupby(lambda _: 0)
    out["providers"] = peers.transform("count")
    out["median"] = peers.transform("median")
    out["q1"], out["q3"] = peers.transform("quantile", 0.25), peers.transform("quantile", 0.75)
    out["ratio"] = out["price_per_hour"] / out["median"]
    ranked = out["providers"] >= min_providers
    out["rank"] = peers.rank(ascending=False, method="min").where(ranked).astype("Int64")
    out["ranked"] = ranked
    return out.reset_index().astype({"orders": "int64", "citizens": "int64", "days_left_out": "int64", "providers": "int64"})


def above_peers(o: pd.DataFrame, months: pd.DataFrame, s: Settings) -> pd.DataFrame:
    """Orders (per_order rows) of a provider whose price per ordered hour for their paragraph and level is above
    `price_peer_ratio` × the median of a ranked peer group: `dkk` = (the price − the median) × the order's ordered hours."""
    prices = benchmark(months, ["paragraph", "rate_level"], s.price_peer_min_providers)
    high = prices[prices["ranked"] & (prices["price_per_hour"] > s.price_peer_ratio * prices["median"])]
    hit = o.merge(
        high[["provider_id", "paragraph", "rate_level", "price_per_hour", "median", "providers"]],
        on=["provider_id", "paragraph", "rate_level"],
    )
    hit = hit[hit["ordered_hours"] > 0]
    excess = hit["price_per_hour"] - hit["median"]
    hit = hit.assign(dkk=excess * hit["ordered_hours"], per_year=excess * hit["hours_per_week"] * WEEKS_PER_YEAR)
    hit["text"] = [
        f"Prisen pr. bestilt time for {par}, niveau '{lvl}' er {kr(p)} hos tilbuddet mod en median på {kr(m)} hos {n} tilbud "
        f"({percent(p / m - 1, 0)} over); ved bevillingens {h:g} timer pr. uge er det {kr(y)} om året."
        for par, lvl, p, m, n, h, y in zip(
            hit["paragraph"],
            hit["rate_level"],
            hit["price_per_hour"],
            hit["median"],
            hit["providers"],
            hit["hours_per_week"],
            hit["per_year"],
        )
    ]
    return hit


def against_model(o: pd.DataFrame, months: pd.DataFrame, ws: Workspace, s: Settings) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Orders (per_order rows) whose period cost is more than `price_model_tolerance` above, or below, the cost model's
    cost of their ordered hours and days: `dkk` the difference, `per_year` it at a whole year's days."""
    models = ws.mapping.cost_model if ws.mapping is not None else ()
    if not models or o.empty:
        none = o.iloc[:0].assign(dkk=pd.Series(dtype="float64"), text=pd.Series(dtype=object))
        return none, none
    fair = months.join(fair_cost(months, models))
    g = fair.groupby("order_id")
    model = pd.DataFrame(
        {"fair_cost": g["fair_cost"].sum(min_count=1).where(g["fair_cost"].count() == g.size()), "model": g["model"].last()}
    )
    both = o.join(model, on="order_id")
    both = both[both["cost"].notna() & both["fair_cost"].notna() & (both["active_days"] > 0)]
    both = both.assign(
        dkk=(both["cost"] - both["fair_cost"]).abs(), per_year=(both["cost"] - both["fair_cost"]).abs() * 365.25 / both["active_days"]
    )
    high = both[(both["cost"] - both["fair_cost"] * (1 + s.price_model_tolerance)).round(2) > 0]  # to the øre: no float noise
    low = both[(both["fair_cost"] * (1 - s.price_model_tolerance) - both["cost"]).round(2) > 0]
    return _model_text(high, "over"), _model_text(low, "under")


def _model_text(frame: pd.DataFrame, side: str) -> pd.DataFrame:
    """The evidence of a model finding: cost, the model's cost, the difference per year and the model version."""
    what = "over" if side == "over" else "under"
    risk = "" if side == "over" else " Taksten dækker måske ikke de bestilte timer, og placeringen kan være i fare."
    share = [f"{percent(abs(c / f - 1), 0)} " if f else "" for c, f in zip(frame["cost"], frame["fair_cost"])]
    text = [
        f"Udgiften i perioden er {kr(c)}, {pct}{what} omkostningsmodellens {kr(f)} for de bestilte timer og "
        f"dage (model {m}); det er {kr(y)} om året.{risk}"
        for c, f, m, y, pct in zip(frame["cost"], frame["fair_cost"], frame["model"], frame["per_year"], share)
    ]
    return frame.assign(text=pd.Series(text, index=frame.index, dtype=object))


def price_benchmark(ws: Workspace, months: pd.DataFrame, by: list[str], s: Settings) -> pd.DataFrame:
    """The benchmark with the provider's name and the model's price per ordered hour of the group (where a model is)."""
    out = benchmark(months, by, s.price_peer_min_providers)
    names = months.dropna(subset=["provider_name"]).drop_duplicates("provider_id").set_index("provider_id")["provider_name"]
    out.insert(1, "provider_name", out["provider_id"].map(names).astype("string"))
    models = ws.mapping.cost_model if ws.mapping is not None else ()
    if models:
        fair = _priced_hours(months).join(fair_cost(_priced_hours(months), models))
        g = fair.groupby(["provider_id", *by], dropna=False)
        whole = g["fair_cost"].sum().where(g["fair_cost"].count() == g.size())  # a month without a model price: none
        out = out.join((whole / g["ordered_hours"].sum()).rename("model_price_per_hour"), on=["provider_id", *by])
    else:
        out["model_price_per_hour"] = np.nan
    return out.sort_values([*by, "price_per_hour"], ascending=[True] * len(by) + [False], na_position="last", ignore_index=True)
