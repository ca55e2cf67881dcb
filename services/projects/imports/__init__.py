"""Importing the council's objectives and projects tables (CSV or XLSX)."""
