"""The domain. Services never import FastAPI."""
