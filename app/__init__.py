"""DVC Gateway: online public services for Vietnamese provinces."""
