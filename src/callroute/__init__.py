"""callroute: route 911 calls to an unarmed crisis team or to police, safely and explainably."""

__version__ = "0.3.0"
