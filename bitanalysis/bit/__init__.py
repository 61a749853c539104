"""bit: the BIT match of need (B), intervention (I) and rate (T), and its findings.

Rates in force (`rates`), documented deliveries (`deliveries`), the match per order and month (`match`), the findings
and the traffic light (`findings`), task lists (`tasks`), price per ordered hour and the cost model (`price`), one
order's story (`explain`) and a provider's summary (`summary`). May import `core`, `io` and `workspace`.
"""
