"""The gateway: the one public entry point (authentication, routing, merged OpenAPI)."""
