"""Red-line rules: hand-written CAD narratives on both sides of every rule."""

from __future__ import annotations

import pytest

from callroute.rules.engine import RuleSet

RULES = RuleSet.load()

MUST_FIRE = [
    # rules 2.10: CAD wording that reached police only through the model, or went to the crisis team
    ("2 SUBJS PHYS FIGHT IFO LIQUOR STORE", "violence.in_progress"),
    ("RP HEARD APPROX 6 ROUNDS NEAR THE PARK", "weapon.present"),
    ("MALE PUNCHING FEMALE IN VEH, PARKED LOT", "violence.in_progress"),
    ("DV IP, RP CAN HEAR SCREAMING AND BREAKING GLASS NEXT DOOR", "violence.in_progress"),
    ("RP'S HUSB HAS HER BY THE THROAT PER 3RD PARTY", "violence.in_progress"),
    ("BURG IP, RP HIDING IN CLOSET, HEARS SUBJ DOWNSTAIRS", "danger.imminent"),
    ("MALE KICKING FEMALE ON GROUND", "violence.in_progress"),
    ("SUBJ INTENTIONALLY HIT PED W/ VEH AND FLED", "violence.in_progress"),
    # weapon.present
    ("RP STS MALE SUBJ WAVING KNIFE AT PEDESTRIANS", "weapon.present"),
    ("SUBJ HAS A GUN IN WAISTBAND", "weapon.present"),
    ("UPDT: RP NOW STS SUBJ HAS KNIFE", "weapon.present"),
    ("NO WPNS SEEN BUT SUBJ HAS A BAT", "weapon.present"),
    ("Caller saw a pistol on the table next to him", "weapon.present"),
    ("SUBJ ARMED W/ MACHETE", "weapon.present"),
    ("417 IFO LIQUOR STORE", "weapon.present"),
    ("245 JUST OCCURRED, SUSP FLED", "weapon.present"),
    ("SUBJ SWINGING A PIPE AT CARS", "weapon.present"),
    ("POSS WPN IN BAG", "weapon.present"),
    ("SHOTS FIRED IN ALLEY", "weapon.present"),
    ("he is armed", "weapon.present"),
    # violence.in_progress
    ("SUBJ HITTING RP", "violence.in_progress"),
    ("FIGHT IN PROGRESS IN PARKING LOT", "violence.in_progress"),
    ("HE IS BEATING HER NOW", "violence.in_progress"),
    ("SUBJ THREATENING TO KILL RP", "violence.in_progress"),
    ("STS WILL KILL NEIGHBOR", "violence.in_progress"),
    ("SUBJ CHOKING HIS GF", "violence.in_progress"),
    ("DV IN PROG, SCREAMING HEARD", "violence.in_progress"),
    # danger.imminent
    ("HOSTAGE SITUATION AT BANK", "danger.imminent"),
    ("BURGLARY IN PROGRESS, SUSP STILL INSIDE", "danger.imminent"),
    ("SUSP ON SCENE", "danger.imminent"),
    ("SUBJ SETTING FIRE TO DUMPSTER", "danger.imminent"),
    ("subject barricaded in apartment", "danger.imminent"),
    # suicide.active
    ("SUBJ ON BRIDGE RAILING", "suicide.active"),
    ("SUBJ CUTTING HER WRISTS NOW", "suicide.active"),
    ("RP STS SON TOOK A BOTTLE OF PILLS", "suicide.active"),
    ("SUBJ THREATENING TO JUMP", "suicide.active"),
    ("SUBJ SUICIDAL W/ PLAN TO USE GUN", "suicide.active"),
    ("ACTIVE SUICIDE ATTEMPT", "suicide.active"),
    # officer.requested
    ("RP INSISTS ON AN OFFICER", "officer.requested"),
    ("RP WANTS PD", "officer.requested"),
    ("Caller is requesting police only", "officer.requested"),
    ("SUBJ WILL ONLY TALK TO A COP", "officer.requested"),
    # more weapon wording, as call-takers type it
    ("S1 W/ KNIFE IN HAND PACING", "weapon.present"),
    ("RP SAW GUN IN WAISTBAND", "weapon.present"),
    ("SUBJ HOLDING A MACHETE IFO STORE", "weapon.present"),
    ("subject has a box cutter and is waving it", "weapon.present"),
    ("SUBJ BRANDISHING BAT AT CARS", "weapon.present"),
    ("POSSIBLE WEAPON IN JACKET", "weapon.present"),
    ("SUBJ POINTING A SCREWDRIVER AT RP", "weapon.present"),
    ("HE PULLED A WEAPON ON THE CLERK", "weapon.present"),
    ("RP STS SUBJ IS CARRYING A RIFLE", "weapon.present"),
    ("SUBJ HAS KNIVES ON TABLE AND IS YELLING", "weapon.present"),
    ("NO INJURIES, SUBJ HAS A GUN", "weapon.present"),
    ("NEG SI. UPDT: SUBJ GRABBED A KNIFE", "weapon.present"),
    ("Caller says her son is armed with a hatchet", "weapon.present"),
    # more violence
    ("SUBJ PUNCHING VICTIM IN PARKING LOT", "violence.in_progress"),
    ("TWO SUBJS FIGHTING IFO BAR", "violence.in_progress"),
    ("SUBJ KICKING RP", "violence.in_progress"),
    ("HE STABBED HIS ROOMMATE", "violence.in_progress"),
    ("SUBJ THREATENING TO SHOOT NEIGHBOR", "violence.in_progress"),
    ("SUBJ STS HE IS GOING TO KILL EVERYONE", "violence.in_progress"),
    ("ASSAULT IN PROGRESS AT BUS STOP", "violence.in_progress"),
    ("SUBJ ATTACKING PEDESTRIANS", "violence.in_progress"),
    ("SUBJ HOMICIDAL PER RP", "violence.in_progress"),
    # more imminent danger
    ("ROBBERY IN PROGRESS AT GAS STN", "danger.imminent"),
    ("BREAK-IN HAPPENING NOW, RP HIDING", "danger.imminent"),
    ("HOME INVASION IN PROG", "danger.imminent"),
    ("SUSP STILL INSIDE THE HOUSE", "danger.imminent"),
    ("SUBJ LIGHTING FIRES IN HALLWAY", "danger.imminent"),
    ("ACTIVE SHOOTER AT SCHOOL", "danger.imminent"),
    # more suicide
    ("SUBJ STANDING ON LEDGE OF ROOF", "suicide.active"),
    ("SUBJ HANGING OFF OVERPASS", "suicide.active"),
    ("RP STS DAUGHTER SWALLOWED A HANDFUL OF PILLS", "suicide.active"),
    ("SUBJ WANTS TO JUMP FROM BRIDGE", "suicide.active"),
    ("SI W/ PLAN TO JUMP", "suicide.active"),
    ("SUBJ SLITTING HIS WRISTS", "suicide.active"),
    ("NOOSE FOUND IN GARAGE, SUBJ INSIDE", "suicide.active"),
    # more officer requests
    ("RP DEMANDING POLICE RESPOND", "officer.requested"),
    ("RP REQUESTING AN OFFICER FOR REPORT", "officer.requested"),
    ("CALLER ASKED FOR LAW ENFORCEMENT", "officer.requested"),
    ("RP INSISTING ON OFFICERS", "officer.requested"),
]

MUST_NOT_FIRE = [
    "RP STS VERBAL ONLY, NO PHYS FIGHT, SUBJ YELLING",
    "SUBJ TALKING ABOUT A BAR FIGHT FROM LAST YEAR, CRYING",
    "PT DID 3 ROUNDS OF CHEMO AND IS CONFUSED",
    "NURSE DOING ROUNDS FOUND PT CONFUSED",
    "FEMALE SITTING ON CURB CRYING, MALE FRIEND WITH HER, CALM",
    "RP HAS HER BY THE HAND AT THE BUS STOP, SHE IS CONFUSED",
    "JUV PUSHING JUV ON SWING AT PARK, OTHER JUV CRYING",
    "VEH HIT PED, PED ON GROUND BLEEDING",
    "BALL HIT JUV IN THE HEAD AT PRACTICE, JUV DIZZY",
    "ELDERLY F SITTING AT BUS STOP 3 HRS CONFUSED, NO WEAPONS SEEN",
    "NEG WPNS",
    "NO WEAPONS SEEN",
    "DENIES WEAPONS",
    "WPNS: NEG",
    "WEAPONS: NONE SEEN",
    "UNK WPNS",
    "UNKNOWN IF ARMED",
    "RP DOES NOT SEE ANY KNIFE",
    "SUBJ IS NOT ARMED",
    "SUBJ IS UNARMED AND CALM",
    "SUBJ IN BATHROOM NOT ANSWERING",
    "DENIES SI, NO PLAN",
    "SI W/ NO PLAN TO USE GUN",
    "THREATENING TO HURT HIMSELF",
    "RP DOES NOT WANT POLICE",
    "RP DOESNT WANT PD",
    "VERBAL ARGUMENT ONLY, NOTHING PHYSICAL",
    "SUBJ CALM, COOPERATIVE, SITTING ON CURB",
    "647F SUBJ PASSED OUT AT BUS STOP",
    "415 VERBAL IFO 7-11",
    "SUBJ TALKING TO SELF, HX 5150",
    "LOUD MUSIC NEXT DOOR",
    "NEEDLES ON GROUND IN PARK",
    "SUBJ SLEEPING IN DOORWAY, WANTS GONE",
    "NO ONE IS FIGHTING",
    "SUBJ SUICIDAL, NO ACCESS TO GUNS",
    # negated and uncertain weapons, as call-takers type them
    "NO KNIFE SEEN",
    "RP DID NOT SEE A GUN",
    "NEGATIVE WEAPONS",
    "WEAPONS NEGATIVE PER RP",
    "WPNS NEG",
    "DENIES ANY WEAPONS IN HOME",
    "UNK IF ARMED",
    "UNKNOWN WEAPONS",
    "RP UNSURE IF SUBJ HAS ANYTHING",
    "NOTHING IN HANDS",
    "SUBJ WITHOUT WEAPONS",
    "Caller does not see any weapons",
    # benign words that contain or resemble cues
    "SUBJ IN BATHROOM, BATHTUB RUNNING",
    "SUBJ STANDING BY BATTING CAGE",
    "GUNNISON ST BUS STOP",
    "RP NEEDS HELP WITH ALARMED DOOR",
    "SUBJ WEARING ARMY JACKET",
    # verbal-only disturbances and self-directed distress
    "415 VERBAL ONLY, NO PHYSICAL",
    "SUBJ YELLING AT TRAFFIC",
    "ARGUING WITH HIS MOTHER, VERBAL",
    "SUBJ CRYING, STS WANTS TO TALK TO SOMEONE",
    "SUBJ STS THOUGHTS OF SUICIDE, NO PLAN, NO MEANS",
    "DENIES THOUGHTS OF HURTING OTHERS",
    "SUBJ TALKING ABOUT JUMPING BUT WALKED AWAY FROM BRIDGE HRS AGO",
    # officer requests that are not requests
    "RP DOES NOT WANT AN OFFICER",
    "RP DONT WANT COPS, WANTS CRISIS TEAM",
    "NO POLICE NEEDED PER RP",
    # past, not present, crime
    "BURGLARY OCCURRED LAST WEEK, REPORT ONLY",
    "FIGHT ENDED, ALL PARTIES GOA",
]


@pytest.mark.parametrize(("narrative", "rule_id"), MUST_FIRE)
def test_rule_fires_on_clear_cue(narrative: str, rule_id: str) -> None:
    # Given a narrative with a clear red-line cue
    # When the rule set evaluates it
    result = RULES.evaluate(narrative)
    # Then that rule fires, with the evidence taken from the narrative itself
    fired = {hit.rule_id: hit.evidence for hit in result.red_lines}
    assert rule_id in fired, f"{rule_id} should fire on {narrative!r}; fired: {fired}"
    assert fired[rule_id].upper() in narrative.upper(), f"evidence {fired[rule_id]!r} is not text of the narrative"


@pytest.mark.parametrize("narrative", MUST_NOT_FIRE)
def test_no_red_line_on_negated_uncertain_or_benign_text(narrative: str) -> None:
    result = RULES.evaluate(narrative)
    assert not result.fired, f"no red line should fire on {narrative!r}; fired: {result.red_lines}"


@pytest.mark.parametrize(
    ("narrative", "fires"),
    [("SUBJ UNRESPONSIVE ON SIDEWALK", True), ("POSS OD IN RESTROOM", True), ("SUBJ NOT BREATHING", True),
     ("SUBJ CONSCIOUS AND TALKING", False), ("NOT BLEEDING", False),
     ("Someone is lying face down behind the laundromat and not moving", True), ("he won't wake up", True),
     ("he is moving around and talking", False),
     ("my wife took the kids' ADHD pills, a lot of them, she's getting sleepy", True),
     ("she takes her pills every morning and is fine", False),
     ("Guy passed out next to the bus shelter, he's breathing but I can't wake him up", True),
     ("RP UNABLE TO ROUSE SUBJ", True), ("RP UNABLE TO ROUSE HER", True), ("I can't wake my dad up", True),
     ("she can't wake up early for work and is stressed", False)],
)
def test_medical_flag_annotates_without_forcing_police(narrative: str, fires: bool) -> None:
    result = RULES.evaluate(narrative)
    assert bool(result.flags) is fires, f"medical flag on {narrative!r} should be {fires}: {result.flags}"
    assert not result.fired, "a medical flag alone is not a red line"


@pytest.mark.parametrize("narrative", ["SUBJ HAS A BAT (ANIMAL) IN ATTIC", "RP STS SUBJ HAS A PIECE OF THE PIE"])
def test_known_over_triage_errs_towards_police(narrative: str) -> None:
    # A weapon word used harmlessly still fires: the rules do not read intent, and sending police
    # to a harmless call is the cheaper error (DOMAIN.md, costs are asymmetric). Kept as a test so
    # that a change here is a decision, not an accident. (Rule set 2.0 no longer fires on named
    # distractors such as "KNIFE SHARPENING BUSINESS": see test_distractors_are_not_weapons.)
    assert RULES.evaluate(narrative).fired


@pytest.mark.parametrize("narrative", ["KNIFE SHARPENING BUSINESS CALLED ABOUT LOITERER",
                                       "Caller works at the gun shop, a man is sleeping in the doorway",
                                       "Kids playing with a water pistol in the park, caller wants them to leave"])
def test_distractors_are_not_weapons(narrative: str) -> None:
    # Given a weapon word inside a distractor phrase (weapons.toml), Then no red line fires
    assert not RULES.evaluate(narrative).fired, RULES.evaluate(narrative)


def test_officer_rule_can_be_switched_off_and_says_so_in_the_ruleset_id() -> None:
    ruleset = RuleSet.load(disabled=frozenset({"officer.requested"}))
    assert not ruleset.evaluate("RP INSISTS ON AN OFFICER").fired, "a disabled configurable rule must not fire"
    assert "no:officer.requested" in ruleset.ruleset_id, f"ruleset id must record the switch: {ruleset.ruleset_id}"


def test_fixed_red_lines_cannot_be_switched_off() -> None:
    with pytest.raises(ValueError, match=r"weapon\.present"):
        RuleSet.load(disabled=frozenset({"weapon.present"}))


def test_every_rule_has_cases_on_both_sides() -> None:
    covered = {rule_id for _, rule_id in MUST_FIRE}
    red_lines = {rule.rule_id for rule in RULES.rules if rule.kind == "red_line"}
    assert red_lines <= covered, f"red-line rules without a must-fire case: {red_lines - covered}"


def _ruleset_with(terms: dict, patterns: list[str], fragments: dict | None = None) -> RuleSet:
    """A small rule set (the bundled negation settings) with its own [terms], [fragments] and one weapon rule."""
    import tomllib
    from importlib import resources

    bundled = tomllib.loads(resources.files("callroute.rules").joinpath("rulesets/redline.toml").read_text("utf-8"))
    config = {"name": "t", "version": "0", "negation": bundled["negation"], "terms": terms,
              "fragments": fragments or {},
              "rules": [{"id": "weapon.present", "kind": "red_line", "reason": "r", "patterns": patterns}]}
    return RuleSet(config)


def test_a_rule_set_term_list_is_named_in_patterns_and_extends_a_lexicon_list_of_the_same_name() -> None:
    # Given a rule set with its own list (<<tool>>) and an extra distractor phrase
    rules = _ruleset_with({"tool": ["pool cue"], "distractor": ["pool cue rack"]}, [r"\b<<tool>>\b"])
    # Then its own list is read by the pattern, and the extended distractors still hold the lexicon's phrases
    assert rules.evaluate("SUBJ SWINGING A POOL CUE AT PATRONS").fired, "<<tool>> must expand to the rule set's list"
    assert not rules.evaluate("SUBJ SLEEPING BY THE POOL CUE RACK").fired, "a distractor added by [terms] must apply"
    extended = _ruleset_with({"distractor": ["pool cue rack"]}, [r"\bGUN\b"])
    assert not extended.evaluate("WORKS AT THE GUN SHOP").fired, "the lexicon's distractors must remain when extended"


def test_a_pattern_naming_an_unknown_list_is_refused_at_load() -> None:
    with pytest.raises(ValueError, match=r"<<nothing>>"):
        _ruleset_with({}, [r"\b<<nothing>>\b"])


def test_an_underscore_reads_as_a_space_so_call_type_codes_match() -> None:
    # Given a call-type code as agencies publish it, When the rules read it, Then "Family Physical" is violence
    assert "violence.in_progress" in [h.rule_id for h in RULES.evaluate("114D_Family Physical").red_lines]
    assert not RULES.evaluate("114D_Family Verbal").fired, "a verbal domestic is not a red line"


def test_a_shared_fragment_is_named_in_patterns_and_an_unknown_one_is_refused() -> None:
    # Given a rule file with a fragment, When a pattern names it, Then it reads as the fragment itself
    rules = _ruleset_with({}, [r"\bHAS\s+A\s+{{blade}}\b"], {"blade": r"(?:KNIFE|BLADE)"})
    assert rules.evaluate("SUBJ HAS A BLADE").fired, "{{blade}} must expand to its fragment"
    with pytest.raises(ValueError, match=r"\{\{nothing\}\}"):
        _ruleset_with({}, [r"\b{{nothing}}\b"])
