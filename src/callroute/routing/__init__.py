"""Routing: the decision policy and the Router, the one inference path."""
