"""Budget monitoring: budget lines, their budgets per financial year and monthly forecasts."""
