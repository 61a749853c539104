"""reports: running the report templates as a publication.

The run with its workers, staging folder and run manifest (`run`), the reports a run makes (`jobs`), one notebook
executed in a kept kernel and converted to HTML and PDF (`notebook`), the privacy guard (`guard`), the printed PDF
(`printing`) and the provider's task description (`task_description`). May import every layer below it: `core`, `io`,
`workspace`, `bit`, `economics`, `present` and `charts`.
"""
