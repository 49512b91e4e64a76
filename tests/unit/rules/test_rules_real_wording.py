"""Red lines on wording nobody generated: hand-written calls in CAD shorthand, call-takers' plain English
and callers' own words, on both sides of every rule.

These narratives are written by hand for this file, not drawn from language/lexicons/*.toml (which the
rules read): they test whether the rules hold on how people actually talk. Each list mixes the three
registers. A case that fails here is a gap in a lexicon or a rule, to be fixed there, not here.
"""

from __future__ import annotations

import pytest

from callroute.rules.engine import RuleSet

RULES = RuleSet.load()

WEAPON = [
    # firearms
    "Caller says her neighbor is standing in the yard holding a rifle",
    "RP STS SUBJ HAS A HANDGUN IN HIS WAISTBAND",
    '"He\'s got a gun, he just showed it to me"',
    "Man in the lobby flashing a pistol at people",
    "SUBJ ARMED W/ SHOTGUN, BARRICADED IN GARAGE",
    "my ex is outside with a gun",
    "Caller heard several gunshots behind the apartment building",
    "Someone fired a few rounds into the air in the parking lot",
    "shots fired near the school, unknown direction of travel",
    '"There\'s a guy with a pistol on the bus"',
    "Subject is carrying a long gun down the street",
    "RP ADVS SUBJ POINTED A REVOLVER AT HIM",
    "caller states he saw the butt of a handgun sticking out of his jacket",
    "Male is walking around with an AR-15",
    '"She has her dad\'s hunting rifle and she\'s loading it"',
    "I heard gunfire, like five shots",
    "S1 DISPLAYED A FIREARM DURING ARGUMENT",
    "he keeps a loaded pistol on the table and is waving it around",
    # knives and cutting instruments
    "Caller says her son is in the kitchen holding a butcher knife",
    "SUBJ W/ MACHETE IFO STORE",
    '"He pulled a knife on me"',
    "Woman swinging a box cutter at customers",
    "RP STS SUBJ WAVING A SWITCHBLADE",
    "he has a big kitchen knife and says nobody should come in",
    "subject is holding a razor blade to his own arm and threatening staff",
    '"My brother has a blade and he\'s cutting the couch up"',
    "caller reports man with a sword in the alley",
    # improvised, medical and hand tools, the object after the person
    "Patient grabbed a scalpel from the tray and is threatening the nurse with it",
    "He is threatening his mother with a screwdriver",
    "SUBJ SWINGING A HAMMER AT CARS",
    "she broke a bottle and is jabbing it at people",
    '"He came at me with a broken bottle"',
    "the man is chasing kids with a metal pipe",
    "my roommate is threatening me with scissors",
    "Subject picked up a brick and is threatening to throw it at the clerk",
    "Man swinging a chain at passersby outside the bar",
    "subject lunging at staff with a syringe",
    "guy threatening people with a crowbar",
    "he raised the frying pan like he was going to hit her",
    "Subject sprayed bear spray at the security guard",
    "caller says the driver tried to run him over with his truck",
    "RP STS SUBJ DROVE AT PEDESTRIANS IN HIS CAR",
    "the man is waving a piece of broken glass at people",
    "She is swinging a baseball bat in the street",
    "he has a bat and says he will use it",
    "My husband is swinging an axe at the door",
    "he has a taser and keeps zapping it at people",
    "subject threatening the cashier with a wrench",
    "that man came at the bus driver with a cane raised over his head",
    "a guy just robbed me at gunpoint and is walking down Main Street",
    "CALLER HEARD 4-5 SHOTS, SUBJ FLED ON FOOT",
    "heard a couple of gunshots behind the school",
    "RP STS SEVERAL SHOTS NEAR PARK",
    "she was held at knife-point in the alley",
    "he's strapped and looking for his ex",
    "my brother is packing heat and drunk",
    "she maced the bus driver and is still on the bus",
    "RP STS SUBJ TASED HIS GF",
    "man with a compound bow aiming at kids",
    "Shooting reported near the apartment complex, one person wounded",
    "RP STS GSW TO LEG",
    "there was a shooting at the park a minute ago",
    # a denial the caller contradicts
    "she says she doesn't have a knife but I saw one",
    "he says he doesn't have a gun but I can see it in his waistband",
    "she swears she has no gun but I saw it in her purse",
    "he claims he doesn't have a knife but my daughter saw one in his jacket",
    "he was shot at last night and the guy is still outside",
    # incident-report wording (rules 2.11)
    'A man is going around the bar swinging a pool cue',
    'RP STS SUBJ WAVING A ROLLING PIN AT HIS MOTHER',
    # a weapon suffixed to a call-type code (rules 2.12)
    '114D_Domestic Physical Weapon',
    '127D_Suicide Threat Weapon',
    # call-type codes with a weapon (rules 2.15)
    '125D_Pub Svc Well Ck Urgnt Wpn',
    '102D_Abuse Weapon',
    'WEAPONS',
    '135D_Weapons Incident',
    'PROHIBITED WEAPON KNUCKLES',
    # CAD abbreviations (rules 2.16)
    'MWG IFO LIQUOR STORE',
    'PWG AT BUS STOP, SUBJ WRG RED HAT',
    'SUBJ ARMD W/ KNF',
    'RP STS SUBJ HAS GN IN WAISTBAND',
    'SUBJ THREATENING W/ KNF',
    'VICT SHOT, SUSP GOA IN BLK SEDAN',
    # rules 2.18.1
    'a man is hitting cars with a metal bar and yelling at drivers',
    # media distractors must not hide a real event (rules 2.18.1)
    'I saw a shooting on 5th street just now',
    'I watched a shooting happen outside the bar',
]

VIOLENCE = [
    "Caller says a man is beating a woman in the parking lot right now",
    "RP HEARS NEIGHBOR HITTING HIS GF",
    '"He\'s choking her, please hurry!"',
    "two men fighting outside the bar",
    "My dad is hitting my mom",
    "SUBJ PUNCHED RP IN FACE, STILL ON SCENE",
    "a group is jumping a guy at the bus stop",
    "he keeps slamming her head into the wall",
    "Caller reports someone stomping on a man who is on the ground",
    '"He said he\'s going to kill me when he gets inside"',
    "subject threatening to stab his roommate",
    "my neighbor says he will shoot my dog and me",
    "SUBJ STS WILL KILL EVERYONE IN THE BLDG",
    "he told her he'd murder her if she called anyone",
    "man attacking staff at the shelter",
    "Son is assaulting his grandmother",
    "she is scratching and biting the caregiver",
    "the boyfriend is dragging her by the hair",
    "my husband threw a plate at me and now he's locked himself in the bathroom",
    "kids are throwing rocks at people from the overpass",
    "he is hitting my cousin right now",
    "RP STS SUBJ PUNCHED HIS LANDLORD",
    '"She keeps kicking my grandma, please come"',
    "the tenant is choking his roommate in the hallway",
    "a woman is being punched repeatedly by a man in the parking garage",
    "he is getting beaten up outside the bar",
    "my roommate threw boiling water on me",
    "she splashed bleach in his face",
    "my ex texted that he's coming over to finish me",
    "\"He said he's gonna finish her off\"",
    "caller's husband put a pillow over her face",
    "a man on the train is punching passengers",
    "she's drowning her baby in the bathtub",
    "RP STS SUBJ HOLDING VICT UNDER WATER IN POOL",
    "A man was assaulted by his roommate during an argument over rent",
    "Woman reports she was punched in the face by a stranger at the bus stop",
    "Victim was struck with a bottle outside the bar; suspect still in the area",
    "Teen was jumped by a group of people after school",
    "Domestic violence: husband slapped wife and threw her phone",
    "my neighbor's boyfriend just slammed her head into the car door and drove off",
    "S1 HIT GF W/ CLOSED FIST",
    "my brother is hitting the bottle and hitting his wife",
    "he's fighting with the clerk and throwing things",
    "my ex is outside banging on the door saying he'll break my neck when he gets in",
    "he told her he's gonna snap her neck if she calls anyone",
    "SUBJ THREATENING TO CAVE RP'S HEAD IN",
    # rules 2.9: each reached police only through the model (3.6-6.0%)
    "caller's boyfriend has her pinned down and she can't breathe",
    "he's got his hands around her neck in the hallway",
    "the customer grabbed the cashier by the throat",
    "a woman is being dragged into a van",
    "my ex just ran me off the road and he's following me",
    "he said if I call the cops he'll burn the house down with us inside",
    "she'll kill me if she finds me here",
    "my sons are fighting with each other about the game and one has a bloody nose",
    "they're fighting over a gun in the kitchen",
    "SUSP GRABBED VICT BY THE HAIR AND DRAGGED HER",
    # incident-report wording (rules 2.11): verbs the lexicon lacks, the victim after them, said in the past
    'Caller advises she was sexually assaulted and the suspect is still nearby',
    'Subject struck the clerk in the face and took cash from the register',
    "Bar patron broke a glass over another customer's head",
    'Woman reports she was raped by an acquaintance last night and he keeps calling her',
    'Caller reports a man exposed himself and then grabbed a girl at the bus stop',
    'Suspect clocked the bouncer and is still in the bar',
    'Man headbutted a nurse in the emergency department',
    'Caller reports her boyfriend threw her down the stairs',
    'The suspect rammed a police cruiser and fled',
    'A father is shaking his baby hard and the baby is screaming',
    'Mother reports her child was molested by a neighbor who is outside now',
    'Male kneed a security guard in the groin and is resisting',
    'Man bashed his roommate with a skillet',
    'Caller says someone cracked her brother over the head with a bottle',
    "Man ran over his wife's foot on purpose and is now chasing her",
    "Caller's ex is threatening to come over and shoot up the house",
    'Male subject choked out a female at the bus stop',
    'A man was pistol whipped behind the store',
    'Suspect grabbed a woman by the hair and dragged her across the lot',
    'he attacked the bar owner with his fists',
    # the offence as agencies code it, in call-type strings and CAD headers (rules 2.12)
    'ASLT IP/JO, 2 SUBJS IFO BAR',
    '41/25 - CRIMINAL ASLT -IN PROG',
    '114D_Family Physical',
    '*Dom Disturb/Viol_Just Occurred',
    'SIMPLE BATTERY DOMESTIC, SUSP LEFT ON FOOT',
    'Cruelty to juveniles reported at the apartment',
    'robbery just happened at the gas station, suspect ran north',
    'caller reports a purse snatching outside the pharmacy',
    'AGG ASLT, VICT BLEEDING FROM HEAD',
    # texting style (rules 2.13)
    'a drunk guy is punching random people at the bus stop',
    '3 guys are kicking 1 guy on the ground',
    "theres 2 guys jumping 1 guy behind the school, they're stomping him",
    # rules 2.14
    "my neighbor said he's coming back with his boys to shoot the place up",
    'a man is exposing himself to kids and grabbing at them',
    "my husband is holding me down and won't let me up",
    'my brother just tried to strangle me',
    'they are throwing bottles at the police',
    'she cut her boyfriend with a broken bottle',
    # rules 2.15
    'TERRORISTIC THREAT - FEAR IMMINENT SBI',
    'CHILD (OFFENSES AGAINST)',
    # CAD without articles (rules 2.16)
    'SUBJ PUSHED ELDERLY WOMAN TO GROUND',
    # a delusion that reaches a person (rules 2.17.1)
    'he said he would kill the demons and then his wife',
    # rules 2.18
    "she put rat poison in her husband's food",
    'a woman is being dragged down the street by her hair',
]

DANGER = [
    "Someone is trying to break in through my back window right now",
    "RP STS INTRUDER INSIDE HOUSE, RP HIDING IN CLOSET",
    '"There\'s somebody in my house, I can hear him downstairs"',
    "man holding his family hostage inside the apartment",
    "Subject barricaded in the bedroom, refusing to come out",
    "the guy who robbed the store is still here in the back",
    "He set the curtains on fire and won't leave the house",
    "caller says someone is kicking in her front door",
    "robbery in progress at the pharmacy",
    "they are dragging a girl into a van",
    "SUBJ POURING GASOLINE ON THE PORCH",
    "somebody poured gasoline on the porch and is flicking a lighter",
    "he locked me in the bedroom and took my phone",
    "\"He won't let me leave, he took my keys\"",
    "there's someone in my closet, I can hear breathing",
    "a man forced his way into my apartment",
    "SUBJ REFUSING TO LET RP LEAVE APT",
    "RP STS EX IS TRYING TO BREAK DOWN THE DOOR",
    "I hear someone downstairs and I'm home alone, they broke the window",
    "\"Somebody just smashed our sliding door, I'm hiding upstairs\"",
    # incident-report wording (rules 2.11)
    'Domestic disturbance, female screaming for help, sounds of things breaking',
    'Neighbor reports hearing a woman scream help me and then silence',
    'Woman says her husband locked her and the kids in the basement',
    # texting style (rules 2.13)
    'i just saw a man drag a woman into his car by her hair',
    "someone's trying to get in through my back window right now",
    'someone is trying to get into our house right now',
    "I'm locked in the bathroom and he's trying to break the door down",
    # rules 2.14
    "he's got my kids in the car and says he's driving into the lake",
    "the burglar is still in the house, I'm hiding upstairs",
    # rules 2.15
    '124E_Officer Down',
    '*Officer Needs Assistance',
    '15 - ASSIST OFFICER',
    'ARSON -SINGLE RESIDENCE INHABITED',
    '*Explosion_Just Occurred',
    '*Abduction_Just Occurred',
    '100E_Caller in Imminent Danger',
    'heard a loud explosion next door and someone is screaming',
    # rules 2.17
    'a guy followed me home and is trying the door handles',
    'he is violating his restraining order and banging on the windows',
    "he's holding a lit match over a puddle of gasoline",
    # rules 2.18
    "the guy has a screwdriver and is jamming it into the door lock of my apartment while I'm inside",
    'someone is picking the lock on my back door',
]

SUICIDE = [
    "Caller's brother took a whole bottle of pills about ten minutes ago",
    "RP STS SUBJ STANDING ON BRIDGE RAILING",
    '"She cut her wrists, there\'s blood everywhere"',
    "man on the overpass says he is going to jump",
    "My son has a gun to his head",
    "subject on the roof of the parking garage threatening to jump",
    "Caller says her husband is in the garage with the car running and the door shut",
    "he is trying to hang himself in the closet",
    "she drank bleach and is saying goodbye",
    "person lying on the train tracks refusing to move",
    "SUBJ HOLDING GLASS SHARD TO OWN THROAT",
    "she has a razor to her wrist and is crying",
    "he's on the roof saying he'll jump",
    "Caller says her son texted that he is going to jump off the parking garage",
    "my son is cutting himself with a razor right now and won't stop",
    # a call-type code (rules 2.12)
    '*Bridge Jumper_Law',
    # just done, and overdoses by the drug's name (rules 2.13)
    "he hanged himself in the garage, I just found him, he's still warm",
    'I found my son hanging in his closet',
    'my son took a bunch of my oxy and is barely breathing',
    'he swallowed a handful of xanax and is passing out',
    'she shot herself in the chest, she is still breathing',
    # rules 2.16
    'SUBJ OD INTENTIONAL, TOOK 30 PILLS',
    'she took about 40 of her sleeping pills',
    # plain English (rules 2.17)
    "my friend just texted me a goodbye and a photo of pills, she's not answering",
    "he's sitting in his car with a hose running from the exhaust",
    'my daughter is on the balcony ledge of the 9th floor',
    "she has a razor and is cutting her arms right now, there's a lot of blood",
    "he's on the golden gate bridge, outside the railing",
    'my son drank a bottle of antifreeze',
    "the man said he's going to blow his brains out",
]

OFFICER = [
    "Caller wants the police, not a counselor",
    "RP REQ PD ONLY",
    '"Send a cop, I don\'t want a social worker"',
    "the manager is demanding an officer come and remove him",
    "caller will only talk to a police officer",
    "He keeps asking for the sheriff",
    "Caller insists on law enforcement",
    "I want a deputy out here",
    "she says she wants to press charges and wants a cop to take a report",
    "caller requesting officers to respond",
    # rules 2.14
    'I want him arrested',
    'she wants to press charges against the guy who took her phone',
    # rules 2.16
    'SUBJ DEMANDING TO SPEAK TO POLICE',
    # rules 2.17
    'the caller only wants to speak with law enforcement',
]

NOT_RED_LINE = [
    # something thrown, but not at a person; and a throw denied
    "he threw his phone at the wall and then sat down crying",
    "my son didn't throw anything at her, he just slammed the door",
    # welfare checks and confusion (CAD, plain, caller)
    "RP REQ WELFARE CHECK ON ELDERLY MOTHER, NOT ANSWERING PHONE",
    "Caller is worried about her uncle who hasn't left his apartment in a week",
    '"My grandma is confused and keeps asking for her husband who passed"',
    "elderly man sitting at the bus stop for hours, seems lost",
    "Older woman wandering in the parking lot in her nightgown",
    "caller hasn't heard from his sister in three days and is worried",
    "man sleeping in a doorway, breathing, caller just wants someone to check",
    "a woman walking with a cane looks disoriented near the library",
    "Elderly man using a walker is lost and cannot find his home",
    '"He\'s not hurting anybody, he just seems lost"',
    # intoxication
    "Drunk man stumbling outside the liquor store, not bothering anyone",
    "SUBJ PASSED OUT ON BENCH, ETOH, BREATHING",
    '"There\'s a guy who\'s really drunk and holding a bottle of beer, he\'s singing"',
    "intoxicated woman sitting on the curb holding a wine bottle and crying",
    "man drinking from a bottle in the park, calm",
    "person slurring words at the bus stop, no weapons",
    # mental health, negations
    "Caller says her son is off his meds and hearing voices, no weapons in the house",
    "RP STS BROTHER PARANOID, NEG WPNS, NO VIOLENCE",
    '"He\'s talking to himself but he doesn\'t have a weapon or anything"',
    "subject believes the neighbors are spying on him, calm, denies weapons",
    "woman yelling at nobody on the corner, no threats made",
    "he has schizophrenia and stopped taking his medication, he's not violent",
    "Man pacing and talking to himself, caller did not see any weapons",
    "Caller says there are no guns in the home",
    "she doesn't have a knife or anything, she's just scared",
    '"I don\'t think he has anything on him"',
    "UNK WPNS, SUBJ YELLING AT TRAFFIC",
    "unknown if armed, subject is sitting in his car crying",
    "no weapons seen, subject calm and cooperative",
    "Caller says he is not armed and just wants to talk to someone",
    # suicidal ideation without an attempt, plan or means
    "caller's friend texted that she feels hopeless, no plan, no means",
    "Subject says he's been having suicidal thoughts but has no plan",
    '"My daughter says she wants to die but she\'s at home with me and safe"',
    "RP STS SON DEPRESSED, DENIES SI",
    "woman crying at the bridge viewpoint, says she is ok, just sad",
    # everyday objects and distractors
    "Caller works at the gun shop, a man is sleeping in the doorway",
    "Kids playing with a water pistol in the park, caller wants them to leave",
    "Man cutting his hedge with garden shears, neighbor says he is yelling at himself",
    "a woman is sweeping her porch and shouting at passing cars",
    "homeless man with a shopping cart full of bottles is blocking the entrance",
    "NEEDLES ON GROUND IN ALLEY BEHIND CHURCH, RP REQ PICKUP",
    "used syringes left in the park bathroom",
    "Guy with a skateboard doing tricks in the plaza, caller wants him gone",
    "man with a guitar playing loud music outside the store",
    "caller says the man has a dog on a leash and is sleeping in the tent",
    "Subject is holding a cup of coffee and talking to himself",
    "the person is carrying a backpack and a sleeping bag",
    "Woman at the gas station holding a lighter and a pack of cigarettes, asking for change",
    "Man fixing his bike with a wrench on the sidewalk, caller thinks he stole it",
    "caller was hit by a car last week and wants to talk about it",
    "the car is parked across the driveway and the owner is drunk",
    "Neighbor playing rock music all night",
    "Caller's pipe burst and the tenant upstairs is upset and crying",
    "the knife block on the counter is untouched, he is sitting on the couch",
    "photo shoot in the park with loud people, caller annoyed",
    "Man shooting hoops in the court at midnight, noise complaint",
    "Shooting pool at the bar, an intoxicated man won't leave",
    "man got his flu shot and is now confused and wandering",
    # arguments without violence
    "RP STS NEIGHBORS ARGUING LOUDLY, VERBAL ONLY",
    "Couple yelling at each other in the parking lot, no one is hitting anyone",
    '"We had an argument and I want him to leave, he hasn\'t touched me"',
    "roommates arguing about rent, verbal only",
    "caller says her son is upset and punching his pillow",
    "man screaming about the government in the square, not threatening anyone",
    "teenager refusing to go to school, yelling at his mom",
    "customer yelling at the cashier about a refund",
    "the man says he will call his lawyer",
    "he said he would kill for a cup of coffee, joking, very calm",
    # trespass, exposure, narcotics, noise
    "Subject sleeping in the stairwell, refusing to leave",
    "person urinating behind the dumpster",
    "SUBJ SMOKING FENTANYL AT BUS STOP, NO THREATS",
    "loud party next door, caller can't sleep",
    "man looking into car windows in the lot, no weapon seen",
    "woman refusing to leave the library at closing time",
    "caller wants a homeless encampment checked on, people are cold",
    # callers talking about police without requesting them
    "Caller does not want police involved, just wants help for her son",
    '"Please don\'t send the cops, he gets scared of them"',
    "the man says the police have been following him for years",
    "caller says police were here yesterday and left",
    "she is afraid of officers because of past trauma",
    # medical needs (flag, not red line)
    "Man unresponsive on the sidewalk, possible overdose",
    "woman having trouble breathing outside the pharmacy",
    "Diabetic man is confused and sweating in the store",
    "my cousin is having a panic attack and can't breathe",
    "RP STS GRANDMOTHER HAVING HEART ATTACK SYMPTOMS",
    '"My brother-in-law is sad and I\'m scared for him"',
    "the roommate has been drinking all week and cries a lot",
    "My son punched a hole in the wall and is crying in his room",
    "RP STS SUBJ KICKED A HOLE IN THE DOOR, NOW CALM",
    "he had two shots of vodka and is sleeping it off",
    "she got her flu shots today and feels dizzy",
    "he threw a blanket on him to keep him warm",
    "my son keeps getting hit by a car in his video game",
    "he poured water on his plants and is talking to them",
    "she is getting help from her therapist",
    "he is strapped for cash and stressed about rent",
    "the baby is strapped into the car seat and crying",
    "she says she will jump rope with the kids",
    "my dad said he will finish the fence tomorrow",
    "he is aiming for a promotion and not sleeping",
    "she is hiding in her closet crying, no weapons",
    "he is drowning in debt and sad",
    "he is drowning his sorrows at the bar again",
    "he is burning himself out at work and can't sleep",
    "she broke down crying in the kitchen",
    "I hear someone crying downstairs, it's my mom, she has dementia",
    "she put a blanket over her legs and fell asleep on the bench",
    "she was hit by a car and is bleeding",
    "he was attacked by a dog and is bleeding from the hand",
    "he got beat at chess and is upset",
    "he is shooting up in the bathroom",
    "he went to the shooting range yesterday and is calm now",
    "he is fighting cancer and depressed",
    "she is fighting back tears at the bus stop",
    "he is fighting for his life after an overdose",
    "she is pushing baby in a stroller and crying",
    "my son was kicked out of the house and is sleeping in his car",
    "he was beaten up years ago and now has PTSD flashbacks",
    "my mom is hearing someone downstairs but nobody is there, she has schizophrenia",
    "he said he would jump at the chance to see a counselor",
    "my son keeps banging his head on the wall when he is upset, he is autistic",
    "he got shot in the war and has nightmares, he is crying in the garage",
    "he was shot at years ago and now he panics at loud noises, he's hiding under the bed",
    "she says she doesn't have a knife and I didn't see one",
    "she's fighting with her mom over the phone, crying and screaming",
    "she's fighting with her boyfriend on the phone and crying, she says she wants to die but has no plan",
    "my husband hits the bottle every weekend and then sleeps all day",
    "my uncle is hitting the bottle again and won't leave the couch",
    "a man is pushing the kids on the swings and talking loudly to himself",
    "she is pushing her on the swing at the park and talking to herself, she seems confused",
    "he's going to break his neck on that skateboard, he hasn't slept in three days and is talking fast",
    "she said she cut her hair herself and now she won't stop crying",
    "he said if I call the police he'll leave, he's just confused and sad",
    "she'll cut her hair tomorrow, she's manic and talking fast",
    "he ran off the road into a ditch and is confused, no injuries",
    "my daughter has her hands on her neck and says it hurts to swallow",
    "he is hugging his knees with his arms around them and rocking",
    "my mom grabbed my son by the hand and walked him to the park",
    "he keeps pinning notes to the door and talking to himself",
    "my daughter is fighting with me about her curfew and slammed her door",
    "my son is fighting with his dad about college and won't come out of his room",
    # incident-report wording near the 2.11 patterns (struck, grabbed, locked, thrown, over the head)
    'Caller reports her son hit a parked car and is very upset and crying',
    'Man struck by a car, conscious and breathing',
    'Caller says lightning struck a tree and her husband is panicking',
    'Woman broke a glass in the kitchen and cut her hand, she is crying',
    'Elderly man fell and hit his head, he is confused',
    'Caller reports a man is wandering in traffic talking about the bomb in his head',
    'Caller says her husband struck a deal with a loan shark and she is scared about money',
    'A man knocked over a trash can and is crying on the curb',
    'she was sexually assaulted as a teenager and is having flashbacks tonight',
    'he was molested by his uncle growing up and is suicidal but has no plan',
    'my husband kicked his son out of the house and the boy is sleeping in his car',
    'a guy keeps hitting on a woman at the bar and she wants him to leave',
    'the cashier was struck by a falling shelf and is dizzy',
    'he was mugged last week and is too anxious to leave the apartment',
    'I pushed him down the hall in his wheelchair and he started crying',
    'my dad pushed his mother into the house in her wheelchair, she is confused',
    'she grabbed the baby from the crib and is rocking him, she is exhausted and crying',
    'the rash is breaking out over her face and she is panicking',
    'she locked herself in the bathroom and is crying',
    'he locked his keys in the car and is yelling at the sky',
    'my grandpa struck up a conversation with a stranger and got lost',
    "he hit the jackpot and is manic, hasn't slept in days",
    'she smacked her lips and kept talking to herself',
    "she was shaking the baby's rattle and singing to herself",
    "he was clocked doing ninety and now he's shaking in the car",
    'a kid threw the ball over the fence and is crying',
    'the man dragged his suitcase across the lobby, talking to himself',
    'my mom has dementia and keeps yelling for help finding her purse',
    # offence words that are not the offence now (rules 2.12)
    'DIST - DV - NO ASLT',
    'HX OF ASSAULT ON STAFF, CURRENTLY CALM AND COOPERATIVE',
    'she is a sexual assault survivor and is having a panic attack',
    "he watches murder mysteries all night and won't sleep",
    'his brother was murdered years ago and he is drinking and crying',
    'verbal assault only, neighbor yelled at her',
    "caller's car battery died and she is stranded and crying",
    '114D_Domestic Verbal',
    "he is afraid of being robbed and won't leave the house",
    'she has a warrant for assault and is sleeping on the bench',
    'he is terrified of a home invasion and keeps checking the locks',
    'THREATS - DV - NO ASSAULT',
    # texting style near the 2.13 patterns
    "he's trying to get into his apartment, he's drunk and lost his keys",
    'my son is trying to get in the house but he lost his keys and is crying',
    'I found him hanging out with his friends at the park and he seems high',
    "she found her dad hanging pictures at 3am, he hasn't slept in days",
    'my daughter took her meds this morning but she is still hearing voices',
    'she is trying to get into the shelter but it is full, she is crying',
    'her ex hanged himself two years ago and she is struggling tonight',
    "my bf is super drunk and crying on the bathroom floor, he's not hurting anyone",
    "he's been saying he wants to die but he doesn't have a plan and there are no guns in the house",
    "my teenager said she feels like cutting again but she hasn't, she's in her room",
    "my husband has ptsd and is having a flashback, he's hiding in the closet",
    "my dad with dementia thinks I'm a stranger and won't let me in his room",
    # near the 2.14 patterns
    "he keeps hitting himself in the head and crying, he's autistic",
    'she cut him off in traffic and now he is following her crying',
    'my neighbor is coming over to cut the grass and my dad is confused',
    'the nurse held him down to give him a shot and now he is calm',
    'he tried to kill himself last year and is depressed tonight',
    "my mom won't let me go to the party and I'm so upset",
    'she keeps slapping herself when she gets upset',
    "he cut his friend's hair badly and they are arguing, no one hurt",
    # near the 2.15 patterns
    "he's looking for a weapon to protect himself from the voices, he has not found one",
    "my son is obsessed with explosions in movies and won't sleep",
    'she has a history of arson but is calm tonight',
    'he had an explosion of anger and is now crying in his room',
    'he says he was abducted by aliens and is scared',
    "my brother keeps saying he was raped by aliens and won't eat",
    'the officer assisted her to the car earlier and now she is calm at home',
    '119C_Threat Unknown Wpn',
    'she is in no imminent danger, just lonely and wants to talk',
    "my brother talks about his weapons collection all day, they are locked up at my dad's",
    '*Suicidal Person_In Progress',
    '114D_Domestic Verbal',
    '*Indecency/Lewdness_In Progres',
    # near the 2.16 patterns
    'RP SHOT A VIDEO OF SUBJ TALKING TO HIMSELF',
    'SUBJ SHOT UP IN BATHROOM, BREATHING',
    'he took 2 pills for his headache and is confused',
    'VICT SHOT YEARS AGO, PTSD, CRYING',
    'my mom asked to talk to a counselor, not the police, she is calm',
    'the kid shot a look at his teacher and ran off crying',
    # near the 2.17 patterns
    'my son is trying the door handles of his own car, he lost his keys and is drunk',
    "he texted me goodbye before his flight and now I'm panicking, he has anxiety",
    'he is sitting outside the railing of the porch talking to the birds',
    'she has a restraining order against her ex and is anxious tonight, he is not here',
    'he is cutting his nails and talking to himself',
    'my grandma drank a glass of water and is still confused',
    'RP STS NEIGHBOR SUICIDAL, TEXTED GOODBYE, NO PLAN, NO MEANS',
    # threats at what is not a person (rules 2.17.1)
    'my son is off his meds and yelling that he will kill the demons in his head',
    'he keeps saying the TV is going to shoot lasers at him',
    'she says she is going to kill time at the library until the shelter opens',
    # near the 2.18 patterns
    'she is hearing gunshots in her head but there is no noise outside',
    'I put her pills in her food so she takes them, she has dementia and is agitated',
    "my son is being dragged to therapy and he's crying about it",
    'he got dragged out of bed for school and is sulking',
    'she jammed her finger in the door and is crying',
    'he forced the window shut and is pacing',
    'RP STS SON SCREAMING AND CRYING, HX AUTISM, NO ONE HURT',
    'my daughter is cutting up her clothes and crying but not hurting herself',
    'the homeless man is swinging his arms and talking to himself, nobody near him',
    "she said she wanted to punch her boss but she's just venting",
    # media, not a red line (rules 2.18.1)
    "she watched a stabbing on the news and now she's having a panic attack",
    "my son saw a shooting on tv and can't stop crying",
]

CASES = ([(n, "weapon.present") for n in WEAPON] + [(n, "violence.in_progress") for n in VIOLENCE]
         + [(n, "danger.imminent") for n in DANGER] + [(n, "suicide.active") for n in SUICIDE]
         + [(n, "officer.requested") for n in OFFICER])


@pytest.mark.parametrize(("narrative", "rule_id"), CASES)
def test_red_line_fires_on_wording_of_every_register(narrative: str, rule_id: str) -> None:
    # Given a call that must never go to a crisis team alone, When the rules read it, Then a red line fires
    fired = [h.rule_id for h in RULES.evaluate(narrative).red_lines]
    assert rule_id in fired, f"{rule_id} did not fire on {narrative!r} (fired: {fired})"


@pytest.mark.parametrize("narrative", NOT_RED_LINE)
def test_no_red_line_on_crisis_calls_negations_and_everyday_objects(narrative: str) -> None:
    # Given a call a crisis team can take, When the rules read it, Then no red line fires
    result = RULES.evaluate(narrative)
    assert not result.fired, f"{narrative!r} fired {[(h.rule_id, h.evidence) for h in result.red_lines]}"


def test_the_hand_written_set_is_large_and_balanced() -> None:
    # Together with the CAD cases of test_rules.py, at least 300 hand-written narratives, every rule
    # with at least ten that must fire, and at least as many crisis calls that must not.
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("cad_cases", Path(__file__).with_name("test_rules.py"))
    cad_cases = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cad_cases)
    MUST_FIRE, MUST_NOT_FIRE = cad_cases.MUST_FIRE, cad_cases.MUST_NOT_FIRE
    total = len(CASES) + len(NOT_RED_LINE) + len(MUST_FIRE) + len(MUST_NOT_FIRE)
    assert total >= 300, f"only {total} hand-written narratives"
    assert min(len(WEAPON), len(VIOLENCE), len(DANGER), len(SUICIDE), len(OFFICER)) >= 10
    assert len(NOT_RED_LINE) >= len(CASES) * 0.75, (len(NOT_RED_LINE), len(CASES))


@pytest.mark.parametrize("narrative", [
    "he said if I call the cops he'll burn the house down with us inside",
    "if we call the police she'll run away again, she's off her meds",
    "she says if you send an officer he'll panic, he's autistic and nonverbal",
])
def test_a_condition_is_not_a_request_for_police(narrative: str) -> None:
    # Given a caller who mentions calling police only as a condition, Then officer.requested does not fire
    fired = [h.rule_id for h in RULES.evaluate(narrative).red_lines]
    assert "officer.requested" not in fired, f"{narrative!r} fired {fired}"


def test_evidence_does_not_end_on_the_and_before_a_clause_break() -> None:
    # Given violence reported in a clause that "and now" closes
    hits = RULES.evaluate("my stepdad shoved my mom down the stairs and now he's standing over her").red_lines
    # Then the evidence a dispatcher reads is the clause, not the clause plus a dangling "and"
    assert [h.evidence for h in hits] == ["my stepdad shoved my mom down the stairs"], hits
