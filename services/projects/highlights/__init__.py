"""Highlight reports: a project's monthly report, with its history kept."""
