"""Language: normalisation, negation, shorthand, descriptor masking, PII redaction, lexicons."""
