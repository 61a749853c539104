"""core: the rules everything else builds on, with no knowledge of files or workspaces.

Danish words and number formats (`danish`), periods and their Danish names (`period`), days and intervals
(`intervals`), cell values (`parse`; dates, durations and task times in `parse_time`; paragraphs, units and levels in
`parse_codes`), the canonical tables' columns (`schema`), settings, error lines (`errors`), the CPR pattern (`cpr`)
and pseudonyms (`privacy`). Imports nothing from the rest of bitanalysis.
"""

__version__ = "0.1.0"
