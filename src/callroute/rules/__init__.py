"""Red-line rules: the engine and its versioned rule sets (``rulesets/*.toml``)."""
