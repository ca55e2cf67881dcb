"""The scorecard and series: measures read against their targets, with RAG and direction."""
