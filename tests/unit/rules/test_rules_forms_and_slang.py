"""Red lines in the forms, transcripts and street words real calls use (rules 2.19).

Hand-written, not drawn from the lexicon files the rules read: call-taker question-and-answer fields
("WEAPONS: YES, KNIFE", "IS HE ARMED? NO"), 911 transcripts ("Caller: ... Dispatcher: ..."), the passive
of incident reports ("Shots were heard near the courts"), threats in street words ("gonna smoke him",
"light up the whole block") and slang for weapons ("a strap", "a 9mm", "a shiv"). Each list holds calls
that must fire its rule; NOT_RED_LINE holds crisis calls near the same words that must fire none.
"""

from __future__ import annotations

import pytest

from callroute.rules.engine import RuleSet

RULES = RuleSet.load()

WEAPON = [
    'DISTURBANCE. WEAPONS: YES, KNIFE. INJURIES: UNK. SUSP STILL ON SCENE: YES',
    'WEAPONS INVOLVED: HANDGUN. SUSPECT LEFT NB ON FOOT',
    'ANY WEAPONS? Y - BASEBALL BAT',
    'SUSP ARMED: Y. DESC: WM 30S RED HOODIE',
    'Q: Are there any weapons? A: He has a gun in his waistband',
    'WEAPON TYPE: KNIFE. LOCATION OF WEAPON: IN HAND',
    'Weapons mentioned: firearm. Threats made: yes, to kill the caller',
    'CALLER HEARD 3-4 GUNSHOTS, NO ONE SEEN',
    "Caller: he's got a gun, he's waving it around. Dispatcher: where is he now? Caller: in the kitchen",
    'Caller states her son is threatening everyone with a machete in the front yard',
    "RP advised husband has locked himself in the bedroom with a shotgun and says he'll shoot whoever comes in",
    'A man was stabbed outside the bar, the suspect ran toward the parking garage',
    'Shots were heard near the basketball courts, two people seen running',
    'Clerk was robbed at gunpoint minutes ago, suspect fled in a gray sedan',
    'Victim was struck with a tire iron and is unconscious',
    "He said he's going to go get his gun and come back and kill us",
    'Teen posted a photo with a rifle saying tomorrow at school everyone dies',
    'Son is hitting his elderly mother with a cane, she is on the floor',
    'IS HE ARMED? YES, A KNIFE',
    'Is he armed? Caller says yes, handgun in his jacket',
    'ROAD RAGE, OTHER DRIVER BRANDISHED A PISTOL AT RP ON I-5 NB',
    "Driver in a blue pickup keeps trying to run me off the road, he's following me now",
    "My daughter's ex keeps driving past and he has a gun on the dashboard, she's terrified",
    'School counselor reports a student has a gun in his backpack right now',
    'Man just pulled a knife on the bus driver, bus is stopped at 3rd and Pine',
    "There's a guy in the parking lot slashing tires and he came at me with the blade",
    'PERSON WITH A GUN, LAST SEEN HEADING TOWARD THE MALL',
    'Guy with a bat smashing car windows and yelling at people walking by',
    "My dad is threatening my mom with a hammer, he said he'll bash her head in",
    'IS HE ARMED? YES A HANDGUN',
    'SUBJ ARMED W/ KNIFE: NO INJURIES YET',
    'ARMED: Y. SUSP STILL ON SCENE',
    "He's got a strap in his waistband and he's looking for somebody",
    'Dude pulled out a 9mm outside the club',
    'Man with a .38 revolver sitting in a parked car watching the house',
    "He has a shiv he made and says he'll shank anyone who comes in his cell block area",
    "Guy said he's gonna pop him if he sees him again and he has a piece",
    "Somebody's about to get clapped out here, they got guns out",
    'Kid has brass knuckles and is squaring up with another kid',
    "There's a guy with a crowbar prying at my neighbor's back door and she's home",
    "She's got a razor blade and is threatening to cut the nurse",
    'He has a taser and is zapping people at the bus stop',
    'Man walking down the street with a rifle slung over his shoulder yelling',
    'A woman says her ex is sitting outside her house with a gun in his lap',
    "There's a fight with knives in the kitchen of the restaurant",
    "He threw a brick through my window and now he's trying to climb in",
    'My neighbor is chasing his wife around the yard with an axe',
    'They are shooting at each other across the street',
    'He swung a machete at me and missed',
    "He has a hunting knife and he's drunk and yelling at his kids",
    'The man is waving what looks like a gun at cars',
    'Caller advises male brandished a firearm during an argument and left in a black car 2 mins ago',
    'He said he has a bomb in his backpack',
    "He's beating his dog with a shovel and threatening me with it too",
    'Someone keeps firing a gun into the air at the party',
    'He broke a bottle and is coming at people with it',
    "They're about to air out the party, they got a car full of guns",
    "He's shooting!! he's shooting at the cars",
]

VIOLENCE = [
    'IS ANYONE INJURED: YES, BLEEDING FROM HEAD AFTER BEING PUNCHED',
    'ASSAULT JUST OCCURRED. SUSP STILL THERE. INJ: YES',
    "CT: ARE THEY FIGHTING RIGHT NOW? RP: YES HE'S ON TOP OF HER HITTING HER",
    '911 what is your emergency. My boyfriend is choking me please send someone',
    'Open line, heard female screaming stop hitting me, then line disconnected',
    'A woman is being beaten in the alley behind the laundromat',
    'Juvenile was jumped by four others at the bus stop, still happening',
    "Ex is outside in the driveway, has a restraining order, says he's going to burn the house down",
    "He pointed a laser sight at my window and yelled he'd shoot me",
    'Neighbor is screaming at the toddler and I hear slaps and the child crying hysterically',
    'Social worker on the line: client told her he is going to shoot his landlord today',
    'My roommate punched a hole in the wall and then grabbed me by the throat',
    'Two women fighting in the street, one has a broken bottle',
    "Neighbors fighting, I can hear furniture breaking and her screaming he's gonna kill me",
    "HE SAID IF THE COPS COME HE'LL START SHOOTING",
    "A man is exposing himself to children at the playground and grabbed a little girl's arm",
    "caller says her pimp beat her and won't let her leave the motel room",
    'DV IP, MALE STRANGLING FEMALE',
    "He stabbed the dog and now he's coming after me",
    'Someone is shooting fireworks at people from a car, hitting pedestrians',
    'Man pushed a woman onto the train tracks',
    'HE IS BEATING HER ANY WPNS? NO',
    'Did he threaten anyone? Yes, he said he would kill his wife',
    'Is anyone hurt? Yes, he punched the clerk',
    'Caller hears slapping and a little kid screaming next door',
    "They're saying they're going to smoke him when he walks out",
    "He keeps saying he'll cap the next person who touches his car",
    "Said he's going to light up the whole block",
    "The guy is stomping on someone's head on the sidewalk",
    'Guy is getting rolled on by like five dudes in the parking lot',
    'Someone is shooting from the apartment window into the parking lot',
    'A guy is hitting his girlfriend in the car at the red light',
    'My stepdad is choking my mom right now',
    "There's a lady being dragged by her hair across the parking lot",
    "They said they're gonna body him after school",
    "He said he'll waste anyone who comes to the door",
]

DANGER = [
    'Caller whispering, states someone broke in and is downstairs, she is hiding in the closet',
    'Subject barricaded in the apartment with his two kids, says nobody is leaving',
    'Man holding a woman against her will in a van, she mouthed help me through the window',
    "My husband is drunk and has the kids in the car, he says he's going to crash it on purpose",
    'Guy at the gas station poured gas on himself and is holding a lighter',
    "They broke in and they're still inside, I'm hiding in the bathroom",
]

SUICIDE = [
    "Caller's brother is on the roof saying he will jump",
    "She's holding her baby over the balcony railing and screaming",
    'He put a gun to his head and said goodbye',
    "She's holding a kitchen knife to her own throat",
]

NOT_RED_LINE = [
    'WEAPONS: NO. INJURIES: NO. SUBJ TALKING TO HIMSELF, PACING',
    'ANY WEAPONS? N. SUBJ CONFUSED, ELDERLY, WANDERING',
    'SUSP ARMED: N. INTOX MALE SLEEPING IN DOORWAY',
    'Q: Are there any weapons? A: No, not that I can see',
    "Caller: my son is having a panic attack and can't breathe right. Dispatcher: is he violent? Caller: no",
    "CT: IS HE THREATENING ANYONE? RP: NO HE'S JUST CRYING AND SAYING HE WANTS TO DIE, NO PLAN, NO MEANS",
    'A woman was seen sitting on the curb crying, she appears intoxicated but calm',
    'Man was found sleeping in the church doorway, does not want to move, no threats',
    "Caller's sister is hearing voices and thinks the neighbors are spying on her, not aggressive",
    'Teen refuses to go to school and locked himself in his room, parents want help, no weapons in the house',
    'Elderly man keeps calling 911 saying someone stole his glasses, he lives alone and is confused',
    'INJURIES: NONE. WEAPONS: NONE. PT REQ TRANSPORT TO DETOX',
    'Threats made: no. Subject yelling at traffic, appears to be in crisis',
    'Shelter staff report a resident who is off her meds and crying, she has no weapons',
    'Woman says her husband with dementia is agitated and keeps trying to leave, no violence',
    'IS HE ARMED? NO. IS HE VIOLENT? NO. SUBJ CONFUSED',
    'Is anyone hurt? No. Does he have any weapons? Not that she knows of',
    'WEAPONS: UNK. SUBJ YELLING AT TRAFFIC, NO THREATS',
    'Social worker on the line: client is paranoid and off his meds, wants someone to talk to him, no threats made',
    'School counselor reports a student crying in the office saying she wants to die, no plan, calm now',
    "Man sleeping on the bus, driver can't get him off, he's not aggressive",
    "My roommate punched a wall and now he's crying in his room, he didn't touch anyone",
    "The guy at the gas station is talking about the government spying on him, he's harmless",
    'My husband is drunk and passed out on the couch, I just want someone to check on him',
    'Caller says her brother took his meds wrong and is dizzy, he is calm',
    'A man keeps asking customers for money outside the store, not threatening',
    'Woman wandering in the road in her nightgown, elderly, confused',
    "He threw his phone across the room and is sulking now, he's never been violent",
    'My teenage daughter is screaming and slamming doors because we took her phone',
    'Elderly neighbor thinks someone broke in but nothing is missing and no one is there',
    'Caller reports a break in at her garage last night, nothing taken, wants a report',
    'The hospital is keeping him against his will and he is upset, wants to talk to someone',
    "Someone broke in last year and now she can't sleep, she's anxious and pacing",
    "She's scared someone will break in and is checking the locks all night",
    "He said he'll start shooting hoops with his nephew to calm down",
    "He says he'll start shooting up again if he can't get into detox",
    "I can hear him punching the wall upstairs, he's alone and crying",
    'I hear punching on the heavy bag next door every night at 2am',
    "Bus driver grabbed a lady's arm to help her down the steps, she fell, minor injury",
    'He crashed his car on purpose two years ago and has been depressed since',
    'IS HE ARMED? NO. IS ANYONE HURT? NO. MALE CRYING ON CURB',
    'ANY WPNS: N. ANY INJ: N. SUBJ INTOX AND LOUD',
    "Does he have a gun on him? Not that she knows of. He's drunk and singing in the yard",
    'WPNS: UNK. SUBJ SLEEPING ON BENCH',
    'Weapons: none. Threats: none. Woman talking to herself in the lobby',
    "My son plays a lot of shooting video games and won't come out of his room",
    "He said he feels like the walls are closing in and he can't breathe",
    'Veteran having flashbacks about being shot at in Iraq, he is scared but calm',
    'She keeps saying she wants to disappear, no plan, no means, her mom is with her',
    'Man is lying on the sidewalk, drunk, no weapons, not moving much but breathing',
    'Guy at the park is yelling about the government and the apocalypse, no one around him',
    "Woman is crying on the bridge walkway, she says she's just upset about her breakup and wants to walk home",
    "He was in a fight in high school and now he's paranoid everyone's after him",
    "He's going to smoke a cigarette outside and calm down",
    'Mom is going to drop him off at the shelter, he needs a bed tonight',
    "She's gonna pop her pills and go to sleep, she's fine, just anxious",
    "They're shooting a music video in the alley and it's loud",
    'Teens are shooting hoops late at night and yelling',
    'He is shooting up in the bathroom of the library, nodding off',
    "My son wants to take out the trash but he's too scared of the voices outside",
    "Grandpa says he'll blast the music if the neighbors keep being loud, he's confused",
    'He says he will waste his whole paycheck on lottery tickets, his wife is worried about his mania',
    "He wants to lay out in the park all day, he's homeless and sunburned",
]

CASES = ([(n, "weapon.present") for n in WEAPON] + [(n, "violence.in_progress") for n in VIOLENCE]
         + [(n, "danger.imminent") for n in DANGER] + [(n, "suicide.active") for n in SUICIDE])


@pytest.mark.parametrize(("narrative", "rule_id"), CASES)
def test_red_line_fires_on_forms_transcripts_and_street_words(narrative: str, rule_id: str) -> None:
    # Given a call that must never go to a crisis team alone, When the rules read it, Then its red line fires
    fired = [h.rule_id for h in RULES.evaluate(narrative).red_lines]
    assert rule_id in fired, f"{rule_id} did not fire on {narrative!r} (fired: {fired})"


@pytest.mark.parametrize(("asked", "answer", "fires"), [
    ("IS HE ARMED?", "NO", False),
    ("IS HE ARMED?", "N", False),
    ("IS HE ARMED?", "UNK", False),
    ("SUSP ARMED:", "N", False),
    ("SUSP ARMED:", "NEG", False),
    ("Does he have a gun on him?", "Not that she knows of", False),
    ("Does he have a gun on him?", "I don't think so", False),
    ("Q: Is he armed? A:", "No", False),
    ("IS HE ARMED?", "YES", True),
    ("IS HE ARMED?", "Y, A KNIFE", True),
    ("SUSP ARMED:", "YES", True),
    ("Does he have a gun on him?", "She thinks so", True),
    # a bare answer only: "NO INJURIES" answers another question
    ("SUBJ ARMED W/ KNIFE:", "NO INJURIES YET", True),
])
def test_a_question_answered_no_is_not_the_fact(asked: str, answer: str, fires: bool) -> None:
    # Given a call-taker's question about a weapon and the caller's answer
    narrative = f"{asked} {answer}. SUBJ PACING IN LOT"
    # When the rules read them
    fired = [h.rule_id for h in RULES.evaluate(narrative).red_lines]
    # Then a denial or doubt cancels the weapon, and anything else leaves it firing
    assert ("weapon.present" in fired) is fires, f"{narrative!r}: fired {fired}"


@pytest.mark.parametrize("narrative", [
    # the answer must follow the match: a denial of weapons after the violence does not cancel the violence
    "HE IS BEATING HER ANY WPNS? NO",
    "SUBJ CALL PD WPNS: NEG",
    "THREATS TO BEAT UP FAMILY WPNS: NEG",
])
def test_a_denied_weapon_question_does_not_cancel_what_came_before(narrative: str) -> None:
    # Given a red-line fact followed by a weapons question answered no, Then the fact still fires
    assert RULES.evaluate(narrative).fired, f"{narrative!r} fired nothing"


def test_the_safety_net_does_not_read_a_question_as_a_fact() -> None:
    # Given a transcript whose only weapon words are the call-taker's question, answered no
    narrative = "Q: Are there any weapons? A: No, not that I can see"
    # When the rules read it, Then neither a rule nor the safety net fires
    result = RULES.evaluate(narrative)
    assert not result.fired, [(h.rule_id, h.evidence) for h in result.red_lines]
    # And the same clause closed by a full stop instead of a question mark fires the net: the "?" is the reason
    statement = RULES.evaluate("Q: Are there any weapons. A: No, not that I can see")
    assert [h.rule_id for h in statement.red_lines] == ["net.semantic"], statement.red_lines


# Rules 2.20: what a person believes of someone no caller could name is a symptom, not a threat; a blow to one's
# own body said with one's own pronoun is an accident or self-injury.
BELIEVED_OR_OWN_BODY = [
    "She's paranoid and keeps saying someone is going to kill her, nobody is there",
    "He thinks the neighbors are going to kill him with radio waves",
    "He keeps saying the voices tell him they'll kill him if he sleeps",
    "Schizophrenic male believes the FBI is going to kill him, no weapons, pacing outside",
    "She's convinced people are trying to poison her and won't eat",
    "He is psychotic and says demons will murder him tonight, he is hiding under the bed",
    "He hit his head on the table when he fell, he's a little dizzy but talking",
    "She hit her head on the cabinet and is bleeding a little, she's intoxicated",
    "He keeps banging his head against the wall and crying, he's autistic",
    "I smacked my face on the door and now I'm panicking, I can't breathe",
]

STILL_A_THREAT = [
    "She thinks her husband is going to kill her, he said so this morning",
    "Paranoid man says the neighbors will kill him so he's going to kill them first",
    "Schizophrenic male says people are going to kill him, he is holding a knife",
    "He believes his roommate is going to kill him and he just punched him",
    "he hit her head against the table",
    "My dad hit my mom and she hit her head on the counter",
]


def test_without_the_belief_section_the_threat_fires() -> None:
    # Given the same rule set without its [belief] section
    import tomllib
    from importlib import resources

    config = tomllib.loads(resources.files("callroute.rules").joinpath("rulesets/redline.toml").read_text("utf-8"))
    config.pop("belief")
    plain = RuleSet(config)
    narrative = "She's paranoid and keeps saying someone is going to kill her, nobody is there"
    # When it reads a persecutory belief, Then the threat fires: the [belief] cues and agents are what hold it back
    assert [h.rule_id for h in plain.evaluate(narrative).red_lines] == ["violence.in_progress"]
    assert not RULES.evaluate(narrative).fired


# Rules 2.21: callers' speech as typed or transcribed: dropped g's ("breakin in", "smashin her head"), "tryna",
# "somone", a weapon misspelled beyond one letter ("a pistle").
SPOKEN_DANGER = [
    'he was slamming her head against the car door',
    'hes beatin her real bad in the parkin lot',
    'somebody shootin out here on 5th',
    'my man is chokin me rn',
    'they jumpin some kid by the store',
    'dude got a gun he wavin it around',
    'hes stabbin people at the train station',
    'he keep hittin my mama',
    'he got a knif and he sayin he gon kill me',
    'guy is punchin a lady at the bus stop',
    'she threatenin to shoot him',
    'my bf tryna strangle me',
    'hes got a pistle in his jacket',
    'my nabor is pointin a gun at kids',
    'somone is breakin in my house rite now',
    'he gonna kill himself he got a gun to his head',
    'omg theres a shootin at the mall',
    'some1 got stabbed outside the club',
    'he kickin the door in',
    'im hidin in the closet he got a gun',
    'he smashin her head into the wall',
]

SPOKEN_CRISIS = [
    # self-injury in the -ing form (rules 2.21.1: the -ing forms of "slammed her head into" skip "keeps ...")
    'my son keeps banging his head on the wall when he is upset, he is autistic',
    'hes cryin and wont come out his room',
    'my mama is confused and wanderin round the yard',
    'he been drinkin all day and passed out on the porch',
    'she keep sayin she wanna die but she got no plan',
    'he yellin at the tv bout the govment',
]


# Rules 2.22: requests for police in everyday words, injuries with the one who did it still there, the means
# before a goodbye, weapons named loosely ("some kind of blade", "what might be a gun", a crossbow, a nail gun),
# a shootout; and crisis calls near the same words (a toy gun, a counselor asked for, a penalty shootout).
EVERYDAY_DANGER = [
    "can you send a cop, he won't leave my porch",
    'I need the police here now, not a counselor',
    "please send an officer, he's out of control",
    "get the cops over here he's losing it",
    'I want the cops to come take him away',
    "there's blood everywhere and she's not moving, he's still in the apartment",
    "she has a black eye and he's still screaming at her and throwing stuff at her",
    "he's holding the baby and won't give her back and says he'll hurt her",
    "he's sitting in the garage with the car running and the door shut",
    'she has a bottle of pills in her hand and says this is goodbye',
    "he's standing at the edge of the train platform saying he'll jump in front of the next train",
    "he has some kind of blade and he's walking toward people",
    "something shiny in his hand that looked like a knife, he's yelling at the clerk",
    'man with a long gun walking near the school',
    "he's got what might be a gun under his shirt",
    'someone is firing off rounds behind the warehouse',
    'kid waving a BB gun at cars that looks real',
    "he has a crossbow and is aiming it at the neighbor's house",
    'guy with nunchucks threatening people outside the bar',
    'she pepper sprayed the cashier and is still in the store',
    'he has a nail gun and is threatening his coworker with it',
    "guy has a flare gun and says he'll fire it at the crowd",
    "teen with a slingshot shooting rocks at people's heads",
    "he is sharpening a machete on the porch and staring at my kids saying they're next",
    "my ex is here banging on the door saying he's going to kill me if I don't let him in",
    'he just kicked his pregnant girlfriend in the stomach',
    "she's swinging a frying pan at her husband",
    "they're having a shootout in the parking lot",
    'two guys squared up and one pulled a blade',
    "my neighbor just shot his dog and now he's pointing the gun at his wife",
]

EVERYDAY_CRISIS = [
    'My son has a toy gun and is playing in the yard, a neighbor panicked',
    "Can you send someone to talk to my brother, he's depressed, not dangerous",
    'She says she wants to talk to a counselor, not the police',
    "He's sitting in his car in the garage with the door open, just listening to music and crying",
    'She has her pills organized in a weekly box and is confused about which ones she took',
    "He's standing on the train platform, drunk, swaying, talking to himself",
    'we watched the penalty shootout at the bar and he got too drunk and is crying',
    "she's unconscious from drinking, her boyfriend is still here watching her, she's breathing",
    "he had a shootout in a video game and now he's paranoid",
    "he's unconscious from an overdose and she's still here holding his head",
]


# Rules 2.23: danger to life said plainly: a threatener on the way, "afraid for my life", a child in a hot car, a
# ligature or a bag, a deep cut, walking into traffic, a child followed or grabbed at, a door kicked down; and
# crisis calls near the same words (stuck in traffic, a cut while cooking, anxiety in general).
LIFE_DANGER = [
    "he's coming back with a gun, he just left to get it",
    'my ex is on his way over here to hurt me, he texted me',
    "he said he's coming to kill me and he's five minutes away",
    "I'm afraid for my life, he's outside my window right now",
    "there's a baby locked in a hot car in the parking lot, crying and red",
    'toddler left alone in a car in the sun, windows up',
    "he said he's going to end it tonight and he has his dad's gun",
    'my friend just texted me she took a whole bottle of her antidepressants',
    "he's in the bathtub and cut himself deep, there's blood in the water",
    'she tied a belt around her neck and locked herself in the closet',
    "my roommate has a plastic bag over his head and isn't answering me",
    "he's about to jump off the parking garage roof, he's on the edge",
    'she walked into traffic on purpose and is standing in the middle of the freeway',
    "he's pouring gasoline around the house and says he'll light it",
    "he's got my daughter in his car and won't tell me where they are, he's drunk and threatened to hurt her",
    'a man is following a little girl home from school and tried to grab her',
    'my neighbor is beating his wife again, I can hear her crying for help through the wall',
    "caller's husband is choking her and she dropped the phone",
    'he has my mom pinned against the wall with his hand on her throat',
    "he's throwing punches at anyone who walks by",
    'the patient punched a nurse and is now swinging an IV pole',
    'my son is threatening to stab me with a kitchen knife',
    'the guy robbing the store has his hand in his pocket like he has a gun',
    "someone is trying to kick down my door and I'm alone with the kids",
    'he put his hands on her again and she has a bloody nose',
]

LIFE_CRISIS = [
    "he's talking about ending his life but he has no plan and no access to guns, he agreed to talk to someone",
    'my mom is afraid of the dark and calls every night, she is alone but safe',
    'she took her antidepressants this morning as prescribed and now feels dizzy',
    "he's been in the bathtub for an hour and won't come out, he's depressed but safe",
    'the baby is asleep in the car seat in the living room and mom is worried about postpartum depression',
    'he walked into the road drunk but is now sitting on the curb with a friend',
    "my son threatened to run away if we take his phone, he's 14",
    "she's crying for help with her homework and is overwhelmed and anxious",
    "I'm sitting in traffic and having a panic attack, I can't breathe",
    "he was walking on the highway shoulder after his car broke down, he's confused",
    "my mom is scared for her life since the break-in last year and can't sleep",
    'she cut herself deep by accident while cooking and is panicking about the blood',
    "I tried to grab him before he fell but he hit the floor, he's drunk",
    'the toddler is trapped in the car seat buckle and crying, mom is with him',
    'she is afraid for her life in general, she has severe anxiety and agoraphobia',
]


# Rules 2.24: child callers, callers new to English, and the shortest cries for help ("gun! he has a gun!",
# "help he's killing her"); crisis calls in the same voices and figures of speech ("my back is killing me").
VOICES_DANGER = [
    'my daddy is hurting my mommy and she is crying',
    "my mom's boyfriend hit me with a belt and he is still mad",
    "my brother has daddy's gun and he is playing with it",
    'please come my dad is hitting my mom really hard',
    'he have knife, he say he kill me',
    'man with gun in my store please come fast',
    'he hitting my wife, he very drunk',
    'somebody shoot my son, he bleeding',
    'my husband beat me and now he lock the door, I cannot go out',
    'he take my baby and he say I never see her again, he have gun in car',
    "help he's killing her",
    'gun! he has a gun!',
    "he's got a knife to her throat",
    "there's a man with a machete",
    'stabbing at the bus stop',
    "they're fighting with bats",
    'he shot at us',
    "he's choking her out",
    "she's being raped in the next room",
    "he's going to shoot up the school tomorrow, he posted it",
]

VOICES_CRISIS = [
    'my daddy is sad and sleeping on the floor, he drank a lot',
    "my grandma is confused and thinks I'm her sister",
    'he very sad, he no eat for days, he cry all the time',
    "my mom is talking to people who aren't there",
    'he have no weapon, he just yelling at the sky',
    "help my brother is having a meltdown, he's autistic, he's not hurting anyone",
    "he shot me a text saying he's sad and can't stop crying",
    "my back is killing me and I can't get up, I'm alone",
    "he's killing himself with the drinking, his liver is shot",
    "she's killing it at her new job but tonight she's having a panic attack",
    'he is shooting up in the alley behind the shelter',
    "my son shot a video of himself crying and posted it, I'm worried about him",
]


# Rules 2.24: a caller who insists on an officer, in the words callers and call-takers use ("a real cop",
# "RP REQ LE RESPONSE ONLY", "wants him trespassed", "a sheriff"); and callers who ask for anything but police.
INSISTS_ON_POLICE = [
    "I don't want a social worker, I want a real cop",
    'send the police, not those counselors',
    'caller insists on law enforcement response',
    'RP REFUSES CRISIS TEAM, WANTS PD',
    'she said only an officer can come in, nobody else',
    'he wants a police report made and an officer to come out',
    'I need a deputy out here',
    'can I get a squad car over here',
    'caller demands police respond',
    "I'm asking for the police to remove him from my property",
    'she wants him trespassed by an officer',
    'RP REQ LE RESPONSE ONLY',
    'the manager wants police to escort him out',
    'I want to speak to a sheriff',
    'call the cops on him please',
]

DECLINES_POLICE = [
    "I don't want the police, please send someone who can talk to her",
    "she's scared of the police, can you send a counselor",
    'he had a bad experience with cops, please send the crisis team',
    'caller declines police, requests mental health response',
    "he says the police are after him, he's paranoid",
    "my son was a police officer before his breakdown, he's calm now",
    'she works at the police station and her brother is in crisis',
]


@pytest.mark.parametrize("narrative", INSISTS_ON_POLICE)
def test_an_insistence_on_an_officer_fires_the_request_rule(narrative: str) -> None:
    # Given a caller who insists on police, When the rules read it, Then officer.requested fires
    fired = [h.rule_id for h in RULES.evaluate(narrative).red_lines]
    assert "officer.requested" in fired, f"{narrative!r} fired {fired}"


# Rules 2.25: violence just done with its injuries and the one who did it still there, improvised sharp things,
# a child touched; and crisis calls near them (a pillow fight, a skateboarding fall, old flashbacks).
DONE_DANGER = [
    "he just beat me up and he's still here in the kitchen",
    "my husband hit me an hour ago and now he's passed out on the couch",
    "my boyfriend gave me a black eye and won't let me use the phone",
    "she bit me and scratched my face and she's still screaming at me",
    "he broke my arm and took my car keys so I can't leave",
    "my son pushed me down and I can't get up, he's still yelling",
    "he threw me against the wall and now he's blocking the door",
    "my dad slapped me across the face and said he'll do worse",
    'he dragged me out of the car by my hair',
    "he smashed a beer bottle over his friend's head",
    "there's a guy with a broken beer bottle threatening people outside the bar",
    'the guy has a screwdriver and is stabbing at the tires and at me',
    "she's got scissors and is trying to cut her roommate",
    "the man is holding a piece of glass to his girlfriend's neck",
    "she's waving a broken plate at her kids",
    'he poured boiling water on his son',
    "my uncle touched my little sister and he's still in the house",
    'the old man keeps hitting his wife with his cane',
    "he's strangling the cat and saying she's next",
    'my neighbor set his car on fire in the driveway and is yelling at people',
]

DONE_CRISIS = [
    "he hit me with a pillow during a pillow fight and now we're laughing, wrong number",
    "she scratched her own arms raw and is crying, no blades, she's safe with me",
    "my dad used to slap me as a kid and I'm having flashbacks tonight",
    'he broke his arm skateboarding and is in pain and angry',
    'the guy at the bar is holding a broken glass, he cut his hand by accident and is bleeding a bit',
    "my son broke his arm skateboarding and is screaming at us, he's 15 and angry",
    'my daughter broke her wrist falling off the trampoline and is panicking',
    "grandpa touched my son on the shoulder and he freaked out, he's autistic",
    'he gave me a hug and then started crying about his divorce',
]


# Rules 2.25.1: suicide with the means ready or already used, said plainly ("has the pills lined up", "a cord tied
# to the ceiling fan"); suicidal calls without a plan or means, the crisis team's own calls, fire nothing (means
# removed: "parents removed all pills and knives").
SUICIDE_ACTIVE = [
    # rules 2.38: too many pills, taken on purpose
    "my wife took too many of her sleeping pills on purpose and now she won't wake up",
    'he took too many pills to kill himself',
    "he says he wants to die and he's loading his gun",
    'she told me she has the pills lined up and is going to take them tonight',
    "he's drunk, suicidal and has his hunting rifle out on the table",
    "she's on the phone with me saying she already took the pills, she's slurring",
    "my husband wrote a note and took the car, he said he's going to drive off the bridge",
    "he's locked in the bathroom with a razor and won't answer",
    "she's standing on a chair with a cord tied to the ceiling fan",
    'he just swallowed a bottle of sleeping pills',
    "he's threatening to jump from the third floor window",
    "she's sitting on the edge of the roof of her apartment building",
]

SUICIDE_CRISIS = [
    "My friend took too many of her anxiety pills, she's awake but really drowsy",
    'she took too many pills by accident, not on purpose',
    "my brother says he wants to die but he doesn't have a plan, he's at home with our mom",
    "she's been talking about suicide for weeks, no weapons in the house, she's willing to talk",
    'caller is suicidal, no plan, no means, requesting someone to talk to',
    "he said he wishes he wasn't alive, he's crying in his room",
    "my friend texted that she feels hopeless and doesn't see the point anymore",
    'SI W/O PLAN, RP AT HOME W/ FAMILY, NO WPNS',
    'he keeps saying everyone would be better off without him',
    "she said she thought about jumping but she's inside now and calm",
    "teen says she wants to kill herself, parents removed all pills and knives, she's in her room",
    'he has thoughts of hurting himself but no intent and is asking for help',
    "veteran with PTSD says he's not going to hurt himself but he can't sleep and is drinking",
    "she cut herself last month, today she's just very sad and wants to talk",
    'she already took her pills this morning and is confused about the dose',
    "she already took the pills the doctor gave her and feels sleepy, she's calm",
    "he's going to take all his meds to the pharmacy for disposal, he's anxious",
    'my son locked himself in the bathroom and is crying, nothing sharp in there',
]


# A last round of plain calls (all 15 dangerous ones already fired) and their crisis twins (rules 2.25.2: "beat
# the traffic" is not a beating).
PLAIN_DANGER = [
    'the bouncer is getting stomped by three guys outside',
    'someone is being held at gunpoint at the atm',
    "a guy just robbed me with a knife and he's walking toward the park",
    "my roommate threatened me with a bat last night and he's back now banging on my door",
    "he said he's gonna beat the shit out of me when he gets home in ten minutes",
    "there's a dude outside my window with a gun",
    "my neighbor is firing his shotgun at the dogs and it's going into the street",
    "a woman is screaming that she's being attacked in the stairwell",
    'man exposing a gun in his waistband and yelling at people in line',
    "the kid has a knife in his backpack and said he'd use it on the boy who bullied him",
    "they're throwing rocks and bottles at the cops",
    "he's beating his girlfriend with a belt",
    "a man punched an elderly woman and took her purse, he's running down 3rd",
    'my brother is holding my mom hostage in the bedroom',
    "he said he'll stab anyone who comes near him",
]

PLAIN_TWINS = [
    "there's a dude outside my window talking to himself, he seems harmless",
    "my roommate threatened to move out last night and he's back now packing",
    "he said he's gonna beat the traffic and get home in ten minutes, he's drunk and emotional",
    "a woman is screaming in the stairwell, she's alone and seems to be having a panic attack",
    "the kid was bullied at school and doesn't want to go back, he's crying",
]


# Rules 2.26: Spanish weapon words in English calls, elder abuse, people held who cannot leave, a person forced
# into a car; and crisis calls near them (a hospital hold, locked out, "trapped in his own thoughts").
HELD_DANGER = [
    "mi esposo tiene una pistola and he's threatening me",
    'he has a cuchillo and is chasing his brother',
    'the caregiver is slapping my grandmother, I saw it on the camera',
    'the nursing home aide shoved my dad to the floor',
    "there are girls being held in the back of the massage parlor and they can't leave",
    'a man is forcing a teenage girl into his car',
    "he has a gun and is holding his family inside, won't come out",
    "they're jumping a homeless man under the bridge with sticks",
    'the suspect is armed with a handgun, last seen entering the apartment',
    'male brandishing a large knife at passersby on the boardwalk',
]

HELD_CRISIS = [
    "the nursing home called, dad fell out of bed, he's confused but okay",
    "my mom only speaks spanish and she's confused and crying, no violence",
    'homeless man sleeping under the bridge, not responding to questions but breathing',
    "he's locked out of his apartment and can't leave the hallway because his wheelchair is stuck, he's upset",
    "she's being held at the hospital on a hold and can't leave, she's angry and crying",
    "I pulled her into the car out of the rain, she's drunk and confused",
    "my son is trapped in his own thoughts and says he can't leave the house, he's depressed",
]


# Rules 2.27: a weapon used but not named ("keeps swinging it at people", "something metal to the clerk's back",
# "some kind of weapon"); crisis calls with a thing swung or a lunge at nothing.
UNNAMED_DANGER = [
    "he's got something in his hand and keeps swinging it at people",
    'he stabbed at me with something sharp',
    'she came at me with something, I think it was a knife',
    "he's holding something metal to the clerk's back",
    'he hit me over the head with something heavy',
    "there's a guy with some kind of weapon by the playground",
    'he keeps lunging at people with a stick',
    "he's aiming something that looks like a rifle out the window",
]

UNNAMED_CRISIS = [
    "he's got something in his hand, I think it's his phone, he's pacing and muttering",
    "she keeps swinging her purse around and singing, she's drunk and happy",
    'he is lunging at invisible bugs on the wall',
    'she keeps swinging it at the pinata at her party and screaming, the neighbors called',
]


# Rules 2.28: text-to-911, open lines and hang-ups with a struggle heard, third parties (guards, nurses, drivers,
# teachers, a crisis team asking for police); and crisis calls in the same voices, a self-harm history ("has been
# cutting herself in the past", "a history of cutting himself"), CAD's "CALLBACK #".
RELAYED_DANGER = [
    'cant talk hes here. he has a gun. pls send help 123 oak st',
    "txt from caller: bf choking me earlier now locked in bathroom he's banging on door",
    'caller whispering, says someone is in the house, can hear footsteps, hiding under bed',
    'security guard reports a male shoplifter pulled a blade when stopped at the exit',
    "school resource staff: student said he brought his dad's handgun in his backpack",
    'uber driver says passenger put a knife to his neck and told him to keep driving',
    "nurse at the clinic says a patient's husband is threatening staff and says he has a piece in the car",
    '911 hang up, on callback female screaming and male voice yelling shut up',
    'open line, hear a woman crying "stop, you\'re hurting me"',
    'mobile crisis team on scene requesting PD, subject now armed with a kitchen knife',
    "caller's neighbor is dragging his girlfriend by her hair down the stairs",
    'my stepdad is choking my mom right now please hurry',
    'guy pointing a gun at cars on the freeway overpass',
    'teacher reports a parent threatened to come back and shoot up the office',
    'store clerk says a man just robbed them and showed a gun in his waistband, fled on foot',
    'hes got my kids in the car and says hes driving us all off the bridge',
    "ex keeps texting that she'll burn my house down tonight with me in it",
    'a man is pouring gasoline around the front of the building',
    'the guy upstairs is beating his wife, we can hear her screaming and things breaking',
    'she swallowed a whole bottle of tylenol an hour ago and is throwing up',
    'open line, sounds of a struggle',
    'OPEN LINE, FEMALE SCREAMING, UNK ADDRESS',
    'HX OF CUTTING HERSELF, NOW CUTTING HER WRISTS',
    'she has been cutting herself again tonight',
]

RELAYED_CRISIS = [
    "txt from caller: my friend is freaking out after taking edibles, she's paranoid but safe",
    'security guard reports a man sleeping in the stairwell, refused to leave, not aggressive',
    'school counselor says a student disclosed thoughts of suicide, no plan, parents notified, requests welfare check',
    'nurse at the clinic says a patient left against medical advice and is confused, wandering nearby',
    'mobile crisis team requests transport help for a cooperative client, no safety concerns',
    '911 hang up, on callback elderly male says he dialed by mistake, all ok',
    'open line, hear tv in background, no voices',
    'uber driver says passenger is very drunk and fell asleep in the back seat',
    'store clerk says a woman has been in the bathroom a long time and is crying',
    'caller says her adult son with autism is having a meltdown, throwing pillows, nobody hurt',
    'she has a history of self-harm but says she is safe tonight and just wants to talk',
    "he used to be violent years ago but he's been sober and calm, now he's just confused",
    'hung up, on callback kids screaming at the video game, all ok',
    'callback, woman says she is fine, screaming was the kids playing',
    'TRESPASSER IFO 7-11 CALLBACK # SUBJ SCREAMING',
    "My sister says she feels hopeless and has been cutting herself in the past, she's not doing it right now",
    'he has a history of cutting himself',
    'she was cutting her legs years ago',
]


# Rules 2.29: a drive-by, a child put where it will die, a counter jumped, exposure to children, veiled threats
# ("texted that tonight is the night"); and crisis calls near them (a drive-by parade, the baby in the bathtub).
VEILED_DANGER = [
    "he's trying to run me over with his truck, he keeps backing up at me",
    'there was a drive-by on our street just now, a car sprayed the house',
    "a man is following me and my daughter and he has a knife, we're in the grocery store",
    "he has a bat and he's smashing car windows and yelling at people who come near",
    "my neighbor set his own house on fire and he's standing outside laughing with a lighter",
    'a guy just exposed himself to the kids at the park and is still there',
    "two groups are brawling in the parking lot, someone's on the ground getting kicked",
    'the man in 4B says he has a bomb in his backpack',
    'my ex has been parked outside all night and texted that tonight is the night',
    "he put the baby in the oven, he's not making sense",
    'someone is trying to get into my car with me in it, banging on the window with a rock',
    "he's threatening the cashier, says he's got a gun in his pocket but I can't see it",
    'a man jumped the counter at the pharmacy and is grabbing pills, the pharmacist is hiding',
    "she's got my son by the throat against the wall",
    'the guy is going door to door with a machete',
    'he said your days are numbered',
    'RP STS EX TEXTED I KNOW WHERE YOU SLEEP',
]

VEILED_CRISIS = [
    'the man upstairs is very loud and stomping around at 3am',
    'a guy is shouting about god on the corner, just preaching, not bothering anyone',
    "my teenage son is refusing to go to school and is locked in his room, he's just angry",
    "there's a woman sleeping in the ATM lobby, she seems fine",
    'my elderly father keeps calling me saying people are stealing from him but nothing is missing',
    "a kid fell off his bike and is bleeding from his knee, he's crying",
    "my roommate drank a lot and is throwing up but she's talking to me",
    "he's having a bad trip on mushrooms, seeing things, but sitting on the couch",
    "a woman is going through my recycling bin, she's not causing problems",
    "my wife with Alzheimer's is agitated and pacing, she doesn't know who I am",
    "my son with autism ran out of the house barefoot, he's usually by the pond",
    'a homeless man asked me for money and was rude when I said no',
    "my neighbor's dog barks all night and she won't answer the door",
    "there's a drunk guy asleep in the bus shelter, snoring",
    "my girlfriend is having a panic attack in the car and can't breathe well",
    'we went to the drive-by birthday parade',
    'the drive by window at mcdonalds is closed',
    'he sprayed the house with the hose',
    'put the baby in the bathtub',
    'he jumped over the counter to hug grandma',
    'my son texted that he will regret it',
    'he said my last day at work is friday',
]


# Textbook calls in plain English (what a crisis line or a 911 call-taker hears most), both sides: none of the
# crisis calls may fire (one did before rules 2.28: a self-harm history), every dangerous one must.
TEXTBOOK_DANGER = [
    "My neighbor is beating his dog with a shovel and now he's coming toward me",
    "There's a man in the parking lot with a rifle walking toward the school",
    "My ex just showed up and he's kicking in my front door",
    "He told me he's going to shoot me when he gets home",
    'Someone is stabbing a guy outside the bar right now',
]

TEXTBOOK_CRISIS = [
    "My brother is having a mental health crisis, he's not violent, can someone come talk to him",
    "There's a homeless man sleeping in the doorway of my shop and I need him moved along, he's not causing trouble",
    "My mother has dementia and she wandered off from the house about an hour ago, she's wearing a blue coat",
    "I'm worried about my neighbor, I haven't seen her in three days and her mail is piling up",
    'A man is standing in the middle of the intersection shouting at cars, he seems to be on something',
    "My friend took too many of her anxiety pills, she's awake but really drowsy",
    "My daughter is having a panic attack and can't calm down, she's hyperventilating",
    "There's a guy passed out on the bench at the bus stop, he smells like alcohol",
    "My son is off his meds and he's been talking to people who aren't there, he's scared",
    "I'm feeling really depressed and I don't know who to talk to",
    "An elderly woman seems lost in the grocery store parking lot and can't remember where she lives",
    "A young woman is sitting on the sidewalk crying and won't tell anyone what's wrong",
    "My husband is drunk and won't stop arguing with me, he's not hitting me, I just want someone to calm him down",
    "There's a teenager who looks high wandering around the playground",
    "My roommate hasn't left her room in a week and isn't eating, I think she's really depressed",
    'A man is going through the trash cans behind the restaurant and talking to himself',
    "My uncle thinks the TV is sending him messages and he's very upset",
    "A person is lying on the grass in the park and not really responding, but they're breathing",
    "My dad is an alcoholic and he's been drinking all day, he's sad and keeps crying",
    "There's a woman at the library who is yelling at nobody and scaring the kids",
    'Someone is sleeping in their car in our parking lot and has been there two days',
    "My sister says she feels hopeless and has been cutting herself in the past, she's not doing it right now",
    "A guy in the coffee shop is acting strange, pacing and mumbling, he hasn't done anything",
    "My client with schizophrenia missed his appointment and isn't answering the door",
    "The man next door is hoarding and the smell is terrible, he's elderly and lives alone",
    "my grandmother keeps forgetting where she is and is scared, she's at home with me",
    "there's a man talking loudly to himself at the bus stop, he's not threatening anyone",
    "my sister is very depressed and hasn't gotten out of bed in days, she's not eating",
    "my son is having a meltdown, he's autistic and screaming, nobody is hurt",
    'a woman is wandering in the street in her nightgown, she seems confused',
    "I'm having thoughts of suicide but I don't have a plan, I need someone to talk to",
    "a man is sitting on the sidewalk drunk, he can barely stand but he's friendly",
    "my husband has bipolar disorder and he's manic, he hasn't slept in three days",
    "there's a teenager crying alone in the park at night, she says her parents kicked her out",
    'my neighbor is hoarding and the smell is bad, she is elderly and refuses help',
    "a homeless man is asleep on my porch and won't wake up fully, he's breathing",
    'my brother is hearing voices and is scared, he wants to go to the hospital',
    "a lady at the grocery store is confused and can't find her car, she's upset",
    "my friend is having a bad reaction to drugs, she's anxious and sweating but talking",
    "my dad with dementia is agitated and yelling at the TV, he doesn't recognize me",
    'a man at the library has been sleeping there all day and staff want him checked on',
    "my roommate is panicking and says she can't breathe, it's happened before with anxiety",
    "there's a guy outside the shelter who is very drunk and crying",
    "my adult son is off his medication and is paranoid, he's staying in his room",
    'an older man is sitting in his car in the parking lot for hours and looks lost',
]


# Rules 2.30: Spanish, as callers say it and call-takers copy it (beating, stabbing, gunfire, an intruder), and
# English as a second language; crisis calls in the same voices (a wall hit, not a person).
SPANISH_DANGER = [
    'mi esposo me esta golpeando, ayuda por favor',
    'RP SPANISH SPEAKING, STS HUSBAND GOLPEANDO HER, KIDS IN HOUSE',
    'hay un hombre con una pistola en la tienda',
    'mi novio me quiere matar, tiene un cuchillo',
    'RP VIA INTERPRETER: SON THREATENING TO KILL FATHER WITH MACHETE',
    'VIA LANGUAGE LINE: HUSBAND CHOKING RP NOW',
    'le dispararon a mi hermano, esta sangrando mucho',
    'alguien entro a mi casa y esta adentro todavia',
    'my husband is hitting me, he say he kill me, please come',
    'he have knife, he try to cut my son',
    'la apuñaló su novio',
    'disparos cerca del parque, hay un herido',
]

SPANISH_CRISIS = [
    'mi mama esta confundida y no sabe donde esta',
    'RP SPANISH SPEAKING, STS SON DEPRESSED, NO WEAPONS, REQ SOMEONE TO TALK',
    'mi hijo esta llorando y triste, no quiere comer',
    'VIA INTERPRETER: ELDERLY MOTHER WANDERED FROM HOME, CONFUSED',
    'my father he is confuse, he no remember where he live',
    'mi hijo golpeó la pared y esta llorando',
    'he plays the viola at night and the neighbors complain',
]


# Calls that change as they go (CAD updates, a caller's story told in order): the danger comes in a later update
# or sentence; and their twins that calm down instead.
UPDATED_DANGER = [
    'RP STS NEIGHBOR YELLING IN HALLWAY. UPDT: RP NOW HEARS GLASS BREAKING AND FEMALE SCREAMING FOR HELP',
    '415 FAMILY. UPDT 2: SON NOW HAS A BAT AND IS THREATENING MOTHER. UPDT 3: RP LOCKED IN BEDROOM',
    "WELFARE CHECK ON ELDERLY M. UPDT: RP STS SUBJ'S NEPHEW IS TAKING HIS MONEY AND HIT HIM",
    'SUBJ PANHANDLING AT INTERSECTION. UPDT: SUBJ NOW CHASING CARS WITH A SCREWDRIVER',
    'RP STS ROOMMATE DEPRESSED. UPDT: RP STS ROOMMATE HAS A GUN AND IS SAYING GOODBYE',
    "so my brother came home drunk like usual and at first he was just yelling but now he's got my "
    "mom pinned on the floor and he won't get off her",
    "she called earlier about her ex. he's back now, he's outside the door, he's saying he'll burn the place down",
    "first it was just arguing but then he grabbed the kitchen knife off the counter and now he's "
    'standing in the doorway with it',
    'UPDT: SUBJ BARRICADED IN GARAGE WITH HUNTING RIFLE, FAMILY OUTSIDE',
    "the guy at the gas station was just acting weird at first but now he's pulled a knife on the attendant",
]

UPDATED_CRISIS = [
    'RP STS NEIGHBOR YELLING IN HALLWAY. UPDT: SUBJ WENT BACK INTO APT, QUIET NOW',
    '415 FAMILY. UPDT: PARTIES SEPARATED, NO INJURIES, NO WEAPONS, SON WANTS TO TALK TO SOMEONE',
    'SUBJ PANHANDLING AT INTERSECTION. UPDT: SUBJ SAT DOWN ON CURB, CRYING',
    'RP STS ROOMMATE DEPRESSED. UPDT: RP CONFIRMS NO GUNS IN HOUSE, ROOMMATE AGREES TO TALK',
    "so my brother came home drunk like usual and he was yelling but now he's passed out on the "
    'couch, I just want someone to check on him',
    "first he was upset and pacing but now he's sitting in the kitchen drinking tea and talking about his ex",
    'WELFARE CHECK ON ELDERLY M. UPDT: RP STS SUBJ IS FINE, JUST HARD OF HEARING',
    "the guy at the gas station was acting weird, now he's sitting by the air pump talking to himself",
]


# Rules 2.31: calls told as a news report or a case summary would (third person, past tense: "A woman called 911 to
# report that ..."); an intruder who "had broken into his home and was still inside"; a burglary last year is history.
REPORTED_DANGER = [
    'A woman called 911 to report that her husband had hit her and was still in the house.',
    'The caller reported that a man was walking down the street with a shotgun.',
    'A neighbor called police after hearing several gunshots outside an apartment building.',
    'A store employee reported that a customer had threatened him with a box cutter.',
    'A mother called to say her adult son had attacked her and locked himself in his room.',
    'A caller said two men were fighting in a parking lot and one had a knife.',
    'A teenager called 911 because her stepfather was choking her mother.',
    'A man reported that someone had broken into his home and was still inside.',
    'The caller said her ex-boyfriend had threatened to kill her and was on his way to her house.',
    'A bartender called about a patron who smashed a bottle and was threatening other customers with it.',
    'a man had broken into the store and was still inside when police arrived',
]

REPORTED_CRISIS = [
    'A woman called 911 because her elderly father with dementia had wandered away from home.',
    'A caller reported a man sleeping in a bus shelter who appeared to be intoxicated.',
    'A mother called because her teenage son was having a panic attack and could not calm down.',
    'A man called to say he was feeling suicidal but had no plan and wanted to talk to someone.',
    'A caller reported a woman sitting on the sidewalk talking to herself, not bothering anyone.',
    'A neighbor requested a welfare check on an older man she had not seen in several days.',
    'A caller said her brother was off his medication and was paranoid but not violent.',
    'A store manager called about a homeless man who refused to leave the entrance but was calm.',
    'A woman called because her roommate had been drinking heavily and was crying.',
    'A caller reported a confused elderly woman at a gas station who could not remember her address.',
    'someone broke into the garage last year and is still in jail',
    'someone broke into my car last week, I want a report',
    'the cat got into the house and is still inside',
]


# Rules 2.32: red lines said without a red-line word (an engine on in a closed garage, the edge of a roof, blood
# and no answer, hands around a neck, dragged back inside, a hammer carried among people, the means pictured with
# an apology); and crisis calls near them. The hunting-season call fires on purpose (guns at hand, drinking).
UNSAID_DANGER = [
    "he's cleaning his gun and talking about ending it all",
    'the knife is on the table right next to him and he keeps looking at it',
    "she's standing on the edge of the parking garage roof",
    "he took his dad's gun and left the house upset an hour ago",
    "there's blood on the walls and no one is answering the door",
    "a kid brought a gun to school today, it's in his locker",
    'I need the police here now, not a social worker',
    "my neighbor has his hands around his wife's neck in the front yard",
    "he's sitting in his car in the garage with the engine on and the door closed",
    "the man outside keeps saying he's going to shoot anyone who comes out",
    "she's holding scissors to her own throat and crying",
    'he dragged her back into the house by the arm and she was screaming',
    "my son's friend is here and he has an ax, he's smashing our stuff and yelling at my son",
    "she texted me a picture of a bottle of pills and said she's sorry",
    "he's walking around the lobby with a hammer and staring at people",
    'he is dragging her down the street',
    "my son put his hands on his sister's neck",
    "he's cleaning his guns for hunting season, he's calm, his wife wants someone to talk to him about his drinking",
]

UNSAID_CRISIS = [
    "the knife is in the kitchen drawer, he has never hurt anyone, he's just very sad tonight",
    "she's standing at the edge of the pond feeding the ducks and talking to herself",
    "he took his dad's car without asking and is driving around upset, he's 17",
    'my son is at school and called me crying because kids are bullying him',
    'he dragged him out of the road to safety',
    'the nurse dragged him out of the burning house',
    'she is standing at the edge of the pond',
    'the maintenance guy is walking around with a hammer fixing the doors',
    'the car is running in the driveway next to the garage',
]


# Rules 2.33: more red lines said without a red-line word (nobody let leave, something in the waistband, swinging at
# whoever walks by, a child lured to a van, a stalker outside now, a truck through the door, the intent with the
# means); crisis calls near them (a trampoline, fireworks set off, a stalker online).
UNSAID_MORE_DANGER = [
    "he's loading something into the car and told the kids to get in, he's been drinking and has the rifle case",
    "my husband locked the doors and took my phone and keys, he won't let anyone leave",
    "she said if I leave she'll make sure I never see the kids again and she's holding the baby over the railing",
    'my neighbor has been screaming for help for ten minutes and now it went quiet',
    "there's a man in the back of my pickup and he won't get out, he has something in his waistband",
    'the guy is punching the windows of cars with people inside',
    "my brother is threatening to jump in front of the train, he's on the platform now",
    'she poured gasoline on herself and has a lighter',
    "he's swinging at anyone who walks by",
    'a guy is following the school bus in a van and trying to get the kids to come over',
    'he says he has a bomb strapped to him',
    'my dad is beating my mom with his belt',
    'someone is shooting fireworks at people from a balcony',
    'he crashed through the front door with his truck and is inside now',
    "my stepson pushed my husband down the stairs and he's not moving",
    "I'm hiding in the closet, he's looking for me, he's got a knife",
    "he just said he's going to end it tonight and he's got the pills right there",
    "the guy who's been stalking me is outside my work right now",
    'she keeps hitting the baby',
]

UNSAID_MORE_CRISIS = [
    "my husband has been drinking and fell asleep in his chair, I can't wake him fully but he's breathing",
    'my brother is talking about jumping on the trampoline with his kids',
    "he's on the platform waiting for the train and talking to himself loudly",
    'my dad is yelling at my mom about money but nobody has been hurt',
    'a guy in a mask is handing out flyers at the store entrance',
    'kids are setting off fireworks in the street',
    'my ex is stalking me on instagram, it makes me anxious',
    'he is swinging at the pinata with the kids',
    "my son refuses to let me leave the room without a hug, he's 4",
]


# Rules 2.34: a fresh round written after 2.33 (5 of 15 dangerous fired nothing): a throat squeezed, kids called over
# to a car, a door punched in on someone cornered, gunfire into the air, a broken bottle at one's own neck; and crisis
# calls near them (a door kicked in frustration, a firefighter's rescue, grandma calling the kids over for dinner).
FRESH_DANGER = [
    "my uncle is squeezing my aunt's throat and she can't talk",
    'a man keeps circling the playground in a car and calling kids over to his window',
    "he's got my sister cornered in the bathroom and is punching the door in",
    "I think my husband is going to hurt me tonight, he's been cleaning his revolver and staring at me",
    'the man next door is firing into the air in his backyard',
    "she's got a blade against her wrist in the bathtub",
    'two guys are jumping a kid behind the gym',
    'he locked my grandma in the basement and took her money',
    'the guy just punched the cashier and is still in the store',
    "he's on top of her on the ground and hitting her face",
    "a man keeps trying to get into my apartment, he's pounding on the door and saying he'll kill me",
    "she said she's going to drive her car into the lake with the kids in it",
    "he has my daughter in his truck and won't let her out",
    'my roommate is holding a broken bottle to his own neck',
    'the man is waving a sharp piece of metal at the bus driver',
    'he kicked the door in and grabbed her',
    'a man is calling kids over to his van',
]

FRESH_CRISIS = [
    "my uncle is squeezing a stress ball and breathing slowly, he's anxious",
    'a man keeps circling the block looking for parking and honking',
    'my sister locked herself in the bathroom and is crying, no weapons',
    'the man next door is playing loud music in his backyard',
    "she's in the bathtub crying and won't come out, she's safe",
    'he grabbed his neck because it hurt',
    'he kicked the door in frustration',
    'the fireman broke the door down to get her out',
    'grandma is calling the kids over for dinner',
    'he was firing into the air years ago in the army',
]


# Rules 2.35: a round held out at rules 2.34 (measured before any fix: the rules fired on 13 of 20 dangerous calls and
# the model sent the other 7 to police; 0 of 10 crisis calls fired), then fixed: a child left in a hot car, someone
# held for days, an elder pushed around, a bunch of someone else's pills, plain threats of bodily harm. (Not fixed, not
# listed: "a lady is lying in the street after being hit by a car and the driver is yelling at her".)
HELD_OUT_DANGER = [
    "my brother just threw a brick through our window and he's trying to climb in",
    "she's got a pair of scissors and keeps jabbing them toward her boyfriend",
    "there's a guy sitting in a car outside the elementary school with a rifle on the dashboard",
    "my mom's boyfriend keeps shoving her into the wall, I can hear it from my room",
    "the neighbor's teenager is setting the dumpster on fire next to the building",
    "a man is pacing outside the clinic saying he'll make everyone pay for what they did",
    'he poured bleach in her face',
    'the customer jumped over the table and started choking the waiter',
    "my husband said if I call anyone he'll break my neck",
    "someone left a baby in a car in the parking lot, it's 95 degrees and the baby is crying",
    'a group of guys are beating someone with sticks in the alley',
    "he's loading his shotgun on the porch and yelling at the neighbors",
    "my friend just swallowed a bunch of her mom's sleeping pills and is getting sleepy",
    "he bit my daughter and won't let go of her arm",
    'an old man is being pushed around by his caregiver and has bruises all over',
    "he said he has a knife in his boot and he'll use it if we call the cops",
    'two drivers are out of their cars fighting in the intersection, one has a tire iron',
    'the guy in apartment 2 has been holding his girlfriend in there for two days',
    'my son took my car keys and the gun from the closet and drove off',
]

HELD_OUT_CRISIS = [
    'my brother threw a ball through our window by accident and is upset about it',
    'she has scissors and is cutting her own hair in the bathroom while crying',
    "there's a guy sitting in a car outside the school waiting for his kid, he looks nervous",
    "my mom's boyfriend is yelling at the TV during the game, nobody is in danger",
    'a man is pacing outside the clinic talking about his bill, upset but not threatening',
    "my friend took her sleeping pill as prescribed and is sleepy, she's fine",
    'an old man at the care home is confused and keeps asking for his wife',
    "my husband is sad and drinking and says he doesn't know what to do with his life",
    'a lady is sitting in the street crying, cars are going around her',
    "the guy in apartment 2 hasn't come out in two days and his mail is piling up",
    'grandma is keeping the kids in the house for two days because of the snow',
    'the hospital is holding him for three days on a psych hold',
    'she left the baby in the car with the AC running while she paid for gas',
    'he will make them pay rent',
    "she took a handful of her mom's vitamins",
]


# Rules 2.36: a second round held out at rules 2.35 (the rules fired on 9 of 15 dangerous calls, the model sent the
# other 6 to police; 0 of 5 crisis calls fired), then fixed: burned with a cigarette, a cord around her neck, a
# protection order broken now, a threat to come for the family, rocks thrown at traffic, a way pushed in.
HELD_OUT_2_DANGER = [
    "my cousin is outside with a crowbar smashing my car and says I'm next",
    "he's hiding behind the dumpster with a rifle pointed at the bar door",
    'the kid next door just told me his dad burned him with a cigarette',
    'a woman is being forced into the trunk of a car at the gas station',
    'I came home and my roommate is lying on the floor with a cord around her neck',
    "my husband is outside my work and he has a restraining order, he's yelling that he'll get me",
    "the patient pulled the nurse's hair and is hitting her with the IV pole",
    'a teenager is waving what looks like a handgun at other kids at the bus stop',
    "my neighbor says he's going to poison our dog and then come for us",
    'someone is throwing rocks at cars from the overpass',
    "my grandson shoved me and took my purse and he's still here",
    'he rammed my car twice on the highway and is following me now',
    "the man at the door says he's with the gas company but he pushed his way in and won't leave",
    "she overdosed on purpose and she's barely breathing",
    "he's threatening the bus driver with a syringe",
]

HELD_OUT_2_CRISIS = [
    'my cousin is outside washing his car and singing loudly, the neighbors complained',
    'the patient at the clinic is confused and crying and wants her daughter',
    "my grandson is visiting and we're arguing about politics, he's leaving soon",
    "a man at the door says he's with the gas company and wants to read the meter",
    "she's been sleeping all day after a long shift and is hard to wake but breathing normally",
    'he is wearing a belt around his neck as a joke at the party',
    'the nurse has her keys on a cord around her neck',
    'she has a restraining order against him and wants to talk to someone',
    'the kids are throwing rocks into the pond',
    'I want to poison the weeds and then go for a walk',
    'he pushed his way to the front of the line',
]


# Rules 2.37: a third round held out at rules 2.36 (the rules fired on 10 of 15 dangerous calls; the model sent 4 of
# the other 5 to police and one, a man exposing himself and following women, to the crisis team; one crisis call fired:
# "nobody's fighting", a negation the word lists lacked), then fixed.
HELD_OUT_3_DANGER = [
    "there's a man on the roof of the school and he has a rifle",
    'my ex keeps driving past my house slowly and last night he left a bullet on my doorstep',
    "the guy at the ATM just grabbed a woman's bag and shoved her to the ground, he's running toward the park",
    'my teenage son is holding his little sister by the hair and dragging her across the floor',
    'my neighbor is pointing a crossbow at the kids playing in the street',
    "she told her therapist she's going to shoot herself tonight and she owns a gun",
    "there's a fight with like twenty people outside the club and someone's got a bat",
    "my dad is drunk and said he's going to beat my mom to death when she gets home",
    'a man is threatening to throw acid on his ex-wife',
    "he's kneeling on the guy's neck in the parking lot and won't get off",
    "my roommate's boyfriend slapped her and now he's blocking the door",
    'the patient grabbed a scalpel off the tray and is holding it toward the doctor',
    "there's a man exposing himself and following women in the park",
    'someone is firing a paintball gun at people walking by, one lady got hit in the eye',
    "he's holding his own kid out the window of the third floor",
    'he knelt on her back and held her down',
]

HELD_OUT_3_CRISIS = [
    "there's a man on the roof of the school fixing the air conditioning",
    "my ex keeps texting me but he lives in another state and hasn't threatened me",
    'my teenage son and his little sister are arguing over the TV remote',
    'she told her therapist she feels hopeless but has no plan and is safe tonight',
    "there's a big crowd outside the club, it's loud but nobody's fighting",
    "the kid is sitting on his dad's chest playing",
    'she grabbed a pen and is holding it toward the nurse to sign',
    "the baby is sitting on her mom's head at the parade",
    "nobody's fighting, they are just loud",
    'he put his own kid in the car seat',
]


# Every list above of calls that must fire (each list's comment says what it holds), and of calls that must not.
MUST_FIRE = [*STILL_A_THREAT, *SPOKEN_DANGER, *EVERYDAY_DANGER, *LIFE_DANGER, *VOICES_DANGER, *DONE_DANGER,
             *SUICIDE_ACTIVE, *PLAIN_DANGER, *HELD_DANGER, *UNNAMED_DANGER,
             *RELAYED_DANGER, *VEILED_DANGER, *TEXTBOOK_DANGER,
             *SPANISH_DANGER, *UPDATED_DANGER, *REPORTED_DANGER,
             *UNSAID_DANGER, *UNSAID_MORE_DANGER, *FRESH_DANGER,
             *HELD_OUT_DANGER, *HELD_OUT_2_DANGER, *HELD_OUT_3_DANGER]
MUST_NOT_FIRE = [*NOT_RED_LINE, *BELIEVED_OR_OWN_BODY, *SPOKEN_CRISIS, *EVERYDAY_CRISIS, *LIFE_CRISIS, *VOICES_CRISIS,
                 *DECLINES_POLICE, *DONE_CRISIS, *SUICIDE_CRISIS, *PLAIN_TWINS, *HELD_CRISIS, *UNNAMED_CRISIS,
                 *RELAYED_CRISIS, *VEILED_CRISIS, *TEXTBOOK_CRISIS,
                 *SPANISH_CRISIS, *UPDATED_CRISIS, *REPORTED_CRISIS,
                 *UNSAID_CRISIS, *UNSAID_MORE_CRISIS, *FRESH_CRISIS,
                 *HELD_OUT_CRISIS, *HELD_OUT_2_CRISIS, *HELD_OUT_3_CRISIS]


@pytest.mark.parametrize("narrative", MUST_FIRE)
def test_a_dangerous_call_fires_a_red_line(narrative: str) -> None:
    # Given a call that must never go to a crisis team alone, When the rules read it, Then a red line fires
    assert RULES.evaluate(narrative).fired, f"{narrative!r} fired nothing"


@pytest.mark.parametrize("narrative", MUST_NOT_FIRE)
def test_a_crisis_call_near_the_same_words_fires_nothing(narrative: str) -> None:
    # Given a call a crisis team can take, When the rules read it, Then no red line fires (nor the safety net)
    result = RULES.evaluate(narrative)
    assert not result.fired, f"{narrative!r} fired {[(h.rule_id, h.evidence) for h in result.red_lines]}"
