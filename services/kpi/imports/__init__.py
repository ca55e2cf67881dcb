"""Importing the council's own KPI table (CSV or XLSX) into measures and annual targets."""
