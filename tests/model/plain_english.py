"""Plain-English calls written by hand for judging models and rules on wording nobody generated.

Not drawn from language/lexicons/*.toml. DANGEROUS calls need police (a weapon, violence, a threat,
imminent danger, often in words the lexicons lack); CRISIS calls are what a crisis team exists for.
Used by tests/model/test_plain_english.py and tests/benchmarks/real_language.py.
"""

DANGEROUS = [
    "My neighbor is out on his lawn firing off rounds from a pistol",
    "there's a man in the lobby waving a kitchen knife around and screaming at the residents",
    "a guy just smashed a beer bottle and is threatening people with the jagged end",
    "my husband is strangling me, please come now",
    "somebody is breaking into my apartment, I can hear them coming through the window",
    "a woman is hitting an elderly man with her cane at the bus stop",
    "he put a gun to my head and said he'd kill me",
    "two guys are beating someone up outside the club and he's not moving",
    "my son grabbed the hatchet from the shed and says he'll kill anyone who comes in",
    "a patient pulled out a pocketknife and is holding the nurse against the wall",
    "someone keeps shooting in the alley, I heard like six bangs",
    "my ex broke down the door and is attacking my boyfriend",
    "there's a man with a crossbow on the roof of the parking garage",
    "he doused the living room in lighter fluid and has a lighter in his hand",
    "a guy in a hoodie is robbing the corner store right now, he's still inside",
    "my roommate is chasing me around the apartment with a screwdriver",
    "the driver tried to run down a crowd of people with his van",
    "she is stabbing her brother, there's blood everywhere",
    "a man is holding his kids in the car and says nobody leaves alive",
    "he's swinging a golf club at cars and people in the parking lot",
]

CRISIS = [
    "My elderly mother keeps wandering out of the house at night and doesn't know where she is",
    "there's a young woman crying on the curb, she says she has nowhere to sleep tonight",
    "my brother has schizophrenia and hasn't eaten in days, he's calm but won't leave his room",
    "a man is sitting in the rain outside the library talking to himself, he seems harmless",
    "my friend sent me a text that she feels hopeless and is alone in her apartment",
    "a guy is passed out on the bench and smells like alcohol, he's breathing fine",
    "my teenage son is having a panic attack and can't stop shaking",
    "an older man in a wheelchair is stuck at the corner and looks confused",
    "a woman is yelling at the pigeons in the park but isn't bothering anyone",
    "my dad has dementia and thinks it's 1975, he's scared but gentle",
    "there's a homeless man sleeping in our doorway and customers can't get in",
    "my daughter is off her medication and believes the TV is sending her messages, she is not violent",
    "a man is walking in circles in the parking lot mumbling, no one feels threatened",
    "my neighbor hasn't picked up her mail in a week and I'm worried about her",
    "a girl at the bus station says she ran away from home and is hungry",
    "an intoxicated woman is singing loudly outside the bar and can barely stand",
    "my uncle is grieving his wife and says he doesn't see the point anymore, but he has no plan",
    "a man is shouting about the end of the world on the corner, he keeps his distance from people",
    "my sister is hearing voices and hiding in the bathroom, she is frightened",
    "someone is sleeping in the bus shelter in freezing weather and seems disoriented",
]
