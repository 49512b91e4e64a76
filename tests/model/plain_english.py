"""Plain-English calls written by hand for judging models and rules on wording nobody generated.

Not drawn from language/lexicons/*.toml. DANGEROUS calls need police (a weapon, violence, a threat,
imminent danger, often in words the lexicons lack); CRISIS calls are what a crisis team exists for.
INCIDENT_VIOLENT and INCIDENT_OTHER are written as published descriptions of 911 calls read ("Caller
reports ...", "Subject struck ..."): violent calls against others (welfare, noise, theft, crisis,
nuisance), the kind of text the issue found the first model could not rank (AUC about 0.54).
Used by tests/model/test_plain_english.py and tests/benchmarks/real_language.py.
"""

from pathlib import Path

from callroute.data.golden import GoldenCalls

HANDWRITTEN = GoldenCalls.read(Path(__file__).parents[1] / "fixtures" / "handwritten" / "calls.csv")

DANGEROUS = HANDWRITTEN.narratives("plain_english.DANGEROUS")

CRISIS = HANDWRITTEN.narratives("plain_english.CRISIS")

INCIDENT_VIOLENT = HANDWRITTEN.narratives("plain_english.INCIDENT_VIOLENT")

INCIDENT_OTHER = HANDWRITTEN.narratives("plain_english.INCIDENT_OTHER")
