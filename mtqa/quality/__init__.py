"""Scores: MQM penalties and the verdict, the learned estimate, reference-based
metrics, the consensus of several systems and significance tests, comparing
systems, and fitting the estimate to a team's own reviews."""
