"""Capacity simulation: how many crisis teams a routing policy needs, and what they free up."""
