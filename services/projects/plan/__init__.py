"""Council plan priorities and the service plan's objectives."""
