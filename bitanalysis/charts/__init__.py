"""charts: the plotly charts of the reports and notebooks, with Danish text, drawn offline; it may import core, io,
workspace, bit, economics and present.

One module per kind of view: `figure` (the frame every chart shares: colours, Danish title and axis formats, month
series with gaps), `spend` (cost per month, full-year persons, the price × quantity bridge, concentration), `budget`
(budget against forecast, the forecast path), `bit` (the traffic light, DKK at stake per provider, delivered hours,
one citizen's BIT), `trends` (months over a window against a year earlier, small multiples) and `price` (rate
increases above P/L, the price per ordered hour). A missing figure is a gap in a chart, never 0.
"""

from bitanalysis.charts.bit import bit_chart, delivery_chart, provider_chart, traffic_light_chart
from bitanalysis.charts.budget import budget_chart, forecast_path_chart
from bitanalysis.charts.figure import month_label, prices
from bitanalysis.charts.price import price_chart, rate_chart
from bitanalysis.charts.spend import bridge_chart, concentration_chart, fyp_chart, spend_chart
from bitanalysis.charts.trends import spend_trend_chart, trend_chart
from bitanalysis.present import use_offline_renderer

__all__ = [
    "bit_chart",
    "bridge_chart",
    "budget_chart",
    "concentration_chart",
    "delivery_chart",
    "forecast_path_chart",
    "fyp_chart",
    "month_label",
    "price_chart",
    "prices",
    "provider_chart",
    "rate_chart",
    "spend_chart",
    "spend_trend_chart",
    "traffic_light_chart",
    "trend_chart",
    "use_offline_renderer",
]
