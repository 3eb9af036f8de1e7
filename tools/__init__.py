"""Developer tools that are not part of the service (not installed, not in the Docker image)."""
