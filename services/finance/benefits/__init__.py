"""Benefits with their working shown: a savings line sized by formula, not only a figure."""
