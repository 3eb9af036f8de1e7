"""Integration test harness: a real OpenID Connect provider (npm oidc-provider) under Node."""
