"""KPI service: measures, targets, actuals, RAG and trends (schema `kpi`)."""
