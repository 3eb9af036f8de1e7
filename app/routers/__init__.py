"""Thin HTTP adapters, one per resource."""
