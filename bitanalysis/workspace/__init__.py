"""workspace: a data folder as one `Workspace` of canonical tables, and everything the product writes.

Loading a folder (`load`) and caching it (`cache`, `duck`), the Workspace and its load report (`workspace`), choosing
orders (`select`), setting up a new folder's mapping (`init`, with `init_survey`, `init_sections`, `init_providers`
and `init_render`), the texts no output may hold (`sensitive`), and the one safe writer with its Excel and HTML helpers
(`write`, `excel`, `bundle`, `lock`). May import `core` and `io`.
"""
