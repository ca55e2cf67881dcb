"""Finance service: budget monitoring and savings tracking (schema `finance`)."""
