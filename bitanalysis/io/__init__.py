"""io: exported files into canonical rows.

Reading CSV and Excel files (`read`), the mapping file and its cost models (`mapping`, `cost_model`), recognising a
layout (`profile`, `detect`), one source's rows made canonical (`canonical`), checks and repeated or conflicting rows
(`validate`), and the providers' ids (`providers`). May import `core`.
"""
