"""RAID logs: risks, assumptions, issues and dependencies of projects."""
