"""Populations: how many people live in an area, the denominator of rates per 100,000."""
