"""Measures: the KPIs of the service plan, what each counts and which way is better."""
