"""CrisisDetector: decides, for every message, whether it signals an overdose
happening now, a risk of suicide or self-harm, or neither.

It runs after the intent classifiers, on every channel and in every flow, and
where they disagree it decides:
  * a crisis sets the intent `crisis_overdose` or `crisis_suicidal` (the crisis
    rules reply with 911 / 988 first; the console flags the turn);
  * no crisis turns a crisis intent the classifier guessed into its best
    other intent (or `nlu_fallback` when that one is unsure);
  * an overdose or a death in the past ("my mom overdosed years ago") is not an
    emergency: the intent `overdose_past` gets a caring reply instead.

How it reads a message (measured in components/README.md):
  1. The text is normalised (case, accents, apostrophes, text-speak) and
     idioms ("dying to", "killing me", "dead tired") are blanked out.
  2. It is cut into sentences and clauses, so a crisis buried in a long
     question, or after one, is read on its own.
  3. Patterns catch the unambiguous wordings (English and Spanish).
  4. A linear classifier (character n-grams and words, trained on
     data/nlu/crisis.yml, every other intent's examples and data/crisis/)
     scores each clause; it decides alone when confident, and leans towards
     the crisis when unsure only if the clause has a danger cue ("die",
     "breathing", "pills", "morir"...), so "ok" or "i think so" never is one.
When a crisis message also asks a question, the classifier's best non-crisis
intent is kept under `crisis.question_intent`; the action
`action_answer_after_crisis` answers it after the crisis reply.
"""
from __future__ import annotations

import hashlib
import logging
import math
import re
import unicodedata
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Pattern, Text, Tuple

import numpy as np
import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.language import SPANISH, language_of, mark_language

logger = logging.getLogger(__name__)

SUICIDAL = "crisis_suicidal"
OVERDOSE = "crisis_overdose"
PAST = "overdose_past"
FALLBACK = "nlu_fallback"
CRISIS_INTENTS = (SUICIDAL, OVERDOSE)
KIND_OF_INTENT = {SUICIDAL: "suicidal", OVERDOSE: "overdose"}
INTENT_OF_KIND = {"suicidal": SUICIDAL, "overdose": OVERDOSE}
# The output field with the detector's decision (read by actions and tests).
OUTPUT = "crisis"
# Intents that are not a question worth answering after a crisis reply.
NOT_A_QUESTION = {
    SUICIDAL, OVERDOSE, PAST, FALLBACK, "greet", "goodbye", "thank", "affirm", "deny", "inform",
    "stop", "out_of_scope", "bot_challenge", "correct_details", "tell_me_more",
}
# What the saved classifier may contain besides scikit-learn's own types (skops refuses anything else).
TRUSTED_TYPES = ["scipy.sparse._csr.csr_matrix"]
DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "crisis"

# --- 1. normalising ----------------------------------------------------------
_TEXT_SPEAK = {
    "u": "you", "ur": "your", "r": "are", "pls": "please", "plz": "please", "rn": "right now",
    "wanna": "want to", "gonna": "going to", "gotta": "got to", "cuz": "because", "bc": "because",
    "bf": "boyfriend", "gf": "girlfriend", "ppl": "people", "tho": "though", "thru": "through",
    "b4": "before", "2nite": "tonight", "tonite": "tonight", "2day": "today", "ima": "im going to",
    "imma": "im going to", "n": "and", "bcuz": "because", "ded": "dead",
    "wat": "what", "wut": "what", "msg": "message", "msgs": "messages", "prob": "probably",
    "brethe": "breathe", "breth": "breathe", "breate": "breathe", "tirrd": "tired", "tink": "think",
    "deepr": "deeper", "mor": "more", "thot": "thought", "cuting": "cutting", "kosas": "cosas",
    # dropped g's: "turnin blue", "not breathin"
    **{word[:-1]: word for word in (
        "turning", "breathing", "moving", "responding", "waking", "dying", "choking", "gasping", "snoring",
        "fading", "going", "living", "trying", "thinking", "killing", "cutting", "ending", "jumping",
        "hurting", "bleeding", "shaking", "sleeping", "nodding", "overdosing", "staying", "relapsing")},
    "sonn": "son", "flor": "floor", "moveing": "moving", "usd": "used", "agin": "again", "pased": "passed",
    "ansering": "answering", "nobdy": "nobody", "wud": "would", "dun": "done", "razr": "razor", "rigt": "right",
    "stoping": "stopping", "frend": "friend", "thnk": "think", "voi": "voy", "oy": "hoy",
    "tmrw": "tomorrow", "tmr": "tomorrow", "kno": "know", "dnt": "dont", "cnt": "cant", "wnt": "want",
    # Spanish
    "q": "que", "k": "que", "xq": "porque", "pq": "porque", "x": "por", "tb": "tambien",
    "ayudaa": "ayuda", "nose": "no se", "d": "de", "reaciona": "reacciona", "reacsiona": "reacciona",
}
_WORD_RE = re.compile(r"[a-z0-9]+")


def normalise(text: Text) -> Text:
    """Lowercase ASCII words: accents, apostrophes and text-speak undone."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"['\u2019\u2018`´]", "", text)  # "won't" -> "wont", "i'm" -> "im"
    text = re.sub(r"(.)\1{2,}", r"\1\1", text)  # "pleeeease" -> "pleease"
    text = re.sub(r"\b(\w+)\b", lambda m: _TEXT_SPEAK.get(m.group(1), m.group(1)), text)
    return text


# Idioms and everyday senses of crisis words, blanked out before anything else
# reads the text ("dying to see it", "my feet are killing me", "a die-cast car").
IDIOMS = [
    # negated ideation: "i'm not thinking about hurting myself", "no estoy pensando en hacerme dano"
    r"\b(?:im |i am )?not (?:thinking (?:about|of)|going to|planning (?:to|on)|gonna) (?:hurting|killing|harming|hurt|kill|harm|ending) (?:myself|my life)\b"
    r"|\b(?:im|i am) not suicidal\b|\bno (?:estoy pensando en|voy a|pienso|quiero) (?:hacerme dano|matarme|lastimarme|suicidarme|hacerme algo)\b|\bno soy suicida\b",
    r"\b(?:morir(?:me)?|muriendo|muero) de (?:viej[oa]|aburrimiento|hambre|sed|frio|calor|sueno|verguenza|ganas|la risa)\b",
    r"\b(?:nickname|name) is blue\b|\b(?:named|called|call (?:him|her)) blue\b",
    r"\bdying (?:to|for|of (?:laughter|embarrassment|boredom|curiosity|thirst|hunger|the heat|cold))\b",
    r"\b(?:dying|died|dead|die) (?:laughing|of laughter)\b",
    r"\b(?:is|are|its|it is|thats|that is|was|were|this|these|those|they|shoes|feet|back|legs|boots) (?:\w+ )?killing (?:me|my)\b",
    r"\bkill(?:ing)? (?:some |the )?time\b",
    r"\bkill(?:ed|ing|s)? (?:it|the lights|the engine|the process|the app|the tab|a process|the music|the mood|the vibe|the game)\b",
    r"\bdead (?:tired|serious|wrong|right|on|end|battery|phone|link|pixels?|zone|weight|heat|center|set on|last)\b",
    r"\b(?:battery|phone|laptop|car|plant|plants|pixel|link|engine|line|mouse|keyboard|remote) (?:is |was |went |just )?(?:dead|died|dying)\b",
    r"\bdie[- ]?(?:cast|hard|roll)\b",
    # a place or an evening with nobody in it: "the bar was dead", "the vibe at the meeting was dead"
    r"(?<!at the )(?<!in the )(?<!at a )\b(?:vibe|party|bar|club|meeting|town|mall|store|gym|restaurant|chat|group chat|market|season|crowd|show|game|street|downtown|office)"
    r"(?: (?:at|in) (?:the|this|that|our|my) \w+)? (?:was|is|were|felt|seemed|got|gets|looked) (?:so |pretty |kinda |totally |completely |super )?dead\b",
    r"\b(?:a|the|one|two|three|\d+|roll|rolling|rolled|throw|six[- ]sided|twenty[- ]sided|d\d+) (?:dice|die)\b",
    r"\b(?:dice (?:game|roll|rolls|set|bag|tower)|pair of dice|dice and)\b",
    r"\bto die for\b",
    r"\b(?:the|a|what is the|whats the|no|any|some|good|fair|valid|decimal|boiling|freezing|melting|starting|focal|vanishing|selling|talking|bullet|power|match|break|set|turning|pressure|access|entry|exit|data|check|grade|bonus|reward|credit|percentage|exclamation) points?\b(?! (?:of|in) (?:even )?(?:living|being alive|life|my life|going on|waking up|being here|existing|staying alive)\b)",
    r"\bpoints? (?:of|on|for|to|in|per)\b(?! (?:even )?(?:living|being alive|life|my life|going on|waking up|being here|existing|staying alive)\b)",
    r"\bkiller (?:app|deal|view|workout|song|feature)s?\b",
    r"\b(?:could|would) kill for\b",
    r"\b(?:mom|dad|mother|father|wife|husband|boss|teacher|parents?) (?:is |are |will |would |gonna |going to )?(?:kill|murder) me\b",
    r"\bdeadlines?\b",
    r"\b(?:is|are|gonna|going to|will|would|gon|gunna) (?:\w+ )?kill me\b|\bme va(?:n)? a matar\b",
    r"\b(?:phone|battery|batteries|laptop|charger|plant|plants|flowers|cactus|succulent|fern|orchid|tree|grass|lawn|car|engine|detector|bulb|tablet|\d+ ?%|printer|printers|router|modem|wifi|internet|speaker|headphones|earbuds|airpods|remote|flashlight|watch|camera|controller|fridge|freezer|microwave|dishwasher|washer|dryer|scanner|mouse|keyboard|tv|computer|pc|basil|rosemary|mint|herbs?|tomato(?:es)?|bonsai|houseplants?|garden|seedlings?|monstera|pothos|roses?|hydrangeas?|tulips?|lemon tree|sourdough starter|goldfish|fish)\b.{0,30}\b(?:dead|died|dying|die)\b",
    r"\b(?:laptop|computer|pc|screen|monitor|tablet|device|mac|tv|console|printer) (?:\w+ )?(?:wont|will not|doesnt|does not|isnt) (?:wake|waking|respond|responding|turn on)\b",
    r"\b(?:over ?dos\w*|od\w*) on (?:coffee|caffeine|sugar|chocolate|candy|netflix|tv|cuteness|sun|work|anime|memes|carbs|pizza|christmas|music)\b",
    r"\bdying over here\b|\bgo(?:ing|nna) (?:to )?die (?:at|of|from|laughing|doing)\b|\bbored to death\b|\bscared to death\b",
    r"\b(?:over|under)dose (?:of|on) (?:caffeine|coffee|sugar|chocolate|vitamin|sun|netflix|tv|cuteness|candy)\w*\b",
    r"\b(?:drop|dropped|dropping) (?:dead )?gorgeous\b",
    r"\bsuicide (?:squad|doors?|mission|run|sprints?|king|blonde|note the band)\b",
    r"\b(?:career|political|social|financial|fashion|commercial|professional|electoral) suicide\b|\bsuicidio (?:politico|profesional|social|laboral)\b",
    r"\bshoot(?:ing)? (?:me )?(?:a|an) (?:email|text|message|photo|video|picture|quick|line)\b",
    r"\bi could (?:just )?die\b(?= of| from embarrass)",
    r"\bbreath(?:e|ing|less)? (?:exercises?|techniques?|work|mints?|test|of fresh)\b",
    r"\bout of breath\b",
    r"\b(?:lose|losing|lost) (?:it|my mind|my marbles|my cool|my temper)\b",
    r"\b(?:sleep|nap) like the dead\b",
    r"\bover my dead body\b",
    r"\b(?:be|is|was|will be|gonna be|going to be|are|are gonna be) the death of (?:me|us|him|her)\b",
    r"\bhang (?:me|him|her|them|you|us) out to dry\b",
    r"\b(?:mama|mami|papa|jefe|jefa|esposa|esposo|novia|novio|maestra|maestro|vieja|viejo) me va a (?:colgar|matar|ahorcar)\b",
    r"\b(?:never|have never|havent ever|nunca) (?:tried|attempted|wanted) (?:to )?(?:hurt|harm|kill|cut) (?:my|him|her)self\b",
    r"\b(?:jump|jumping|jumped) out of (?:a|the) (?:plane|airplane)\b|\bskydiv\w*|\bdiving board\b|\blife after death\b",
    r"\b(?:took|take|taking|got|get) a (?:shot|photo|picture|pic|video) (?:of|from)\b",
    r"\b(?:me )?(?:quiero|queria) morir\w* de (?:la )?pena\b(?=.*\b(?:jaja\w*|lol|jeje\w*)\b)",
    r"\b(?:im|i am|were|we are|im still|i was) (?:so |literally |actually |still )?(?:dead|deceased|ded)\b(?=[^a-z]*(?:$|lol|lmao|jaja|haha|omg|\W))(?=.*(?:lol|lmao|haha|jaja|funny|joke|concert|show|meme|\U0001f480|\U0001f602|\U0001f923|sick|hilarious|bombed|flunked|failed|test|exam|quiz|grounded|late|in trouble|mom|dad|boss|teacher))",
    r"\bat the end of the day\b|\bend of my rope with\b|\brunning on fumes\b|\b(?:till|until) (?:im|i am|youre|hes|shes) blue in the face\b|\blast nerve(?: (?:is|was) (?:so |totally |officially )?(?:dead|gone|shot|fried))?\b",
    # killing a craving, a bug or a smell; negated wishes to die ("i dont want to die anymore")
    r"\bkill(?:ing|s)? (?:these|the|my|those|this|that|his|her|off the|off these) (?:cravings?|urges?|headache|buzz|habit|bugs?|weeds?|ants|roaches|mosquitoes|flies|germs|bacteria|odou?r|smell|mold|lice|fleas)\b",
    r"\b(?:i )?(?:dont|do not|no longer) (?:want|wanna) to die(?: anymore)?\b(?! (?:alone|like this|but|yet|tonight))",
    # a pet that is dying or dead, said of the pet itself (a comma or a person ends it:
    # "next to his dog, not breathing" keeps its sign)
    r"\b(?:my|our|the|his|her|their) (?:old |little |sick |poor )?(?:cat|kitty|kitten|dog|puppy|doggo|pup|hamster|gerbil|guinea pig|rabbit|bunny|bird|parrot|parakeet|budgie|turtle|tortoise|lizard|gecko|snake|betta|fish|goldfish|horse|pet|chicken|hen)\b"
    r"(?:(?! (?:he|she|him|they|them|my|his|her|brother|sister|son|daughter|mom|dad|friend|boyfriend|girlfriend|husband|wife|cousin|someone|somebody)\b)[^.!?,;]){0,45}\b(?:dead|died|dying|die|not moving|wont move|isnt moving|not breathing|stopped breathing)\b",
    r"\b(?:mi|nuestro|nuestra|el|la|su) (?:gato|gata|gatito|gatita|perro|perra|perrito|perrita|mascota|pajarito|perico|tortuga|hamster|conejo|caballo|pollito|gallina)\b"
    r"(?:(?! (?:mi|su|el|ella|hermano|hermana|hijo|hija|mama|papa|novio|novia|esposo|esposa|amigo|amiga|alguien)\b)[^.!?,;]){0,40}\b(?:muriendo|murio|muerta|muerto|muere|no se mueve|no respira)\b",
    # a thing that gurgles, said of the thing itself ("he is in the car, gurgling" keeps its sign)
    r"(?<!in )(?<!inside )(?<!at )(?<!on )(?<!by )(?<!near )(?<!under )\b(?:my|the|our|his|her|this) (?:old |kitchen |bathroom |new |stupid |damn |fish )?(?:car|truck|engine|sink|drain|pipes?|toilet|stomach|tummy|belly|coffee ?maker|radiator|fish ?tank|aquarium|water heater|dishwasher|washer|fountain|pond|pump|motor|fridge|heater)\b"
    r" (?:is |keeps |has been |was |makes |made |making |started |starts )?(?:making |doing )?(?:a |an |this |that |these |weird |loud |strange |funny |little )*gurgl\w*",
    r"(?<!en )(?<!dentro del )(?<!dentro de la )\b(?:mi|el|la|su|este|esta) (?:carro|coche|camioneta|troca|motor|tuberia|tubo|lavabo|fregadero|inodoro|excusado|estomago|panza|pecera|bomba|refri|lavadora|boiler|calentador)\b"
    r" (?:hace|hizo|hacia|esta haciendo|empezo a hacer) (?:un |una )?(?:ruido |sonido )?(?:como )?(?:de |un )?(?:gorgot\w*|gorgor\w*|raro|extrano|feo)\b",

    r"\bjaja\w*,? me muero\b|\bme muero,? jaja\w*|\bme muero del? (?:sueno|risa|hambre|cansancio|calor|frio)\b|\bcortarme el (?:pelo|cabello|fleco)\b",
    r"\bheart (?:stopped|sank|skipped a beat|dropped) when\b",
    r"\b(?:bombed|flunked|failed|blew)\b.{0,40}\b(?:im|i am) (?:so |totally |literally )?dead\b|\b(?:im|i am) (?:so |totally )?dead\b.{0,30}\b(?:if|when) (?:my )?(?:mom|dad|boss|teacher|wife|husband|coach)\b",
    r"\bcant breathe (?:good |well |right )?when (?:its|it is|i|im|the|theres)\b",
    r"\bdisappear (?:from|off) (?:social media|facebook|instagram|tiktok|snapchat|the internet|the group chat|twitter)\b",
    r"\b(?:laughed|laughing|laugh) so hard (?:that )?(?:i|he|she|we) (?:almost |nearly )?(?:passed out|died|peed|cried|threw up)\b"
    r"|\b(?:passed|pass|passing) out (?:from )?laughing\b|\b(?:took|take|taking|give it|gave it|giving it) a shot at\b"
    r"|\b(?:just )?kill me now\b(?=[, ]+(?:i have to|i gotta|ive got to|because|cause|because|the|this|my)\b)",
    r"\b(?:boss|level|game|round|match|character|respawn|elden ring|fortnite|minecraft)\b[^.!?]{0,40}\b(?:keep|kept) (?:dying|getting killed|dieing)\b",
    # Spanish
    r"\bme muero de (?:risa|hambre|sed|calor|frio|sueno|ganas|verguenza|aburrimiento|curiosidad)\b",
    r"\bmuero por\b",
    r"\b(?:me )?(?:quiero|queria|quise|quisiera) morir(?:me)? de (?:la )?(?:verguenza|risa|ganas|hambre|sueno|aburrimiento|calor|frio)\b",
    r"\b(?:planta|plantas|plantita|matita|matitas|mata|matas|flores|arbol|arbolito|pasto|bateria|celular|telefono|carro|pez|pececito|computadora|impresora|cilantro|albahaca|romero|hierbabuena|rosal|helecho|jardin|hierbas|tomates?)\b.{0,30}\b(?:muriendo|murio|muerta|muerto|muere)\b",
    r"\b(?:muerto|muerta|muertos) de (?:risa|cansancio|hambre|sueno|frio|miedo)\b",
    r"\bmatar (?:el|un) (?:tiempo|rato)\b",
    r"\b(?:me )?(?:estan|esta) matando (?:los|las|el|la) (?:pies|zapatos|espalda)\b",
    r"\b(?:los|las|mis) (?:pies|zapatos|botas) me (?:estan )?matan(?:do)?\b",
    r"\b(?:un|el|los|dos|tres|tirar (?:un|el|los)) dados?\b",
    r"\b(?:bateria|telefono|celular|cel|celu|movil|compu) (?:esta |se quedo |ya esta )?(?:muerta|muerto|sin bateria)\b",
    r"\bpunto de (?:ebullicion|partida|vista|congelacion|venta)\b",
]
_IDIOMS = re.compile("|".join(f"(?:{p})" for p in IDIOMS))


# "Day 3 of withdrawal and I feel like I'm dying": how withdrawal feels, not an overdose.
_WITHDRAWAL = re.compile(r"\b(?:withdrawal|withdrawals|withdrawl|wd|wds|dopesick|dope sick|sick as a dog|detox\w*|kicking|malilla|malias|abstinencia|cold turkey|day (?:\d+|one|two|three|four|five) (?:of|off|clean|without))\b")
_FEELS_LIKE_DYING = re.compile(r"\b(?:feel|feels|feeling|felt) like (?:im |i am |i was )?(?:dying|gonna die|going to die|death)\b|\bsiento que me (?:muero|voy a morir)\b")


# ...unless the message also says what was taken: then the feeling may be an overdose.
_TOOK_SOMETHING = re.compile(r"\b(?:took|taken|used|shot|mixed|snorted|smoked|pills|xanax|benzos|bars|fent\w*|tome|me meti|pastillas)\b")


def without_idioms(text: Text) -> Text:
    text = _IDIOMS.sub(" ~ ", text)
    if _WITHDRAWAL.search(text) and not _TOOK_SOMETHING.search(text):
        text = _FEELS_LIKE_DYING.sub(" ~ ", text)
    return text


# --- 2. clauses ----------------------------------------------------------------
_CLAUSE_BREAK = re.compile(
    r"[.!?;:\n\u00bf\u00a1]+|\s+-+\s+|,\s*(?=(?:but|and|so|because|though|also|anyway|pero|y|porque|aunque|ademas|entonces)\b)"
    r"|\s+(?=(?:but|although|though|pero|aunque)\b)"
    r"|,\s*(?=(?:he|she|i|im|hes|shes|they|theyre|we|my|his|her|el|ella|mi|yo)\b)"
    r"|\s+(?=and (?:i|im|he|hes|she|shes|they|theyre|my|now)\b)"
)


def clauses(text: Text) -> List[Text]:
    parts = [p.strip(" ,") for p in _CLAUSE_BREAK.split(text)]
    return [p for p in parts if _WORD_RE.search(p)]


# --- 3. patterns ----------------------------------------------------------------
_SELF = r"(?:my ?self|him ?self|her ?self|them ?selves|them ?self|ourselves)"
_SUBJECT = r"(?:i|im|i am|ive|id|he|hes|she|shes|they|theyre|we|my \w+|someone|somebody)"
SUICIDAL_PATTERNS = [
    rf"\b(?:kill|killing|killed|hurt|hurting|harm|harming|cut|cutting|burn|burning|burned|burnt|burns|hang|hanging|shoot|shooting|end|ending|poison|poisoning|drown|drowning|off|offing) {_SELF}\b",
    r"\bkms\b|\bkys\b|\bunaliv",
    r"\bself[- ]?harm",
    r"\b(?:im|i am|feel|feeling|felt|been|get|getting|am|hes|shes|is|are|theyre|been feeling|so) (?:very |really |so |kinda |kind of |a bit |pretty |super )?suicidal\b",
    r"\bsuicidal (?:thoughts?|ideation|feelings?|urges?|again|tonight|right now)\b",
    r"\b(?:thinking|thought|thoughts|think|thinkin) (?:about|of|bout) (?:suicide|killing|ending (?:it|things|my life|everything)|dying|not (?:being here|waking up|existing)|taking my (?:own )?life|jumping|hanging)\b",
    r"\b(?:commit|commiting|committing|attempt|attempting) suicide\b(?!.*\b(?:ago|years|rate|rates)\b)",
    r"\b(?:want|wanna|wanted|ready|plan|planning|trying|try|decided|deciding) (?:to )?(?:die|be dead|end it|end it all|end everything|end things|end my life|not wake up|disappear forever|stop existing|not exist|not be here|go to sleep forever|sleep forever|kill)\b",
    r"\bwish (?:i|he|she) (?:was|were|could be) (?:dead|gone|never born)\b",
    r"\bwish (?:i|he|she) (?:could|would) (?:just )?(?:die|disappear|not wake up|never wake up|stop existing|not exist|go to sleep and)\b",
    r"\bwish i (?:didnt|did not|wouldnt) (?:exist|wake up)\b",
    r"\b(?:end|ending|take|taking|took) (?:my|his|her|their) (?:own )?life\b",
    r"\b(?:dont|do not|doesnt|does not|no longer|dont really|dont even) (?:want|wanna|wish) (?:to )?(?:live|be alive|be here|wake up|exist|go on|keep going|keep living|be around(?! (?:people|anyone|anybody|them|him|her|my|crowds|others|friends|family|kids)))\b",
    r"\bno (?:reason|point|purpose) (?:to|in|for) (?:live|living|go on|going on|keep going|keep living|being alive|being here|wake up|waking up|me being here)\b",
    r"\bbetter off (?:dead|without me|if i (?:was|were) (?:gone|dead)|if i died|without him|without her)\b",
    r"\b(?:overdose|od) on purpose\b|\bon purpose (?:overdose|od)\b",
    r"\bhot ?shot\b",
    r"\bnever (?:wake|waking) up\b",
    r"\b(?:cant|cannot|can not) (?:go on|keep going|keep living|do this anymore|do this no more|do it no more|take (?:it|this) anymore|live like this)\b",
    r"\bnothing (?:left )?to live for\b",
    # means in hand: holding a gun; blades kept to end it
    r"\b(?:holding|grabbed|got out|loaded|cleaning) (?:\w+ ){0,3}(?:gun|pistol|revolver|rifle|shotgun)\b(?!.*\b(?:range|class|hunting|safe|license|permit|store|video game|game)\b)",
    r"\b(?:razor|razors|razor blades?|blades?)\b.{0,120}\b(?:end it|end my life|end it all)\b",
    # after the attempt: "if i dont answer its because i already did it"
    r"\bif i (?:dont|do not|didnt) (?:answer|pick up|respond|reply)\b.{0,40}\b(?:already did it|did it|went through with it|im gone|im dead|its too late|im not here)\b"
    r"|\bsi no (?:contesto|respondo|te contesto|les contesto|contesto el telefono)\b.{0,40}\b(?:ya no estoy|ya lo hice|me fui|estoy muert[oa]|es muy tarde|ya es tarde|ya no existo)\b",
    # self-harm again, deeper
    r"\b(?:cut|cutting) (?:myself )?(?:again|deeper)\b(?=.*\b(?:deep\w*|cant stop|blood|bleed\w*|tonight|arms?|wrists?|legs?|thighs?)\b)|\bwant to (?:go|cut) deeper\b",
    # settling affairs: a pet given away with debts paid or things in order
    r"^(?=.*\bgave (?:away )?(?:my|our) (?:dog|cat|pets?|bird|puppy|kitten)\b)(?=.*\b(?:in order|paid (?:back|off)|what i owe|my will|goodbye|taken care of)\b)",
    # Spanish: better off without him/me, no longer should be here, the means to end it all, a shot
    r"\b(?:estan|estamos|estarian|estariamos|estaria|estara|estaran|estan mejor|vivirian) mejor sin (?:mi|el|ella)\b",
    r"\bya no (?:deberia|debo|quiero|merezco) estar aqui\b|\bi (?:shouldnt|should not) be here anymore\b",
    r"\b(?:lo que necesito|todo listo|ya tengo|compre) (?:\w+ ){0,3}para (?:acabar con|terminar con) (?:todo|mi vida|esto)\b|\bquiero (?:acabar|terminar) con (?:mi vida|todo de una vez)\b",
    r"\b(?:me he estado|me estoy|me sigo|se ha estado|se esta) (?:cortando|quemando|lastimando|rajando)\b|\bcortandome\b",
    r"\b(?:darme|darse|pegarme|pegarse|me voy a dar|se va a dar|me voy a pegar|se va a pegar|quiere darse|quiere pegarse) un (?:tiro|balazo|plomazo)\b",
    r"\b(?:(?:whats|what is|wheres) the|(?:dont|do not|cant|never) see (?:a|the|any)) (?:point|use|sense|reason) (?:of|in|to) (?:even )?(?:living|being alive|life|my life|going on|waking up|being here|existing|staying alive)\b"
    r"(?! (?:insurance|wills?|trusts?|rooms?|expenses|costs|coach\w*|hacks?|skills|arrangements?|situation|quarters|space|in (?:a|the) city))"
    r"|\b(?:para que|pa que) (?:sigo )?(?:vivir|vivo|seguir viviendo|despertar)\b|\bque (?:caso|sentido) tiene (?:seguir )?(?:vivir|viviendo|la vida)\b",
    r"\b(?:suicide|goodbye) (?:note|letter)s?\b",
    r"\b(?:plan|planning|intend|intending|expect|expecting) (?:on |to )?(?:be|being) (?:gone|dead|not here|not around)\b(?! (?:for|on|until|till|from|all|a few|most|by \d|over|during|while)\b)",
    r"\b(?:on|at) (?:a|the) (?:edge of (?:a|the) )?(?:bridge|ledge|roof|rooftop|overpass|cliff) (?:right now|now|and)\b",
    r"\b(?:jump|jumping|jumped) (?:off|from) (?:a|the|this|that|my|our) (?:\w+ )?(?:bridge|roof|rooftop|building|ledge|cliff|balcony|overpass|tower|window|parking (?:garage|deck)|dam)\b|\b(?:jump|jumping|step|stepping|walk|walking) in front of (?:a|the) (?:train|bus|truck|car|traffic)\b",
    r"\b(?:take|taking|swallow|swallowing|took|swallowed) (?:all|every|a whole bottle of|the whole bottle of|a bottle of) (?:of )?(?:my |his |her |the |these |those )?(?:pills|meds|tablets|medication|sleeping pills|oxys)\b",
    r"\b(?:saving|saved|stockpiling|stockpiled|hoarding|collecting) (?:up )?(?:my |his |her )?(?:pills|meds|dope|bags|fent)\b",
    r"\buntil (?:my|his|her) heart stops\b",
    r"\b(?:and|to) (?:just )?(?:not|never) (?:wake up|come back|be here)\b",
    r"\b(?:giving|gave|give) away (?:all )?(?:of )?(?:my|his|her) (?:things|stuff|belongings|stuff|possessions|dog|cat)\b",
    r"\b(?:my|this is (?:my|the)) last (?:message|goodbye|night|day alive)\b",
    r"\b(?:saying|said|say) (?:my )?goodbyes? (?:to everyone|to every one|for good|forever)\b",
    r"\bgoodbye (?:forever|for good|cruel world)\b",
    r"\b(?:burden to|burden on) (?:everyone|everybody|my family|them|you all)\b",
    r"\b(?:everyone|everybody|they|my family|my kids|the world) (?:would|will|d) be (?:better|happier) (?:off )?(?:without me|if i)\b",
    r"\b(?:nobody|no one|noone) would (?:miss|care|notice) (?:me |if i)\b",
    r"\b(?:rope|noose|gun|pistol|rifle|razor|blade) (?:ready|to end|for myself|to do it|and (?:i|im))\b",
    r"\b(?:bought|got|have|found) (?:a )?(?:rope|noose) (?:to|for)\b",
    r"\b(?:want|wanna|going|gonna|ready) (?:to )?(?:use|shoot up|shoot|do|take) (?:everything|it all|all of it|all my|enough to)\b",
    # Means in hand: "i have enough to do it", "i've got enough pills to end it".
    r"(?<!do )(?<!did )\b(?:i (?:have|got|saved|stashed)|ive(?: got| saved)?) (?:up )?enough (?:(?:pills|meds|dope|fent|fentanyl|heroin|stuff|oxys?|benzos|xanax|bags) )?(?:to do it|to end it|to end this|to be done)\b",
    r"\benough to (?:never|not) wake\b|\bhow (?:much|many) (?:would it take|to) (?:to )?(?:die|not wake|never wake|kill)\b",
    r"\bhope (?:i|it) (?:dont|doesnt|never) wake\b|\bhope (?:it|this|the next one) kills me\b",
    r"\b(?:want|wanna|wish) (?:it|everything|this|the pain|the pain to) (?:all )?(?:to )?(?:end|be over|stop) (?:for good|forever|permanently)\b",
    r"\bwant (?:it|everything|this) (?:all )?(?:to be )?over\b",
    r"\b(?:my|his|her) (?:life|existence) (?:isnt|is not|aint) worth (?:living|it)\b|\blife (?:isnt|is not|aint) worth living\b",
    r"\b(?:im|i am) (?:done|finished) with (?:life|living|everything|this life|it all)\b",
    r"\b(?:talk|talks|talking|talked|says|said|keeps saying|threatens|threatened|threatening) (?:about )?(?:to )?(?:suicide|killing (?:him|her|them)self|ending (?:his|her|their) life|wanting to die|she wants to die|he wants to die)\b",
    r"\b(?:wants|wanting|wanted|want) to (?:die|kill (?:him|her|them)self)\b|\b(?:going|gonna|about) (?:to )?(?:end it|end my life|end everything|kill myself|not wake up|take (?:all|them all))\b",
    r"\b(?:i|he|she) (?:might|will|would|could|may) (?:hurt|kill|harm) (?:my|him|her)self\b",
    r"\b(?:burn|burning|burned|burnt|burns|carve|carving|carved|cut|cuts|cutting|slit|slitting|slash|slashing|scratch|scratching)\b (?:\w+ ){0,3}(?:my|his|her|their) (?:arms?|wrists?|skin|legs?|thighs?|stomach)\b|\b(?:carve|carving|carved) into (?:my|his|her) skin\b|\bfresh cuts\b",
    r"\b(?:gun|pistol|rifle|rope|noose)\b.{0,40}\b(?:im done|ready|loaded|end it|goodbye|note)\b|\b(?:note|goodbye)\b.{0,40}\b(?:gun|pistol|rifle|rope|noose)\b",
    r"\b(?:ill|i will|im going to|going to|gonna|i am going to) be (?:dead|gone) (?:by|before|soon|tomorrow|in a)\b|\b(?:when|after|once) (?:im|i am|ive) (?:gone|dead|not here|not around)\b|\bif (?:im|i am) still (?:here|alive|around)\b|\b(?:dont|do not|not) (?:plan|planning|expect|expecting) (?:on |to )?(?:making it|make it|being (?:here|around|alive)|be (?:here|around|alive)) (?:to|til|till|until|through|past)\b",
    r"\bwont (?:need|be needing) (?:them|it|these|this|those|my \w+|his \w+|her \w+) (?:anymore|where)\b|\bwont be (?:a problem|a burden|around|here) (?:for anyone|to anyone|much longer|anymore|soon)\b|\bmade (?:my|his|her) peace\b",
    r"\b(?:note|texted|text|message|letter|wrote|post|posted)\b.{0,60}\b(?:sorry for everything|goodbye forever|take care of (?:yourself|the kids|mom)|ill always love you|forgive me)\b",
    r"\b(?:stockpiling|stockpiled|saving|saved|hoarding) (?:up )?(?:my |his |her )?doses\b|\b(?:take|use|shoot|swallow) them all\b",
    r"\b(?:im|i am|mean|so|just|totally) done with (?:life|living|everything|it all|all of it|this life|this world)\b",
    r"\bojala (?:me muer\w*|me muri\w*|no despiert\w*|estuviera muert\w*|no existier\w*|no hubiera nacido)\b|\bcuando me muera\b|\bnadie me (?:va a )?extran\w*\b",
    r"\b(?:mejor|entonces|pues|ya) me mato\b|\bme mato\b(?! (?:trabajando|estudiando|de (?:risa|hambre)))(?=.*\b(?:recaer|pensado|plan|ya no)\b)",
    r"\b(?:se|me) (?:sigue |sigo |esta |estoy )?cort(?:a|o|ando) (?:los brazos|las venas|las munecas|las piernas|la piel)\b|\bme quemo con\b|\bse quema con\b",
    r"\b(?:soga|cuerda|pistola)\b.{0,30}\b(?:lista|cargada|preparada)\b|\bregal(?:o|e|ando|a) (?:todas )?(?:sus|mis) cosas\b|\bya no (?:las|los|lo|la) (?:va|voy) a (?:necesitar|ocupar|usar)\b",
    # Spanish (accents removed by normalise)
    r"\b(?:me )?quiero morir|\bquiero (?:matarme|suicidarme|desaparecer|dejar de existir|acabar con todo|acabar con mi vida|terminar con (?:todo|mi vida)|dormir y no despertar|morirme)\b",
    r"\b(?:me|se) (?:quiere|quieren|queria|quisiera|quisieramos) (?:morir|matar|suicidar)\b",
    r"\bsuicid(?:arme|arse|arte|io|a)\b(?!.*\b(?:hace|anos|tasa)\b)",
    r"\b(?:matarme|quitarme la vida|acabar con mi vida|terminar con mi vida|quitarse la vida|cortarme las venas|lastimarme|hacerme dano)\b",
    r"\bno (?:quiero|quiere) (?:seguir )?(?:vivir|viviendo|estar aqui|estar en este mundo|despertar|existir|seguir)\b"
    # "ya no quiero seguir con esto" (a form, a program) and "ya no quiero seguir asi" beside a
    # wish to start treatment are no wish to die
    r"(?! (?:con (?:esto|eso|el|la|las|los)\b|asi\b(?=.*\b(?:empezar|tratamiento|programa|dejar(?:la|lo)?|ayuda|internarme|cita)\b)))",
    r"\b(?:dont|do not|doesnt|no longer) (?:want|wanna) (?:to )?(?:be )?(?:in|on) this (?:world|earth|planet)\b",
    r"\b(?:ya )?no (?:puedo|aguanto) (?:mas|seguir|con esto|vivir asi)\b|\bya no (?:puede|aguanta) mas\b(?! con)",
    # a goodbye text, then no answer
    r"\b(?:mensaje|texto|msj|whats|escribio|mando)\b.{0,40}\b(?:adios|despid\w*)\b.{0,80}\bno (?:me |nos )?(?:contesta|responde)\b"
    r"|\b(?:texted|sent|messaged|text|message|snap|snapped|dm|dmd|posted)\b.{0,30}\b(?:goodbye|bye|thanks for everything|love (?:you|u) all)\b.{0,80}\b(?:not answering|wont answer|doesnt answer|isnt answering|wont pick up|not picking up|phone (?:is )?off|location (?:is )?off|turned off (?:her|his|their) location|left (?:me )?on read)\b",
    r"\b(?:estarian|estaria|estan) mejor sin mi\b|\bmejor (?:muerto|muerta)\b",
    r"\bno (?:tengo|tiene|hay) (?:razon|razones|motivo|motivos|sentido|nada) (?:para|por (?:lo que|que)) (?:vivir|seguir)\b",
    r"\b(?:pienso|pensando|pense|piensa|pensamientos) (?:en|de) (?:matarme|suicid\w+|morir|quitarme la vida|acabar con todo|no despertar)\b",
    r"\bojala (?:no despierte|me muera|estuviera muert[oa]|no existiera|no hubiera nacido)\b",
    r"\b(?:tomar|tomarme|tragarme) todas (?:las|mis) (?:pastillas|pastis)\b",
    r"\bsoy una carga\b|\bsoy un estorbo\b|\b(?:cansad[oa]|hart[oa]) de (?:ser|seguir siendo) (?:una carga|un estorbo)\b|\bdejar de (?:ser una carga|estorbar)\b"
    r"|\b(?:tired|sick) of being (?:a|such a|the) burden\b|\b(?:stop|quit) being a burden (?:to|on) (?:everyone|everybody|them|my family|anyone) (?:for good|forever|permanently)\b",
    r"\b(?:estarian|estarias|estaria|estariamos|vivirian|viviria|serian|seria) (?:mas |mucho )?(?:tranquil\w*|felices|feliz|mejor|en paz) sin mi\b",
    r"\b(?:me canse|ya me canse|estoy cansad[oa]|ya me harte|estoy hart[oa]) de (?:estar aqui|vivir|existir|estar viv[oa]|la vida|seguir)\b|\b(?:tired|sick) of (?:living|being alive|existing|being here|life)\b",
    r"\bprefiero (?:no (?:estar viv[oa]|vivir|existir|estar aqui|despertar)|morir\w*(?! (?:\w+ )?(?:antes )?(?:que|a|de)\b)|estar muert[oa])\b|\b(?:id|i would) rather (?:not be (?:alive|here)|be dead|not exist|not wake up)\b",
    r"\b(?:ya )?(?:tengo|tiene) (?:pensado|planeado|decidido) (?:como|cuando|donde)\b|\b(?:i|ive) (?:already )?(?:know|figured out|planned|worked out) (?:exactly )?how (?:i(?:d| would| will|ll)?|to) (?:do it|end it)\b",
    r"\b(?:navaja|cuchilla|gillette|rastrillo|cuchillo|pistola|soga|cuerda)\b.{0,80}\b(?:la|lo) (?:tengo|traigo|tiene|trae) (?:en la mano|aqui|lista|listo|conmigo|cargada)\b|\b(?:agarre|agarro|saque|tome) (?:la|una|mi|el) (?:navaja|cuchilla|gillette|rastrillo|cuchillo)\b.{0,40}\botra (?:vez|ves)\b",
    r"^(?=.*\bno (?:fue|es) culpa de nadie\b)(?=.*\b(?:me voy|me fui|adios|los quiero|la quiero|lo quiero|perdon|perdonen)\b)|\b(?:dile|diganle|diles|digale) a (?:mi|mis) \w+ (?:que )?(?:la|lo|los|las) (?:quiero|amo|quise)\b"
    r"|^(?=.*\b(?:(?:its|it is|it was) (?:nobodys|no ones|not (?:anyones|your|their)) fault)\b)(?=.*\b(?:goodbye|bye|i love you|love you all|im sorry|tell \w+ i)\b)",
    r"\b(?:se|me) (?:va|voy|quiere|quiero|iba|fue) a (?:tirar|aventar|lanzar|echar)(?:se|me)? (?:de|del|desde|por|al|a la|a las) (?:la |el |los |las )?(?:azotea|techo|puente|edificio|ventana|balcon|tren|metro|vias|carretera|barranco|risco|precipicio)\b",
    r"\b(?:took|grabbed|taken|got|with) (?:the|a|his|her|my|dads|my dads) (?:rope|noose|gun|pistol|rifle|shotgun)\b.{0,80}\b(?:walked|left|drove|went|ran|locked himself|locked herself|goodbye|not to follow|woods|garage|basement|shed)\b"
    r"|\b(?:told|said|asked) (?:me |us )?not to (?:follow|look for|come after|come find) (?:him|her|them|me)\b(?=.*\b(?:rope|gun|pistol|pills|knife|bridge|woods|goodbye|failure|burden)\b)",
    r"\b(?:im|i am) (?:up )?on (?:the|a|my) (?:roof|rooftop|ledge|bridge|overpass)\b(?!.*\b(?:fixing|repair|shingles|gutters?|antenna|solar|party|deck|lights|work)\b)",
    r"\b(?:esta noche|hoy|manana|ahorita|ya|de todos modos|al rato) me mato\b|\bestrellar(?:me|se)\b",
    r"\b(?:take|taking|swallow|swallowing|down|downing) (?:the |a |my )?(?:whole|entire) (?:bottle|pack|box|script|prescription|stash)\b",
    r"\b(?:already |just )?(?:picked|chose|chosen|found|picked out) (?:the|a|my) (?:spot|place|day|date)\b(?!.*\b(?:for (?:the|our|my) (?:party|wedding|picnic|trip|vacation|meeting|tent|camp)|to (?:meet|park|eat)|restaurant|dinner)\b)|\btell (?:my|her|his) (?:\w+ )?(?:i|he|she) (?:tried|loved|love|am sorry|was sorry)\b",
    r"\b(?:gun|pistol|rifle|revolver|pills|rope|noose|knife|blade|razor|pistola|soga|navaja)\b.{0,60}\b(?:keep|kept|i keep|been) (?:taking (?:it|them) out|looking at (?:it|them)|holding (?:it|them)|staring at (?:it|them)|touching (?:it|them))\b",
    r"\b(?:looked up|googled|googling|searched|researched|researching|looking up) how (?:many|much) (?:\w+ ){0,3}(?:it would take|it takes|would it take|it will take|i would need|i need|to take)\b",
    r"\b(?:its|it is|thats|this is|should be) high enough\b|\bmake sure (?:someone|somebody) (?:has|had|have|takes|took|gets|got) (?:her|him|them|my \w+) (?:before|after|when)\b",
    r"\b(?:bridge|roof|rooftop|overpass|tracks|ledge|train)\b.{0,40}\b(?:isnt|is not|not) (?:that |very |too )?far\b|\b(?:train|tracks)\b.{0,40}\b(?:walking|heading|going) (?:there|to it|to them) now\b",
    r"\b(?:drive|driving|drove|crash|crashing) (?:my car |the car |my truck )?(?:off|into) (?:a|the) (?:bridge|overpass|cliff|wall|tree|median|traffic|river|lake|ocean|pole)\b|\b(?:drive|driving) into (?:oncoming )?traffic\b",
    r"\b(?:saving|saved|stockpiling|stockpiled|hoarding) (?:up )?(?:my |his |her )?(?:\w+ )?(?:doses|pills|meds|bags|benzos|bars|xanax|oxys|percs|fent)\b|\btake (?:them |it |everything )?all at once\b",
    r"\b(?:telling|tell|let) (?:someone|somebody|you|u) (?:know )?before i go\s*$|\btied (?:it|the rope|a rope|the belt|a belt|the cord|a cord|the sheet|a noose)\b.{0,30}\b(?:rod|beam|ceiling|fan|door|rafter|railing|pipe|tree|bar)\b",
    r"\b(?:quiero|voy a|me voy a|va a|quiere) (?:brincar|saltar|tirarme|aventarme|tirarse|aventarse)\b(?! (?:la cuerda|de alegria|de gusto|en paracaidas|al agua|del trampolin|a la alberca|a la piscina|en la alberca|del avion|en la cama|en el sillon|los charcos))",
    r"\b(?:made up my mind|decided) about (?:tonight|today|tomorrow)\b(?!.*\b(?:meeting|group|detox|treatment|program|sign|come in|coming in|appointment)\b)",
    r"\b(?:lighter|cigarette|iron|match|blade|razor|knife) (?:to|on|against|into) (?:my|his|her) (?:arm|arms|skin|leg|legs|wrist|wrists|thigh|thighs)\b",
    r"\bstop (?:my|your|his|her|a) heart\b|^done with (?:all of it|it all|everything|life|living)\b",
    r"\b(?:tengo|tiene|traigo|trae) (?:la|una|el|un) (?:navaja|pistola|cuerda|soga|cuchilla|cuchillo|arma)\b.{0,20}\b(?:en la mano|lista|listo|aqui|conmigo|cargada)\b|\b(?:gun|pistol|knife|blade|razor|rope|pills)\b.{0,10}\b(?:in my (?:lap|hand|hands)|on my lap)\b",
    r"\b(?:cortandome|cortarme|quemandome|quemarme|golpeandome)\b(?! (?:el|la|los|las) (?:pelo|cabello|unas|fleco|barba))",
    r"\b(?:aventarme|tirarme|lanzarme|aventarse|tirarse|lanzarse) (?:al|del|de la|por la|desde el|desde la|a las) (?:tren|metro|puente|techo|edificio|ventana|azotea|vias|carro|trafico)\b|\bno se si (?:bajar|saltar|tirarme|aventarme)\b"
    r"|\b(?:me|se) (?:aviento|avente|avento|avienta|tiro|tire|tira|lanzo|lance|lanza|echo|eche)\b (?:al|a los|a la|a las|del|de la|desde el|desde la) (?:trafico|carros|coches|tren|metro|vias|puente|techo|edificio|azotea|ventana|carretera|autopista)\b"
    r"|\b(?:almost|nearly) (?:walked|stepped|jumped|ran|drove) (?:into|in front of|off)\b(?!.*\b(?:by accident|accidentally|wasnt looking|distracted|phone)\b)",
    r"\bsi (?:sigo|todavia estoy|aun estoy) (?:aqui|viv[oa]|con vida)\b",
    r"\b(?:no|ni) (?:se si )?(?:vale|valga) la pena (?:seguir )?(?:vivir|viviendo|seguir|estar aqui)\b",
    r"\b(?:me|se|te) (?:estoy |esta |sigue |sigo )?(?:cortando|corto|corta|quemando|quemo)\b(?! (?:el|la|los|las|un|una) (?:pelo|cabello|unas|pasto|cesped|carne|pan|comida|dedo))|\bcortadas en (?:los|sus|mis) (?:brazos|piernas|munecas)\b|\b(?:se|me) va(?:y|n)? a (?:cortar|colgar)\b|\b(?:colgarme|colgarse|ahorcarme|ahorcarse)\b|\bse iba a (?:colgar|matar|cortar|ahorcar)\b",
    r"\b(?:carta|nota|mensaje) de despedida\b|\bme (?:estoy )?despid(?:o|iendo) de (?:todos|todo el mundo)\b",
    r"\b(?:sobredosis|pasarme) a proposito\b",
    r"\bme voy a (?:matar|morir|suicidar|quitar la vida|tirar)\b",
    r"\b(?:tengo|tiene|me dan|le dan|me entran|con) (?:muchas )?ganas de (?:morir\w*|matarme|desaparecer|no despertar|suicid\w+|dejar de existir)\b",
    r"\btomar(?:me|mela|melas|melos|selas|selos) (?:\w+ )?tod[oa]s\b|\b(?:pastillas|pastis|pildoras)\b.{0,60}\btomar\w* tod[oa]s\b",
    r"\b(?:ya )?(?:tengo|tiene) (?:un|el) plan\b.{0,60}\b(?:morir|matar\w*|viv[oa]|acabar|no estar|despedir)\b|\bno (?:se si )?(?:voy|va) a (?:estar|seguir) viv[oa]\b",
    r"\bcomo si (?:ya )?no (?:fuera|fuese|va|fuera a|fuese a) (?:a )?(?:volver|regresar|estar)\b",
    r"\bregal(?:o|a|ando|aba) (?:todas )?(?:sus|mis) (?:cosas|joyas|pertenencias|herramientas|ropa|anillos)\b",
    r"\b(?:knife|blade|razor) (?:to|against|on|into) (?:my|his|her) (?:wrists?|throat|arms?|veins)\b",
    # at a bridge or a railing, now or last night, and thinking of going back
    r"\b(?:sitting|sat|standing|stood|climbed|climbing|leaning) (?:on|over|at|onto) (?:the|a) (?:bridge|overpass) (?:rail|railing|edge|ledge)\b"
    r"|\b(?:went|go|going|drove|walked|been going) (?:back )?to (?:the|a) (?:bridge|overpass)\b.{0,60}\b(?:stood|stand|standing|thinking|jump\w*|edge|rail\w*|going back|long time|looking down)\b"
    r"|\b(?:estoy|esta|estaba) (?:parad[oa]|parao|sentad[oa]|arriba|trepad[oa]) (?:en|sobre) (?:el|un|la) (?:puente|techo|edificio|barandal|azotea)\b"
    r"|\bpensando (?:en )?(?:brincar|saltar|tirarme|aventarme|lanzarme)\b",
    # a death staged as an accident; a plan for the road
    r"\b(?:make|made|look|looks|looked|seem|seems) like an accident\b"
    r"|\b(?:yank|yanking|yanked|jerk|jerking|swerve|swerving|steer|steering|turn|turning) (?:the wheel )?into (?:the|a) (?:median|wall|tree|pole|oncoming|semi|truck|barrier|guardrail|river)\b"
    r"|\bfeels? (?:more )?like a plan\b",
    # settling affairs: peace made, things set up, who gets what, a last word
    r"\bmade (?:my )?peace with (?:it|this|everything|dying|that)\b.{0,80}\b(?:set up|in order|taken care of|gets (?:the|my)|goodbye|say it to|to know)\b"
    r"|\b(?:everything|everythings|its all|all) (?:is )?(?:set up|in order|arranged|taken care of)\b.{0,60}\bgets (?:the|my) \w+"
    r"|\bso (?:nobody|no one|noone|nobodys|my family|they|my kids) (?:has|have|will have|wont have|doesnt have|dont have) to (?:deal with|handle|worry about|take care of|clean up) (?:it|anything|my stuff|my things|things|that|any of it) (?:after|once im gone|when im gone)(?: (?:im|i am) gone)?\W*$",
    # a closed car with the engine running in a garage
    r"\b(?:garage|garaje|cochera)\b.{0,60}\b(?:engine|motor)\b.{0,20}\b(?:running|on|prendido|encendido)\b"
    r"|\b(?:engine|motor)\b (?:running|prendido|encendido)\b.{0,40}\b(?:garage|garaje|cochera)\b",
    # Spanish: cut again, a farewell asking forgiveness, "I won't be here anymore"
    r"\bme (?:corte|queme|lastime)\b(?! (?:el|la|los|las|un|una) (?:pelo|cabello|unas|dedo|fleco))(?=.*\b(?:otra vez|hondo|profundo|brazos?|munecas?|piernas?|sangr\w*)\b)",
    r"\b(?:se despide|se despidio|me despido|se esta despidiendo)\b.{0,60}\b(?:perdon\w*|para siempre|cuiden|los quiero|no contesta)\b"
    r"|\b(?:perdon\w*|los quiero)\b.{0,40}\bse (?:despide|despidio)\b",
    r"\b(?:ya no importa|ya da igual|da lo mismo|ya que importa|de todos modos|de todas formas|total|ya para que|pa que)\b.{0,40}\bno (?:voy|va) a estar (?:aqui|aca|viv[oa])\b",
    # not alive by a day to come ("not here on monday" is too often a trip or a shift)
    r"\bwont be (?:alive (?:by|for|on|to see|at)|(?:here|around) (?:by|to see)) (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|the weekend|christmas|my birthday|next week|the morning|new year\w*)\b(?!.*\b(?:trip|vacation|travel\w*|work|shift|out of town|appointment|flight|away|visiting|moving|court|hospital)\b)"
    r"|\bif (?:im|i am) (?:dead|gone|not here|not around) (?:by|before|in|tomorrow|tonight|when)\b",
    r"\bmake sure (?:my \w+|she|he|they|everyone|everybody) knows? (?:that )?(?:none of this|it (?:wasnt|was not|isnt|is not)|this (?:wasnt|isnt)|i (?:loved|love|was sorry))\b",
    # goodbyes said already, affairs told to someone
    r"\b(?:ya )?me despedi de (?:mis|mi) (?:hijos|hijas|hija|hijo|familia|mama|papa|esposa|esposo|vieja|viejo|novia|novio|ninos|amigos|carnales)\b(?!.*\b(?:trabajo|escuela|viaje|rehab|centro|tratamiento|internar\w*|aeropuerto|vuelo)\b)"
    r"|\b(?:ive|i have|i) (?:already )?said (?:my )?goodbyes? to (?:my|the) (?:kids|family|children|son|daughter|wife|husband|mom|dad|parents|friends)\b(?!.*\b(?:before|rehab|detox|treatment|trip|flight|airport|work|school|jail|deploy\w*)\b)",
    r"\b(?:calling|called|texting|texted|messaging|messaged|visiting|visited|going around)\b (?:\w+ ){0,3}(?:to )?(?:say|saying) (?:goodbye|bye|goodbyes)\b"
    r"(?!.*\b(?:mov\w*|trip|travel\w*|deploy\w*|rehab|detox|treatment|jail|prison|leaving for|heading to|vacation|college|school|job)\b)",
    r"^(?=.*\b(?:(?:told|showed|telling|tell) (?:me|us) where (?:his|her|my|the) (?:will|papers|passwords|life insurance)|who gets (?:his|her|my) (?:truck|car|stuff|things|dog|cat|guns?|house|money|tools|jewelry))\b)"
    r"(?=.*\b(?:depressed|tonight|scared|goodbye|relapsed|suicid\w*|hopeless|done|gone|worried|gave|weird|calm)\b)",
    r"\bya no (?:voy|va) a estar(?: aqui| en este mundo| viv[oa])?\s*$"
    r"|\b(?:es|sera) la ultima vez que (?:hablamos|hablo|nos vemos|te escribo|les escribo|platicamos)\b"
    r"|\b(?:me voy|se va|me ire|me voy a ir|se va a ir) para siempre\b(?! (?:a|de|pa) )",
    r"\b(?:knife|blade|razor|pills|rope|noose|gun|pistol)\b.{0,120}\b(?:ill|i will|im going to|gonna|going to) (?:do it|end it|go through with it)\b",
    r"\bcant wait for (?:this|it|everything|all this|my life) (?:all )?to be over\b",
    r"\b(?:gave|giving|given|gives) (?:away )?(?:\w+ ){0,3}(?:his|her|my) (?:\w+ )?(?:truck|car|guitar|jewelry|jewellery|watch|dog|cat|tools|gun|guns|belongings|car keys|keys)\b.{0,80}\b(?:over|goodbye|anymore|wont need|last|wanted (?:someone|somebody|you|one person) to know|thank(?:s| you) for (?:trying|everything|being there))\b",
]
SUICIDAL_PATTERNS += [
    # a thank-you that closes the door: "you guys tried, i wont be needing the appointment"
    r"^(?=.*\b(?:you|u) (?:guys |all |people |both )?(?:really |at least )?tried\b)(?=.*\b(?:wont|will not|dont|not gonna|not going to) (?:be )?need(?:ing)?\b)",
    # not here by then, said as an aside ("anyway"), or not alive by then
    r"\b(?:wont|will not|not going to|not gonna) (?:even |still )?be (?:here|around) (?:by then|then|that long|for long)\b.{0,12}\b(?:anyway|anyways|regardless)\b"
    r"|\b(?:wont|will not|not going to|not gonna) (?:even |still )?be alive (?:by then|then|that long|much longer|for long)\b",
    r"\b(?:dont|do not|not) (?:plan|planning|expect|expecting) (?:on |to )?(?:being|be) (?:here|around|alive) (?:next week|much longer|for long|anymore|after (?:tonight|today|this week))\b"
    r"(?!.*\b(?:trip|vacation|travel\w*|work|shift|out of town|flight|away|visiting|moving|court|camp\w*|conference)\b)",
    # giving things away, then who gets the rest or "just want someone to know"
    r"^(?=.*\b(?:gave|giving|given) (?:away )?(?:all )?(?:my|his|her) (?:\w+ )?(?:guitar|xbox|playstation|ps5|games|clothes|bike|jewelry|watch|truck|car|tools|dog|cat|stuff|things)\b)"
    r"(?=.*\b(?:(?:he|she|they) can (?:have|keep) (?:my|his|her) (?:room|stuff|things|car|truck|clothes|everything)|(?:just )?want(?:ed)? (?:someone|somebody|one person|you) to know)\b)",
    # looked up how high a bridge or a garage is
    r"\b(?:looked up|googled|googling|searched|checked|checking|looking up) how (?:high|tall|far down|deep) (?:the |a |that )?(?:\w+ ){0,2}(?:bridge|parking garage|garage|parking deck|overpass|roof|rooftop|cliff|dam|ledge)\b"
    r"|\b(?:busque|busco|buscando|vi) (?:que tan|cuanto de) (?:alto|alta) (?:esta|es) (?:el|la) (?:puente|edificio|azotea|estacionamiento)\b",
    # Spanish: already thought out how, beside not holding on; not here much longer
    r"^(?=.*\bya (?:pense|planee|decidi|tengo pensado|se) (?:como|cuando|donde) (?:hacerlo|lo voy a hacer|lo hare|matarme)\b)"
    r"(?=.*\b(?:(?:no (?:creo )?(?:poder )?)?aguant\w*|no puedo mas|ya no puedo|cansad[oa]|hart[oa]|carga|morir|vivir|adios)\b)",
    r"\bya no (?:voy|va) a estar (?:aqui |aca |en este mundo )?(?:mucho tiempo|por mucho tiempo|mucho mas)\b(?! (?:en|por aca|de|con|aqui en)\b)",
    # the last word: "the last time you'll hear from me"; a prayer not to wake
    r"\b(?:last time|last you)\b.{0,20}\b(?:you|yall|you all|you guys|anyone|anybody|everyone) (?:will |ll |is going to |are going to )?(?:ever )?hears? from me\b",
    r"\b(?:doesnt|dont|does not|do not|wont|not) let me wake up\b|\b(?:takes|take) me in my sleep\b|\bno (?:me )?(?:deje|dejes) despertar\b",
    # a decision made, beside hopelessness; a note written, and calm about it
    r"^(?=.*\b(?:ive|i have|i) (?:made|make) (?:my|the|a) (?:decision|choice)\b)(?=.*\b(?:no future|whats left|what is left|nothing left|burned every bridge|lost (?:my|the) kids|burden|no point|tired of|done with|goodbye|sorry for)\b)",
    r"\b(?:written|wrote|finished|writing|left) (?:my|a|the) (?:note|letter|goodbye)\b.{0,60}\b(?:calm|peace|ready|decided|decision|goodbye|sorry|over|done)\b"
    r"|\b(?:ive|i have|i|just) (?:already )?(?:written|wrote|finished|left) my (?:note|letter|goodbye)\b(?! (?:for|to|at) (?:work|school|the|my|court|him|her|them|class|your))",
    # Spanish: steering into something; "before that i'll kill myself"; not lasting that long
    r"^(?=.*\b(?:voltear|girar|dar un volantazo|meterme|estrellarme)\b.{0,20}\b(?:el volante|contra|al puente|a la pared|al trailer|al rio)\b)(?=.*\b(?:facil|puente|pared|trailer|rio|morir|acabar)\b)",
    r"\b(?:antes (?:de eso |de que )?|mejor )me mato\b|\bno (?:voy|va) a durar (?:tanto|mucho|tanto tiempo|hasta)\b(?=.*\b(?:me mato|morir|matarme|ya no|acabar)\b)",
]
# Blue or grey from the cold, nail polish or a plant is no overdose sign.
NOT_A_COLOUR_SIGN = r"^(?!.*\b(?:cold outside|freezing|so cold|snow|winter|raynaud\w*|circulation|polish|paint|dye|stained|ink|markers?|crayons?|popsicle|slushie|frosting|makeup|spots|cactus|plants?|leaves|lawn|grass|garden|flowers?)\b).*?"
OVERDOSE_PATTERNS = [
    r"\b(?:is|hes|shes|im|theyre|are|am|i think (?:i|he|she) (?:am|is)) (?:\w+ )?(?:overdosing|odin|oding|od ing)\b",
    r"\b(?:is|are|hes|shes|im|theyre|were) (?:having|going through) (?:an? )?(?:overdose|od)\b",
    r"\b(?:just|think|thinks|might have|may have|has|have|i think (?:he|she|i|they|my \w+)) (?:overdosed|odd|oded|od)\b",
    r"\b(?:not|isnt|is not|arent|stopped|stop|barely|hardly|cant|cannot|trouble|struggling to|having trouble|isnt really|not really|no longer|quit) (?:breath(?:e|ing|in))\b",
    r"\b(?:wont|will not|cant|cannot|couldnt|can not|not|isnt|is not|doesnt|does not|arent|never) (?:wake|waking|wakin|come to(?=\s*(?:$|and\b|or\b|even\b|after\b|i\b|he\b|she\b|hes\b|shes\b))|coming to(?=\s*(?:$|and\b|or\b))|respond|responding|responsive|answer|answering|move|moving|come around)\b(?! (?:to|in|on|from) )(?! (?:his|her|my|the|your|their|any|a) (?:phone|calls?|texts?|messages?|door|emails?|questions?|concerns?|point))",
    r"\b(?:cant|cannot|couldnt) (?:get|make) (?:him|her|them|my \w+) (?:to )?(?:wake|up|respond|breathe)\b",
    r"\b(?:cant|cannot|couldnt) (?:wake|rouse) (?:him|her|them|my \w+)\b",
    r"\bunresponsive\b|\bunconscious\b|\bout cold\b",
    r"\bse (?:esta )?ahog(?:a|ando)\b|\bhace un ruido (?:muy )?raro\b",
    r"\b(?:did|took|used|had|snorted|smoked|shot|mixed) (?:\w+ ){0,4}(?:bars|xanax|fent|fentanyl|dope|pills|benzos|percs|oxys)\b.{0,60}\b(?:feeling (?:\w+ ){0,2}heavy|so heavy|so sleepy|cant breathe|fading|going under|numb|chest (?:is|feels))\b",
    r"\b(?:just|i think i|i think i just) (?:got|did|used|took|shot|hit|smoked|snorted|tried) (?:some|it|a bag|a shot|a line|a hit|something)\b.{0,80}\b(?:tingl\w*|so heavy|numb|so sleepy|cant breathe|chest|dizzy|fading|going under)\b",
    r"\b(?:batch|dope|stuff|shot|hit|bag|line)\b.{0,50}\b(?:just )?(?:went down|dropped|fell over|hit the floor)\b|\b(?:i feel like |i think )?(?:im|i am) (?:going|slipping) under\b",
    r"\b(?:hard|cant|cannot|trouble|struggling) (?:to )?(?:get|getting|catch|catching) (?:any )?(?:air|my breath|a breath)\b",
    NOT_A_COLOUR_SIGN + r"(?<!flowers )(?<!hydrangeas )(?<!bulb )(?<!light )(?<!lights )(?<!screen )(?<!everything )(?<!life )(?<!it all )\b(?:turning|turned|going|gone|went|is|are|hes|shes|theyre|look|looks|looking) (?:\w+ )?(?:blue|purple|gray|grey|ashen)\b(?! ?(?:30s?|m30s?|pills?|ones|heeler|jays?))(?!.*\b(?:shirt|dress|car|paint|hair|light|lights|sky|screen|wall|flowers?|hydrangeas?|bulb|led|water|team)\b)",
    r"\b(?:blue|purple|grey|gray) (?:lips|fingertips|fingers|nails|face|skin)\b",
    NOT_A_COLOUR_SIGN + r"\b(?:lips|fingertips|fingers|nails|face|skin) (?:are |is |look |looks |turned |went |gone |going )?(?:blue|purple|gray|grey|cold and (?:pale|blue)|ice cold)\b",
    r"\bpinpoint pupils\b|\bpupils (?:are )?(?:tiny|pinpoint|like pins)\b",
    r"\b(?:one|1|a single) breath every\b|\bbreath(?:s|ing)? (?:like )?(?:once )?every (?:\d+|ten|few|fifteen|twenty|thirty) seconds\b",
    r"\bgurgl|\bdeath rattle\b|\bfoaming\b",
    r"\b(?:took|take|taken|used|did|done|shot|smoked|snorted) (?:way |a little |a bit |much )?too (?:much|many)\b",
    r"\btook (?:a lot |way |much )?more than (?:usual|normal|i usually do|i should)\b",
    r"\b(?:did|took|used|shot|done) (?:way )?to much\b",
    r"\b(?:gorgote\w*|gorgor\w*)\b|\bronquido (?:muy |bien )?(?:raro|feo|extrano|fuerte)\b",
    r"\b(?:i think i|i) (?:did|took|used) (?:way )?too much\b.{0,40}\b(?:cant breathe|cant breath|so tired|cant stay awake)\b",
    r"(?<!veins )\bcollapsed\b(?! veins?)|\bpassed out\b|\bblacked out\b|\bblacking out\b|\bslumped\b",
    r"\b(?:is|hes|shes|theyre|im|am|i think im|i feel like im|he might be|she might be) (?:\w+ )?dying\b",
    r"\bno pulse\b|\b(?:weak|faint|slow) pulse\b|\bpulse is (?:\w+ )?(?:weak|faint|slow|gone)\b|\bcant find (?:a|his|her) pulse\b",
    r"\bheart (?:is )?(?:slowing|stopping|stopped)\b",
    r"\b(?:i am|im|is|hes|shes) fading\b",
    r"\b(?:shot up|used|hit|took|snorted|smoked|injected|did a shot|did a line)\b.{0,40}\b(?:fell over|fell down|went down|dropped|hit the floor|on the floor|keeled)\b",
    r"\b(?:gave|give|giving|gave her|gave him|used|need|needs|spray|sprayed|get me) (?:him|her|them|me)? ?(?:some |the |a |another |second )?(?:narcan|naloxone)\b(?!.*\b(?:kit|training|class|pharmacy|store|keep|home|buy)\b)",
    r"\b(?:narcan|naloxone)\b.{0,40}\b(?:right now|now|hurry|asap|quick|isnt working|not working|didnt work|still not)\b",
    r"\b(?:call|calling|called) (?:911|an ambulance|ems)\b",
    r"\b(?:eyes|eye) (?:rolled|rolling) back\b|\bcold (?:and|&) (?:clammy|pale|blue)\b",
    r"\bhelp\b.{0,30}\b(?:od|overdos\w*|not breathing|wont wake|dying)\b",
    r"\b(?:od|overdose|overdosing) (?:help|please|now|right now|rn)\b|^(?:od|overdose|overdosing)$",
    r"\bsnoring (?:weird|strange|really loud|and (?:wont|cant|not))\b",
    r"\b(?:overdose|overdosing|od)\b.{0,25}\b(?:happening|right now|here now|in progress)\b|\bsobredosis\b.{0,25}\b(?:ahora|ahorita|en mi casa|aqui)\b",
    r"\b(?:roncando|ronca|respira|respirando) (?:muy |bien |super )?(?:raro|feo|extrano)\b|\bme pase (?:con la dosis|de (?:la )?dosis)\b|\bse paso (?:con la dosis|de (?:la )?dosis)\b",
    # Spanish
    r"\bno (?:respira|respire|esta respirando|puede respirar|reacciona|reaccione|responde|responda|despierta|despierte|se despierta|abre los ojos|se mueve|tiene pulso)\b",
    # falling asleep or fading after heroin or fentanyl
    r"^(?=.*\b(?:chiva|fentanilo|fenta|fentanil|heroina|me meti|se metio|me inyecte|se inyecto|cortada|clonas|pastillas|xanax|alcohol)\b)"
    r".*\b(?:(?:me estoy|se esta|se estan) (?:durmiendo|quedando dormid[oa]s?|desmayando)|(?:me|se) (?:voy|va) a desmayar"
    r"|no (?:me |se )?(?:puedo|puede) mantener(?:me|se)? despiert[oa])\b",
    r"\bsigue sin (?:reaccionar|respirar|despertar|responder|moverse)\b",
    r"\b(?:casi no|apenas) (?:respira|reacciona|responde)\b|\b(?:respira|respiro|respiramos|respirando|esta respirando|estoy respirando) (?:muy |bien |super |re )?(?:lento|lentito|despacio|despacito|poco|poquito|raro)\b",
    # two signs of the skin at once: "esta palida y fria", "pale and cold"
    r"\b(?:palid[oa]|helad[oa]|fri[oa]|azul|morad[oa]|gris)\b,? (?:y|e) (?:bien |muy )?(?:palid[oa]|helad[oa]|fri[oa]|azul|morad[oa]|gris)\b|\b(?:pale|grey|gray|blue|cold)\b,? and (?:so |really |very )?(?:cold|pale|grey|gray|blue|clammy)\b(?!.*\b(?:outside|weather|water|drink|soda|room|house|day|morning|hands? from)\b)",
    r"\b(?:en el|en la) (?:suelo|piso|bano|regadera|cama)\b.{0,20}\b(?:morad[oa]|azul|palid[oa]|sin moverse|no se mueve|tiesa?o?)\b",
    r"\bno (?:lo|la|los) (?:puedo|podemos) despertar\b|\bno (?:puedo|podemos) despertar(?:lo|la|los)\b",
    r"\b(?:esta|estan|se puso|se pone|se esta poniendo|se le pusieron|tiene los labios) (?:\w+ )?(?:azul|azules|morad[oa]s?|inconsciente|desmayad[oa])\b",
    r"\blabios (?:azules|morados)\b|\binconsciente\b|\bse desmayo\b|\bse (?:cayo|desplomo) (?:y|despues)\b",
    r"\b(?:tiene|tuvo|esta (?:teniendo|con)|le (?:dio|esta dando)) (?:una )?sobredosis\b(?!.*\bhace\b)",
    r"\bcreo que (?:tiene|es) (?:una )?sobredosis\b|\bsobredosis (?:ayuda|ahora)\b",
    r"\b(?:se (?:esta|estan) muriendo|me estoy muriendo)\b",
    r"\b(?:tome|tomo|se metio|me meti|uso|use) (?:demasiad[oa]s?|mucho mas)\b",
    r"\bespuma por la boca\b|\bpupilas (?:muy |bien )?(?:chiquititas|chiquitas|chiquitititas|pequenas|pequenitas|diminutas|como puntitos?)\b",
    r"\b(?:me|le|les) cuesta (?:mucho )?respirar\b|\b(?:me estoy|se esta|se estan) apagando\b",
    r"\bcreo que (?:fue|me pase|se paso|use|tome|tomo|me meti|se metio) (?:con )?demasiad[oa]\b",
    # Two signs at once in the first person: numb and the eyes closing ("no siento las manos y se me cierran los ojos").
    r"^(?=.*\bno (?:siento|me siento) (?:las manos|los brazos|las piernas|los pies|el cuerpo|la cara|la boca|nada)\b)"
    r"(?=.*\b(?:se me (?:cierran|estan cerrando) los ojos|no puedo (?:abrir|tener abiertos|mantener abiertos) los ojos|no puedo respirar|me cuesta respirar)\b)",
    # the heart slowing right after using
    r"^(?=.*\b(?:acabo de (?:usar|meterme|inyectarme|fumar)|me (?:meti|inyecte)|just (?:used|did|shot up|shot|took|hit|smoked|snorted)|i used|after (?:i )?(?:used|using|shooting))\b)"
    r"(?=.*\b(?:corazon|heart)\b.{0,25}\b(?:lento|lentito|despacio|despacito|slow\w*)\b)",
    r"^(?=.*\bcant feel my (?:hands|arms|legs|feet|body|face|lips)\b)"
    r"(?=.*\b(?:(?:my )?eyes (?:keep|are) closing|cant keep my eyes open|cant breathe|can barely breathe)\b)",
]
OVERDOSE_PATTERNS += [
    # Spanish: just fainted; gurgling sounds
    r"\b(?:se )?(?:acaba|acabo) de desmayar(?:se)?\b|\b(?:ruidos?|sonidos?) (?:como (?:de )?)?(?:gargaras|ahogad[oa]|gorgote\w*)\b",
    # took something, then numb and drowsy
    r"^(?=.*\b(?:me meti|me inyecte|tome|use|fentanil\w*|fenta|chiva|heroina)\b)(?=.*\bno (?:siento|me siento) (?:las manos|los brazos|las piernas|los pies|el cuerpo|la cara|la boca|nada)\b)"
    r"(?=.*\b(?:(?:tengo|me da|me dio|me entro) (?:mucho |demasiado )?sueno|me (?:estoy )?(?:durmiendo|quedando dormid[oa]))\b)",
    r"^(?=.*\b(?:took|used|shot|did|snorted|smoked|mixed)\b)(?=.*\bcant feel my (?:hands|arms|legs|feet|body|face|lips)\b)"
    r"(?=.*\b(?:so (?:so )?(?:tired|sleepy|heavy)|tired so tired|cant stay awake|nodding (?:off|out)|keep nodding)\b)",
]
# Two different overdose signs in one message, in everyday words, are an overdose
# however they are put ("pinpoint, maybe 4 breaths a minute", "cant keep my eyes
# open ... hands r numb"); one of them alone is not.
OVERDOSE_SIGNS = {
    "pupils": r"\bpinpoint\b|\bpupils\b.{0,20}\b(?:tiny|small|dots|pins)\b|\bpupilas\b",
    "breathing": r"\bforget(?:ting)? to breathe\b|\bpecho (?:muy |bien )?pesado\b|\bchest (?:is |feels )?(?:so )?heavy\b|\bme falta el aire\b|\bbreaths? (?:a|per) minute\b|\b(?:barely|hardly|slow|slowly|shallow|weird|strange) (?:\w+ )?breath\w*|\bbreath\w* (?:is |are |so )?(?:slow|shallow|weird|strange)\b|\b(?:weird|strange|loud|heavy) snor\w*|\bsnoring\b|\brespir\w* (?:lento|raro|poco)\b|\bronc\w*",
    "drowsy": r"\b(?:cant|can not|cannot|hard to) (?:keep|stay) (?:my |his |her )?(?:eyes open|awake)\b|\b(?:keep|keeps|kept) (?:going out|passing out|nodding|drifting|blacking out)\b|\bnodding (?:out|off)\b|\bsinking\b|\bcant (?:get|make) (?:him|her|them) (?:to )?(?:talk|open (?:his|her|their) eyes|sit up|stay awake)\b|\bse (?:me |le )?cierran los ojos\b|\bno (?:puedo|puede) (?:abrir|mantener) los ojos\b",
    "numb": r"\b(?:hands?|arms?|legs?|lips|face|body) (?:are |is |r |feel |feels )?(?:numb|tingl\w*|heavy)\b|\bcant feel my\b|\bno siento (?:las|los|el|la)\b",
    "dark": r"\b(?:everything|everythings|vision|its|it is|world) (?:is )?(?:going|getting|went) (?:dark|black)\b|\bseeing black\b|\bse me (?:esta )?(?:cerrando|apagando) todo\b|\bse me cierra todo\b",
    "dizzy": r"\broom (?:is )?(?:spinning|going slow)\b|\b(?:so |really )?(?:dizzy|lightheaded)\b|\b(?:todo me da vueltas|mareado|mareada)\b",
    "colour": r"\b(?:dusky|pale|grey|gray|ashen|blue|bluish|purple)\b(?! (?:shirt|jeans|car|eyes|sky))|\b(?:like ice|ice cold|cold and clammy|clammy)\b|\b(?:palid[oa]|morad[oa]|helad[oa])\b",
}
SIGN_CONTEXT = r"\b(?:did|just did|stronger|vendieron|cosa|used|took|shot|stuff|dope|fent\w*|heroin|bag|batch|amount|relapsed|since i got out|got out|tonight|couch|floor|bed|room|asleep|since lunch|roommate|nobody is here|me meti|use|chiva)\b"
# A dose stronger than the writer thought: one sign is enough beside it.
STRONGER_THAN_THOUGHT = re.compile(
    r"\b(?:think|thought|pretty sure|guess) (?:it|that|the \w+) (?:was|is|had) (?:fent\w*|cut|laced|pressed|stronger)\b|\b(?:was|is) (?:cut|laced) with (?:fent\w*|something)\b"
    r"|\b(?:was|is|wasnt|isnt) not what (?:he|she|they) said\b|\bnot what i (?:usually get|paid for|ordered)\b|\bno era lo (?:de siempre|mismo)\b|\bmas fuerte que (?:siempre|lo normal)\b"
    r"|\b(?:hit|hits|hitting) (?:way )?(?:different|harder)\b|\b(?:way |much )?stronger than (?:usual|normal|i thought|what i)\b|\bcreo que (?:tenia|traia|era) fenta\w*\b"
)
_SIGNS = {name: re.compile(p) for name, p in OVERDOSE_SIGNS.items()}
_SIGN_CONTEXT = re.compile(SIGN_CONTEXT)


def overdose_signs(text: Text) -> Dict[Text, Text]:
    """Each kind of overdose sign the text names in everyday words -> the words that name it."""
    found = ((name, pattern.search(text)) for name, pattern in _SIGNS.items())
    return {name: match.group(0) for name, match in found if match}


SUICIDAL_PATTERNS += [
    # euphemisms of dying: going home (not the apartment), out on one's own terms, a bullet
    r"\b(?:want|ready|wanna|going) to go home\b.{0,40}\b(?:dont|do not|not) mean\b|\bgo(?:ing)? home to (?:the lord|god|jesus)\b|\bbe with (?:the lord|jesus|god) (?:now|soon|tonight)\b",
    r"\bgo(?:ing)? out on (?:my|his|her|their) own terms\b",
    r"\b(?:put|putting) a bullet (?:in|through) my (?:head|brain|skull)\b|\b(?:eat|eating) (?:a|my) (?:bullet|gun)\b|\bblow my (?:brains|head) out\b",
    r"\b(?:already |i )?know (?:exactly )?(?:where|how|when) (?:id|i would|ill|i will|to) do it\b",
    # a burden in other words; life insurance asked about "either way"
    r"\b(?:weight|anchor|burden|millstone) (?:around|on) (?:their|his|her|our|my familys|the familys) necks?\b",
    r"\blife insurance\b.{0,40}\b(?:pays?|paid|covers?) (?:out )?(?:either way|if i|for suicide|even if)\b",
    # affairs in order, loose ends, things given away
    r"\b(?:got|getting|put|putting|have|had) (?:all )?my affairs in order\b(?!.*\b(?:rehab|treatment|detox|jail|prison|surgery|trip|deploy\w*|move|moving)\b)",
    r"^(?=.*\bgave (?:away )?my (?:\w+ )?(?:dog|cat|guitar|truck|car|tools|watch|xbox|bike)\b)(?=.*\b(?:loose ends|affairs in order|wont need|before the weekend|before friday|before tonight)\b)",
    # a blade or a rope at hand, and not stopping this time
    r"\b(?:razor|blade|knife|rope|pills|gun)\b.{0,20}\b(?:right here|next to me|in front of me|in the closet|in my closet)\b(?=.*\b(?:done|not stopping|this time|miss me|nobody|goodbye)\b)"
    r"|^(?=.*\b(?:nobody|no one) would (?:miss|care)\b)(?=.*\b(?:rope|razor|blade|pills|gun|bridge)\b)",
    # Spanish: ending it today; using all one has "para ya no sentir nada"; affairs left in order, goodbyes left
    r"^(?=.*\b(?:voy a|va a|me voy a) (?:acabar|terminar) con (?:esto|todo)\b)(?=.*\b(?:hoy|esta noche|ya me canse|ya no|de una vez|ahorita)\b)",
    r"\b(?:meterme|tomarme|inyectarme|usar|meterse|tomarse) todo lo que (?:tengo|me queda|tiene|le queda)\b|\bpara (?:ya )?no (?:sentir nada|despertar) nunca mas\b",
    r"^(?=.*\b(?:deje|tengo|dejo) todo (?:arreglado|listo|en orden)\b)(?=.*\b(?:despedir\w*|adios|me falta|da igual)\b)",
]
# One alternation per kind: a search each rather than one per pattern.
_SUICIDAL = re.compile("|".join(f"(?:{p})" for p in SUICIDAL_PATTERNS))
_OVERDOSE = re.compile("|".join(f"(?:{p})" for p in OVERDOSE_PATTERNS))

# A clause about the past ("years ago") or about overdoses in general ("what
# are the signs") is no emergency by its wording alone: the classifier decides.
PAST_OR_GENERAL = re.compile(
    r"\b(?:years?|months?|decades?|a long time|long ago|weeks) (?:ago|back|later)\b|\blast (?:year|summer|spring|winter|fall|month)\b"
    r"|\bin (?:19|20)\d\d\b|\bwhen i was (?:a kid|young|little|\d+|in)\b|\bback (?:in|when)\b|\bgrowing up\b"
    r"|\b(?:passed away|passed from|(?<!own )funeral|anniversary|lost (?:my|her|his|our) \w+ to|survived|was revived|got revived|revived (?:him|her|me)|in recovery|clean since|sober since|years clean|clean for|been clean)\b"
    r"|\bdied (?:of|from|in) (?:an? )?(?:overdose|od)\b|\bused to\b|\bas a (?:kid|teen|teenager|child)\b|\bin (?:my|his|her) (?:teens|20s|30s|twenties|thirties)\b"
    r"|\bwhen (?:i|we|he|she|they) (?:was|were) (?:\d+|a|in|young|little|using)\b|\bwhen i was\b|\b(?:started|began|start|using|used|first|tried|since|age) (?:\w+ )?at (?:1[0-9]|2[0-9])\b|(?<!this is the )(?<!this will be the )(?<!its the )(?<!probably the )(?<!maybe the )(?<!might be the )(?<!gonna be the )\b(?:first|second|last) (?:time|overdose)\b"
    r"|\blast (?:week|weekend|month|night|time)\b.*\b(?:now|since|home|hospital|better(?! off)|okay|ok|fine)\b"
    r"|\b(?:brought (?:him|her|them|me) back|he made it|she made it|they made it|lo salvaron|la salvaron|se salvo|ya esta (?:bien|en (?:la )?casa))\b"
    r"|\b(?:el mes pasado|la semana pasada|la navidad pasada|el verano pasado|en (?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre))\b"
    r"|\bin (?:january|february|march|april|june|july|august|september|october|november|december)\b|\b(?:who|that) (?:tried|attempted) to (?:hang|kill|shoot|overdose)\b"
    r"|\blost (?:my |his |her |our )?\w+ to (?:suicide|an overdose|overdose|fentanyl|drugs)\b"
    r"|\bwhen (?:someone|somebody|a person|people|they|theyre|you|youre) (?:is |are )?(?:overdosing|oding|having an overdose)\b|^is it true\b"
    r"|\b(?:everyone|everybody|so many people|people|so many|tanta gente|todos) (?:is |are |se )?(?:dying|die|dies|overdosing|ods?|mueren|muriendo|estan muriendo) (?:from|of|because of|de|por)\b|\bwhen i first (?:got|started|came|went|quit)\b|\bif (?:i|we|you) (?:ever )?(?:find|see|come across) (?:someone|somebody|a person)\b"
    r"|\ba alguien que\b|\b(?:is|hes|shes|im) (?:doing )?(?:ok|okay|fine|better|well|good) now\b"
    r"|\b(?:what|which) (?:are|is) (?:the )?(?:signs?|symptoms?)\b|\bsigns? of (?:an? )?(?:overdose|od)\b"
    r"|\bhow (?:do|can|would|does|should) (?:you|one|people|someone|a person) (?:tell|know|recognize|spot)\b"
    r"|\bhow (?:do|can|would|will) (?:i|you|we) (?:know|tell) if\b|\bif (?:i|you|someone|somebody|they|he|she|we|my \w+) (?:\w+ )?(?:ever|were to|someday|some day)\b|\b(?:get|getting) in trouble\b|\bgood samaritan\b|^(?:why|how|what) (?:do|does|did) (?:people|someone|a person|opioids|heroin|fentanyl|drugs)\b|\bsi (?:algun dia|alguna vez)\b|\b(?:in the hospital|doctors? (?:say|said|says)|(?:is|shes|hes) improving)\b|^(?:can|could|is it possible to|do people) (?:you|people|someone|a person) (?:\w+ )?(?:take|use|do|get)\b|\b(?:overdose|od) (?:signs|symptoms)\b|^what does\b.{1,40}\bmean\b|^(?:how|what|whats)\b.*\blethal (?:dose|amount)\b|\balgun dia\b|\ben una sobredosis\b|^porque\b|\bin the (?:[1-9]0s|nineties|eighties|seventies|sixties)\b|\b(?:cuando|si) alguien\b|\b(?:can|could|would) (?:i|you) get arrested\b"
    r"|^(?:what|why|how|do|does|is|are|can|could|should|will|would)\b.*\b(?:overdoses|an overdose|during an overdose|in an overdose|with opioids|someone who|a person who|people who)\b"
    r"|^(?:what|why) (?:is|are) (?:the |a |an )?(?!wrong|happening|going on|my |he |she |his |her |him |they |this guy|this girl|the guy|the girl|your )|^por que\b|\bcomo (?:se|sabes?|saber|puedo saber) si\b"
    r"|\bpast (?:self harm|suicide|suicidal|attempts?|overdoses?|history|use)\b|\bhistory of\b"
    r"|\b(?:overdosed|oded|died|passed) at (?:\d+|age \d+)\b|\b(?:shed|hed|she would|he would|they would) (?:have )?(?:be|been|turn|turned) \d+\b|\bmy grief\b|\bgrieving\b"
    r"|\b(?:died|passed away|overdosed|killed (?:him|her)self) (?:\w+ ){0,2}last (?:week|month|year|spring|summer|fall|winter)\b"
    r"|\blast (?:christmas|thanksgiving|easter|new years|halloween|fourth of july|4th of july|birthday)\b|\b(?:narcan|naloxone) worked\b|\by (?:vivio|revivio)\b|\b(?:lo|la) revivimos\b"
    r"|\bif (?:someone|somebody|a person|people|they|theyre|you|youre) (?:is |are )?(?:overdosing|oding|having an overdose)\b"
    # a story of someone's younger years, repeated overdoses before, a release date; asking what a sign means;
    # what happens if one overdoses (second person or anyone), a call to 911 that is only supposed
    r"|\bwhen (?:my|his|her|our) \w+ (?:was|were)\b|\bwent through a phase\b|\bin (?:years|ages)\b|\ba los \d+\b|\bya tengo \d+\b"
    r"|\b(?:overdosed|oded|odd|ods) (?:twice|two times|three times|\d+ times|a few times|several times|before)\b"
    r"|\b(?:gets out|get out|released|comes home|coming home|sale|saldra) (?:of \w+ |de la \w+ )?(?:in|on|next|this|en|el) \w+\b"
    r"|\b(?:always |siempre )?(?:means|quiere decir|quieren decir|significa|significan)\b|\b(?:does|do|did|would|could|can|might|will|that|this|it) (?:\w+ ){0,4}(?:always )?mean\b|\bpuede ser otra cosa\b"
    r"|\bif (?:you|u|someone|somebody|a person|people|one) (?:\w+ )?(?:overdose|overdoses|od|ods|stop breathing|stops breathing|pass out|passes out|go unresponsive)\b"
    r"|\bif (?:i|you|we|someone) (?:call|calls|called) (?:911|an ambulance)\b|\b(?:will|would|can|could|do|does) (?:i|you|we|they|he|she) (?:\w+ )?(?:get|be) (?:arrested|charged|in trouble)\b"
    r"|\b(?:to|on|for) (?:someone|somebody|a person) who (?:isnt|is not|wasnt|doesnt|does not)\b"
    r"|\b(?:should|do|can|would|could) (?:i|you|we)\b.*\bif (?:someone|somebody|a person)\b"
    r"|\bcuando (?:estaba|estuve|estuvo)\b|\b(?:ya )?(?:tengo|llevo|lleva|tiene) (?:\w+ )?(?:anos|meses) (?:bien|limpi[oa]|sobri[oa]|sin usar)\b"
    r"|\bwhat (?:happens|to do) (?:if|when)\b|\bwhat (?:should|do) (?:i|you|we) do if (?:someone|a person|somebody)\b"
    r"|\bwhere (?:can|do|could) (?:i|you|we) (?:get|buy|find|pick up)\b|\b(?:keep|have) (?:one |some )?(?:at|in) (?:home|the house|my car|my bag)\b"
    r"|\b(?:does|do|will|would|can|is|are) (?:\w+ )?(?:narcan|naloxone)\b|^(?:can|could|does|do|is|are|how|where|what|which|why|should|who|will)\b.*\b(?:narcan|naloxone)\b"
    r"|\b(?:narcan|naloxone)\b.*\b(?:cost|price|expire|shelf life|store|pharmacy|prescription|buy|order|kit|training|over the counter|insurance)\b"
    r"|^(?:como|donde|cuanto|que|puedo|se puede|el|la)\b.*\b(?:narcan|naloxona)\b|\b(?:statistics|rate|rates|how many people|percent|movie|book|show|documentary|song|article|essay|class|training)\b"
    r"|\bhace (?:\w+ )?(?:anos|meses|tiempo|mucho)\b|\bel (?:ano|mes) pasado\b|\bsobrevivio\b|\ben recuperacion\b|\b(?:ya )?(?:esta|estoy) (?:mucho )?mejor\b|\bcuando (?:era|tenia)\b|\ben (?:19|20)\d\d\b|\bcuando (?:era|yo era) (?:nino|nina|chico|chica|joven)\b|\bfallecio\b|\bmurio (?:de|por) (?:una )?sobredosis\b"
    r"|\b(?:donde|como) (?:puedo|se puede) (?:conseguir|comprar|obtener)\b|\bcuales son (?:los|las) (?:senales|sintomas)\b|\b(?:senales|sintomas) de (?:una )?sobredosis\b"
)
# An urgent present in the same clause overrides the past/general reading.
NOW = re.compile(
    r"\b(?:right now|rn|tonight|right this second|at the moment|hurry|asap|please help|help me|help him|help her)\b"
    r"|\bstill (?:not|isnt|wont|hasnt|cant|unconscious|unresponsive|blue)\b|\b(?:just|now) (?:found|collapsed|passed out)\b"
    r"|\b(?:ahora mismo|ahorita(?! (?:ya )?(?:estoy|esta|estamos) (?:bien|mejor|tranquil))|ya mismo|urgente|(?<!quiere )(?<!quiero )(?<!busca )(?<!busco )(?<!buscar )(?<!pedir )(?<!pide )(?<!necesita )(?<!recibi )(?<!recibio )(?<!consegui )(?<!busque )(?<!pedi )(?<!reciba )(?<!recibir )(?<!consiga )(?<!conseguir )(?<!tenga )ayuda|ayudame|esta noche|todavia no (?:respira|reacciona|despierta|responde|se mueve|abre)|sigue sin)\b"
)

# Up to this many clauses, the classifier also scores the message as a whole.
WHOLE_MESSAGE_MAX_CLAUSES = 3
# An explicit date: the clauses of a story told with one keep it (a narrower PAST_TIME).
DATED = re.compile(
    r"\b(?:years?|months?|decades?) ago\b|\bin (?:19|20)\d\d\b|\blast (?:year|summer|spring|winter|fall)\b|\bin the (?:[1-9]0s|nineties|eighties)\b"
    r"|\bhace (?:\w+ )?(?:anos|meses)\b|\bel ano pasado\b|\ben (?:19|20)\d\d\b"
    r"|\b(?:died|passed away|overdosed|killed (?:him|her)self) (?:\w+ ){0,2}last (?:week|month|year|spring|summer|fall|winter)\b"
)
# A question asked for the future or in general, said in so many words: its clauses are no emergency either.
HYPOTHETICAL = re.compile(
    r"\b(?:for the future|for future reference|hypothetically|para el futuro"
    r"|(?:if|when) (?:i|we|you) (?:ever )?(?:find|see|come across) (?:someone|somebody|a person)|if (?:someone|somebody|anyone) (?:ever|were to)"
    r"|si (?:algun dia|alguna vez) (?:encuentro|veo))\b"
)
# A clause of a dated story that is about today after all ("and now he isnt breathing").
STILL_NOW = re.compile(r"\b(?:now|again|today|tonight|currently|ahora|otra vez|hoy|esta noche)\b")

# A clause told in the present: not part of a dated story by its neighbour's date alone.
PRESENT_TENSE = re.compile(
    r"\b(?:is|isnt|are|arent|am|im|hes|shes|theyre|wont|cant|cannot|doesnt|keeps|has|hasnt|"
    r"esta|estan|estoy|no (?:respira|reacciona|responde|despierta|se mueve))\b"
)

# A clause that leaves its verb to another one ("he just won't", "she really can't").
ELLIPTICAL = re.compile(
    r"^(?:and |but )?(?:he|she|they|i|it|we|you|my \w+)(?: just| really| simply)? (?:wont|will not|cant|doesnt|dont|isnt|didnt|wouldnt|would not)$"
)
# Words that make an unsure classifier score worth the crisis reply.
DANGER_CUES = re.compile(
    r"\b(?:die|dying|dead|death|alive|breath\w*|wake|waking|kill\w*|hurt\w*|harm\w*|"
    r"pills|overdos\w*|od|oding|unresponsive|fading|bridge|narcan|naloxone|911|pulse|suicid\w*|"
    r"collaps\w*|blue|purple|disappear\w*|exist|burden|pointless|hopeless|rope|gun|jump\w*|cut\w*|"
    r"bleed\w*|limp|respond\w*|forever|blood|"
    r"morir\w*|muer\w*|muriendo|matar\w*|suicid\w*|vivir|respira\w*|despiert\w*|desperta\w*|azul\w*|morad\w*|sobredosis|"
    r"pastillas|lastimar\w*|cortar\w*|desaparecer|acabar|despedi\w*|carga|aguanto|reacciona|responde|pulso|"
    r"inconsciente|desmay\w*|sangr\w*|"
    # plans, means, goodbyes and overdose signs in everyday words
    r"gone|goodbye|bye|notes?|letters?|permanent\w*|funeral|roof|median|traffic|tracks|heart|chest|sleepy|"
    r"drowsy|eyes|nodding|plan\w*|decided|knife|blade|razor|noose|hang\w*|meds|drown\w*|anymore|"
    r"adios|nota|carta|perdon|navaja|cuchillo|colgar\w*|quem\w*|pecho|corazon|ojos|frio|sudad\w*|contesta|"
    r"apag\w*|tirad[oa]|cabeza|decidi\w*|pistola|soga|puente|techo|pena|train|tren|point|under|air|heavy|tingl\w*|high)\b"
)
# Leaving the chat: in a short reply, no danger cue.
FAREWELL = re.compile(r"\b(?:good ?bye|bye+|bye bye|byee+|adios|ciao|chao|see (?:ya|you)|later|take care|cuidate|nos vemos|hasta luego)\b")
# A laugh in the clause: an unsure score is not leant towards the crisis ("even his lips are
# blue from the marker lol"). Patterns and a confident classifier still decide.
LAUGHING = re.compile(r"\b(?<!not )(?<!no )(?:lol|lmao|lmfao|rofl|haha\w*|hehe\w*|jaja\w*|jeje\w*|jiji\w*)\b(?! (?:not|no|jk not) (?:lol|lmao|haha\w*|jaja\w*))")
# Overdoses and deaths that are over: a caring reply, not the emergency script.
PAST_LOSS = re.compile(
    r"\b(?:overdosed|odd|oded|died|passed away|lost|death|suicide|killed (?:him|her|them)self|hung (?:him|her|them)self|sobredosis|murio|fallecio|se mato|perdi|se paso con|se nos fue)\b"
)
PAST_TIME = re.compile(
    r"\b(?:years?|months?|decades?|a long time|long) ago\b|\blast (?:year|summer|spring|winter|fall)\b|\bin (?:19|20)\d\d\b"
    r"|\bwhen i was\b|\bback in\b|\bin the (?:[1-9]0s|nineties|eighties|seventies)\b|\bgrowing up\b|\bpassed away\b|\bfuneral\b|\banniversary\b|\bhace (?:\w+ )?(?:anos|meses|tiempo)\b"
    r"|\bel ano pasado\b|\bcuando (?:yo )?era\b|\bfallecio\b"
)
_QUESTION_START = re.compile(
    r"^(?:and |also |so |but |y |pero |tambien )?(?:how|what|whats|when|where|why|which|who|can|could|do|does|did|is|are|should|will|would|will|any|tell me|"
    r"como|cuanto|cuantos|cuantas|cuando|donde|que|cual|cuales|por que|puedo|puede|es|hay|se puede)\b"
)


def pattern_match(clause: Text) -> Optional[Tuple[Text, List[Text]]]:
    """(kind, every stretch of crisis wording in the clause) from the wording alone,
    or None; suicidal first ("I want to overdose" needs 988)."""
    for kind, pattern in (("suicidal", _SUICIDAL), ("overdose", _OVERDOSE)):
        if pattern.search(clause):
            # a pattern of lookaheads matches no words: the clause stands for them
            words = [m.group(0) or clause for p in (_SUICIDAL, _OVERDOSE) for m in p.finditer(clause)]
            return kind, words
    return None


def pattern_kind(clause: Text) -> Optional[Text]:
    """"suicidal", "overdose" or None from the wording alone."""
    matched = pattern_match(clause)
    return matched[0] if matched else None


# Hopelessness about the addiction itself ("i'll be an addict forever", "nunca voy a
# dejarla"), with no word of life, death or harm: a feeling for the warm reply, unless
# the classifier is very sure.
RECOVERY_HOPELESSNESS = re.compile(
    r"\b(?:addict|addicted|junkie|clean|sober|sobriety|quit|quitting|stop using|recover\w*|relaps\w*|"
    r"hooked|rehab|treatment|adict[oa]|enganchad[oa]|limpi[oa]|dejarla|dejar la|recaer|recai\w*|tratamiento)\b"
)
LIFE_OR_HARM = re.compile(
    r"\b(?:die|dying|dead|death|alive|live|living|life|kill\w*|end it|end this|suicid\w*|hurt\w*|harm\w*|"
    r"disappear\w*|exist\w*|burden|gone|goodbye|anymore|point|pointless|wake|pills|everything|myself|himself|herself|themselves|"
    r"vivir|vida|morir\w*|muer\w*|matar\w*|desaparecer|acabar|ya no)\b"
)
RECOVERY_HOPELESSNESS_SURE = 0.9
# Wanting something better ("i want to be better for my kids", "i wanna be a better man"),
# with no word of life, death or harm: the classifier alone does not make it a crisis.
HOPEFUL_WISH = re.compile(
    r"\b(?:want|wanna|wanting|ready|trying|try|hope) (?:to )?(?:be (?:a )?better|get better|do better|change|get clean|get help|get sober|stay clean"
    r"|make (?:it|things) (?:right|up)|make it up|be there for|be healthy|heal|recover|start over|fix (?:this|things|it))\b"
    r"|\b(?:dont|do not) want to end up like (?:him|her|them|my \w+)\b|\bno quiero (?:terminar|acabar) como (?:el|ella|mi \w+)\b"
    r"|\bquiero (?:ser (?:un[ao]? )?mejor|estar bien|cambiar|salir adelante|recuperar\w*)\b"
)


def is_hopeless_about_recovery(clause: Text) -> bool:
    return bool(RECOVERY_HOPELESSNESS.search(clause)) and not LIFE_OR_HARM.search(clause)


def is_past_or_general(clause: Text) -> bool:
    return bool(PAST_OR_GENERAL.search(clause)) and not NOW.search(clause)


# --- 4. the linear classifier ---------------------------------------------------
LABELS = ("none", "overdose", "suicidal")


def training_files(directory: Path = DATA_DIR) -> List[Path]:
    return sorted(directory.glob("*.yml"))


def extra_examples(directory: Path = DATA_DIR) -> List[Tuple[Text, Text]]:
    """(label, text) from data/crisis/*.yml: `overdose`, `suicidal` and `none` lists."""
    examples = []
    for path in training_files(directory):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for label in LABELS:
            examples += [(label, str(text)) for text in content.get(label) or []]
    return examples


class ClauseClassifier:
    """TF-IDF over character n-grams (2-5, within words) and words (1-2), and a
    logistic regression on top. Fitted with scikit-learn; scoring reads the
    fitted vocabularies and weights directly, since scikit-learn's transform
    costs milliseconds a call in input checks and the sparse matrix it builds."""

    def __init__(self, parts: List[Dict[Text, Any]], weights: np.ndarray, bias: np.ndarray) -> None:
        # parts: one {"vocabulary", "idf", "offset", "analyzer"} per vectorizer, in the weights' column order.
        self.parts = parts
        self.weights = weights
        self.bias = bias
        from sklearn.feature_extraction.text import TfidfVectorizer

        # Per vectorizer: its analyser and, per n-gram, (idf, weight per label) as plain floats.
        self._scoring = []
        for part in parts:
            idf = part["idf"]
            table = {
                gram: (float(idf[index - part["offset"]]), *map(float, weights[index]))
                for gram, index in part["vocabulary"].items()
            }
            self._scoring.append((TfidfVectorizer(**part["analyzer"]).build_analyzer(), table))
        self._bias = tuple(map(float, bias))

    ANALYZERS = (
        {"analyzer": "char_wb", "ngram_range": (2, 5), "min_df": 2, "sublinear_tf": True},
        {"analyzer": "word", "ngram_range": (1, 2), "min_df": 1, "sublinear_tf": True, "token_pattern": r"[a-z0-9]+"},
    )

    @classmethod
    def fit(cls, texts: List[Text], labels: List[Text], C: float = 10.0,
            class_weight: Any = None) -> "ClauseClassifier":
        from scipy.sparse import hstack
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        plain = [without_idioms(normalise(t)) for t in texts]
        parts, matrices, offset = [], [], 0
        for settings in cls.ANALYZERS:
            vectorizer = TfidfVectorizer(**settings)
            matrices.append(vectorizer.fit_transform(plain))
            parts.append({"vocabulary": {g: int(i) + offset for g, i in vectorizer.vocabulary_.items()},
                          "idf": vectorizer.idf_.copy(), "offset": offset, "analyzer": dict(settings)})
            offset += len(vectorizer.vocabulary_)
        targets = np.array([LABELS.index(label) for label in labels])
        model = LogisticRegression(C=C, max_iter=5000, class_weight=class_weight)
        model.fit(hstack(matrices).tocsr(), targets)
        return cls(parts, model.coef_.T.copy(), model.intercept_.copy())

    def scores(self, clause: Text) -> List[float]:
        """The linear scores of one normalised clause (sublinear TF-IDF, L2 per vectorizer)."""
        total = list(self._bias)
        for analyse, table in self._scoring:
            counts: Dict[Text, int] = {}
            for gram in analyse(clause):
                if gram in table:
                    counts[gram] = counts.get(gram, 0) + 1
            if not counts:
                continue
            norm, s0, s1, s2 = 0.0, 0.0, 0.0, 0.0
            for gram, count in counts.items():
                idf, w0, w1, w2 = table[gram]
                value = (1.0 + math.log(count)) * idf
                norm += value * value
                s0 += value * w0
                s1 += value * w1
                s2 += value * w2
            norm = math.sqrt(norm)
            total[0] += s0 / norm
            total[1] += s1 / norm
            total[2] += s2 / norm
        return total

    def probabilities(self, clauses_: List[Text]) -> np.ndarray:
        """One row per (already normalised) clause: P(none), P(overdose), P(suicidal)."""
        scores = np.array([self.scores(c) for c in clauses_])
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def state(self) -> Dict[Text, Any]:
        return {"parts": self.parts,
                "weights": self.weights, "bias": self.bias}


def examples_from(training_data: TrainingData) -> Tuple[List[Text], List[Text]]:
    """The NLU examples (crisis intents positive, every other intent negative) and data/crisis."""
    texts, labels = [], []
    for message in training_data.intent_examples:
        text, intent = message.get(TEXT), message.get(INTENT)
        if not text or not intent:
            continue
        texts.append(text)
        labels.append(KIND_OF_INTENT.get(intent, "none"))
    for label, text in extra_examples():
        texts.append(text)
        labels.append(label)
    return texts, labels


# --- the decision ------------------------------------------------------------
class Decision(dict):
    """{"kind": "overdose"|"suicidal"|None, "by": how, "past": bool, "words": what decided:
    the patterns' matches or the classifier's clause (normalised; kept out of the output)}"""


def decide(text: Text, classifier: Optional[ClauseClassifier], confident: float, lean: float,
           past_confident: float = 0.9) -> Decision:
    plain = without_idioms(normalise(text))
    parts = clauses(plain) or [plain]
    candidates = parts if len(parts) == 1 else parts + [plain]
    own_flags = [is_past_or_general(c) for c in candidates]
    story_flags = own_flags
    dated_story = bool(DATED.search(plain)) and not NOW.search(plain)
    if dated_story:
        # "he overdosed in 2018, and i gave him narcan": a clause cut from a dated story keeps its
        # date, unless it is told in the present ("... my sister isnt breathing").
        story_flags = [past or not (STILL_NOW.search(c) or PRESENT_TENSE.search(c))
                       for past, c in zip(own_flags, candidates)]

    def is_past(kind: Text, index: int) -> bool:
        # Thoughts of suicide beside a dated story are today's: "my dad overdosed in 2018. i want to die".
        return (own_flags if kind == "suicidal" else story_flags)[index]

    # "if i ever find someone unresponsive, do i call 911 first?": no overdose now, but
    # thoughts of suicide in such a message are still heard.
    supposed = bool(HYPOTHETICAL.search(plain)) and not NOW.search(plain)
    # Patterns first, clause by clause; not in a clause about the past or about overdoses in general.
    for index, clause in enumerate(candidates):
        kind, words = pattern_match(clause) or (None, None)
        if kind and not is_past(kind, index) and not (supposed and kind == "overdose"):
            return Decision(kind=kind, by="pattern", past=False, clauses=len(parts), words=words)
    # Overdose signs in everyday words: two kinds in the clauses about now, with a word of using or of the scene.
    signs = {kind: words for clause, past in zip(parts, story_flags) if not past
             for kind, words in overdose_signs(clause).items()}
    enough = len(signs) >= 2 or (signs and STRONGER_THAN_THOUGHT.search(plain))
    if enough and not supposed and _SIGN_CONTEXT.search(plain) and not LAUGHING.search(plain):
        # the signs' own words: the reply's language follows them (a Spanish sign gets the Spanish reply)
        return Decision(kind="overdose", by="signs", past=False, clauses=len(parts), words=list(signs.values()))
    if classifier is not None:
        message_past = story_flags[-1]
        # The classifier reads clauses; a long message as a whole sums many weak
        # cues ("sorry", "burnt", "car") into a false alarm.
        scored = candidates if len(parts) <= WHOLE_MESSAGE_MAX_CLAUSES else parts
        probabilities = classifier.probabilities(scored)
        for index, (clause, row) in enumerate(zip(scored, probabilities)):
            kind_index = int(np.argmax(row[1:])) + 1
            score = float(row[kind_index])
            past = is_past(LABELS[kind_index], index)
            if past or (supposed and kind_index == LABELS.index("overdose")):
                crisis = False  # the patterns had their say; a past or general clause is no emergency
            elif dated_story and score < past_confident:
                crisis = False  # beside a dated story (a loss, grief), only a sure score is today's danger
            elif ELLIPTICAL.search(clause):
                crisis = False  # "he just won't": what he won't do is in another clause
            elif score < RECOVERY_HOPELESSNESS_SURE and is_hopeless_about_recovery(clause):
                crisis = False
            elif HOPEFUL_WISH.search(clause) and not LIFE_OR_HARM.search(clause):
                crisis = False
            elif len(clause.split()) < 3:
                # "ok", "goodbye", "para mi": a short reply needs the classifier sure and a danger
                # cue, and a farewell is none by itself ("goodbye forever" is a pattern)
                crisis = score >= confident and bool(DANGER_CUES.search(FAREWELL.sub(" ", clause)))
            else:
                crisis = score >= confident or (
                    not message_past and score >= lean and bool(DANGER_CUES.search(clause))
                    and not LAUGHING.search(clause))
            if crisis:
                return Decision(kind=LABELS[kind_index], by="classifier" if score >= confident else "lean",
                                score=round(score, 3), past=False, clauses=len(parts), words=[clause])
    past = bool(PAST_LOSS.search(plain) and PAST_TIME.search(plain))
    return Decision(kind=None, by=None, past=past, clauses=len(parts))


def has_question(text: Text) -> bool:
    """Does some clause of the message ask something (for the answer after a crisis reply)?"""
    if "?" in text:
        return True
    plain = normalise(text)
    return any(_QUESTION_START.search(c) for c in clauses(plain))


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class CrisisDetector(GraphComponent):
    """Decides whether each message is a crisis; the last word on crisis intents."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # The classifier alone calls a clause a crisis from this probability.
            "confident": 0.6,
            # With a danger cue in the clause, from this one (leaning towards crisis).
            "lean": 0.4,
            # Logistic regression's inverse regularisation.
            "C": 10.0,
            # A non-crisis intent below this after the detector overruled a
            # crisis guess becomes nlu_fallback (FallbackClassifier's threshold).
            "fallback_threshold": 0.35,
            # The question after a crisis is answered when its intent has at least this confidence.
            "question_threshold": 0.1,
        }

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 classifier: Optional[ClauseClassifier] = None) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.classifier = classifier

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[Text]:
        """data/crisis is read outside Rasa's training data: its content retrains the detector."""
        digest = hashlib.sha256()
        for path in training_files():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        digest.update(Path(__file__).read_bytes())
        return digest.hexdigest()

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "CrisisDetector":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        texts, labels = examples_from(training_data)
        if {"overdose", "suicidal", "none"} <= set(labels):
            self.classifier = ClauseClassifier.fit(texts, labels, C=self.config["C"])
            self.persist()
        return self._resource

    def persist(self) -> None:
        import skops.io as sio

        with self._model_storage.write_to(self._resource) as directory:
            sio.dump(self.classifier.state(), directory / "crisis_classifier.skops")

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "CrisisDetector":
        import skops.io as sio

        classifier = None
        try:
            with model_storage.read_from(resource) as directory:
                path = directory / "crisis_classifier.skops"
                saved = sio.load(path, trusted=TRUSTED_TYPES)
            classifier = ClauseClassifier(saved["parts"], saved["weights"], saved["bias"])
        except (ValueError, FileNotFoundError):
            logger.warning("No crisis classifier in the trained model: crisis patterns only.")
        return cls(config, model_storage, resource, classifier)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def decide(self, text: Text) -> Decision:
        return decide(text, self.classifier, self.config["confident"], self.config["lean"])

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not text or text.startswith("/"):
                continue  # a button's payload names its intent
            decision = self.decide(text)
            words = decision.pop("words", [])
            if decision["kind"]:
                decision["question_intent"] = self._question_intent(message, text)
                self._set_intent(message, INTENT_OF_KIND[decision["kind"]])
                self._answer_in_the_crisis_language(message, words)
            elif decision["past"]:
                decision["question_intent"] = self._question_intent(message, text)
                self._set_intent(message, PAST)
            else:
                self._overrule_crisis_guess(message)
            message.set(OUTPUT, dict(decision), add_to_output=True)
        return messages

    @staticmethod
    def _answer_in_the_crisis_language(message: Message, words: List[Text]) -> None:
        """A crisis said in Spanish inside a mixed message ("mi bro esta passed out y no
        respira bien") is answered in Spanish, though the message as a whole reads English:
        the language of the words that decided it, when those are clear."""
        if any(language_of(stretch) == SPANISH for stretch in words):
            mark_language(message, SPANISH, CrisisDetector.__name__)

    def _ranking(self, message: Message) -> List[Dict[Text, Any]]:
        return [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name")]

    def _question_intent(self, message: Message, text: Text) -> Optional[Text]:
        if not has_question(text):
            return None
        for ranked in self._ranking(message):
            if ranked["name"] not in NOT_A_QUESTION and not ranked["name"].startswith("crisis_"):
                if (ranked.get("confidence") or 0.0) >= self.config["question_threshold"]:
                    return ranked["name"]
                return None
        return None

    def _overrule_crisis_guess(self, message: Message) -> None:
        intent = message.get(INTENT) or {}
        ranking = self._ranking(message)
        overruled = (*CRISIS_INTENTS, PAST)
        guessed = intent.get("name") in overruled or (
            intent.get("name") == FALLBACK and bool(ranking) and ranking[0]["name"] in overruled
        )
        if not guessed:
            return
        others = [r for r in ranking if r["name"] not in overruled and r["name"] != FALLBACK]
        best = others[0] if others else None
        if best is None or (best.get("confidence") or 0.0) < self.config["fallback_threshold"]:
            best = {"name": FALLBACK, "confidence": 1.0 - (best or {}).get("confidence", 0.0)}
        message.set(INTENT, best, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [r for r in ranking if r["name"] not in overruled], add_to_output=True)

    @staticmethod
    def _set_intent(message: Message, intent: Text) -> None:
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent]
        message.set(INTENT, {"name": intent, "confidence": 1.0}, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 1.0}] + ranking, add_to_output=True)
