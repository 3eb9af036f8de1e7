"""The catalogue: agencies, fields, procedures, their search, import and in-memory snapshot."""
