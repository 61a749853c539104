"""reports: running the report templates as a publication.

The runner with its kernels, workers and run manifest (`run`), the printed PDF (`printing`) and the provider's task
description (`task_description`). May import every layer below it: `core`, `io`, `workspace`, `bit`, `economics`,
`present` and `charts`.
"""
