"""The improvement plan: actions by area of accountability."""
