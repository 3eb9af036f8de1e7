"""Dossiers: submission, uploads, codes, the workflow, the applicant's requests, tracking
and the officers' queue."""
