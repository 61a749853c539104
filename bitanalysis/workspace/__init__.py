"""workspace: a data folder as one `Workspace` of canonical tables, and everything the product writes.

Loading a folder (`load`) and caching it (`cache`, `duck`), the Workspace and its load report (`workspace`), choosing
orders (`select`), setting up a new folder's mapping (`init`), the texts no output may hold (`sensitive`), and the one
safe writer with its Excel and HTML helpers (`write`, `excel`, `bundle`, `lock`). May import `core` and `io`.
"""
