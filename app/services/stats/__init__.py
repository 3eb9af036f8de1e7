"""Statistics: counters kept with every dossier change, queries, the Decision 766
indicators, reports, cache and export."""
