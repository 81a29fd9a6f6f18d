"""Word lists the tagger shares: calendar words, titles and honorifics, words that are never names.

Everything here is in folded form (see normalize.fold): lowercase, no diacritics.
"""

from __future__ import annotations

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
MONTH_NAMES = [m for m in MONTHS if len(m) > 3 or m == "may"]

WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}

# Honorifics put before a name. Alone they are never a person.
HONORIFICS = {
    "mr", "mrs", "ms", "dr", "prof", "professor", "sir", "dame", "mullah", "mawlawi", "maulvi", "molvi",
    "maulana", "sheikh", "shaikh", "haji", "hajji", "hafiz", "qari", "khalifa", "sayed", "sayyid", "syed",
    "ustad", "ustaz", "amir", "emir", "king", "queen", "prince", "princess", "crown prince", "his excellency",
    "her excellency", "excellency", "ambassador", "general", "gen", "lt", "lieutenant", "colonel", "col",
    "major", "maj", "brigadier", "brig", "captain", "capt", "admiral", "adm", "marshal", "air marshal",
    "commander", "senator", "sen", "rep", "representative", "congressman", "congresswoman", "governor", "gov",
    "president", "vice president", "minister", "prime minister", "secretary", "chairman", "chairwoman",
    "speaker", "judge", "justice", "mayor", "envoy", "imam", "mufti", "pir", "agha", "engineer", "eng",
    "lt general", "lieutenant general", "major general", "maj gen", "lt gen", "brig gen", "amir al mu'minin",
    "mulla", "molla", "maulawi", "mawlavi", "moulvi", "alhaj", "al haj", "qazi",
}

# Words for a job or rank: they introduce a person the knowledge base may not know.
ROLE_NOUNS = {
    "minister", "president", "vice president", "prime minister", "senator", "sen", "representative",
    "rep", "congressman", "congresswoman", "governor", "ambassador", "envoy", "commander", "spokesman",
    "spokeswoman", "spokesperson", "general", "gen", "lieutenant general", "lt general", "lt gen",
    "major general", "maj gen", "brigadier", "brigadier general", "brig gen", "colonel", "admiral",
    "secretary", "secretary general", "under secretary", "undersecretary", "director", "director general",
    "chairman", "chairwoman", "chair", "mayor", "judge", "chief justice", "king", "crown prince", "prince",
    "emir", "adviser", "advisor", "special representative", "special envoy", "chief", "head", "leader",
    "deputy", "negotiator", "chief negotiator", "mullah", "mawlawi", "maulvi", "maulana", "sheikh", "qari",
    "haji", "hafiz", "foreign secretary", "high commissioner", "special rapporteur", "deputy leader",
    "police chief", "intelligence chief", "army chief", "military chief", "charge d'affaires",
}

# Words before a role that make it a past one: "former President Karzai" was not president then.
PAST_ROLE_MARKERS = {"former", "ex", "then", "late", "erstwhile", "onetime", "one time"}

# A name followed by one of these is a building, a prize or a road named after a person, not the
# person: "Hamid Karzai International Airport", "Bacha Khan University".
EPONYM_HEADS = {
    "international", "airport", "university", "hospital", "foundation", "institute", "stadium",
    "road", "street", "avenue", "square", "bridge", "dam", "mosque", "madrassa", "madrasa", "center",
    "centre", "library", "award", "prize", "memorial", "school", "college", "museum", "highway",
    "trust", "scholarship", "lecture", "mausoleum", "shrine", "tomb", "hall", "park", "market", "port",
}

# Capitalised words that begin sentences or fill boilerplate; never a part of a person's name.
NEVER_NAME_WORDS = {
    "the", "a", "an", "and", "or", "but", "if", "in", "on", "at", "by", "for", "from", "of", "to", "with",
    "as", "after", "before", "during", "since", "until", "while", "when", "where", "which", "who", "whose",
    "this", "that", "these", "those", "there", "here", "then", "than", "it", "its", "he", "she", "they",
    "we", "you", "i", "his", "her", "their", "our", "my", "your", "him", "them", "us", "meanwhile",
    "however", "moreover", "also", "follow", "read", "more", "click", "subscribe", "share", "advertisement",
    "matters", "according", "earlier", "later", "today", "yesterday", "tomorrow", "tonight", "last",
    "next", "new", "senior", "former", "acting", "deputy", "special", "chief", "foreign", "interior",
    "defence", "defense", "finance", "national", "security", "affairs", "state", "ministry", "minister",
    "office", "council", "commission", "committee", "government", "army", "forces", "force", "police",
    "mission", "embassy", "province", "district", "city", "capital", "region", "republic", "emirate",
    "islamic", "united", "nations", "union", "group", "party", "movement", "front", "network", "agency",
    "department", "bureau", "directorate", "headquarters", "staff", "general", "president", "prime",
    "secretary", "spokesman", "spokeswoman", "spokesperson", "ambassador", "envoy", "commander", "leader",
    "head", "director", "chairman", "governor", "senator", "mayor", "official", "officials", "sources",
    "source", "reuters", "associated", "press", "news", "times", "post", "tv", "radio", "online",
    "afghan", "afghans", "american", "americans", "pakistani", "pakistanis", "indian", "iranian",
    "russian", "chinese", "qatari", "turkish", "uzbek", "tajik", "british", "european", "western",
    "taliban", "talib", "islamabad", "kabul", "doha", "washington", "moscow", "beijing", "tehran",
    "peace", "talks", "process", "agreement", "deal", "war", "conference", "summit", "meeting",
    "statement", "letter", "plan", "week", "month", "year", "day", "morning", "evening", "night",
    "north", "south", "east", "west", "northern", "southern", "eastern", "central", "sir", "excellency",
    "covid", "coronavirus", "eid", "ramadan", "al", "el", "mr", "mrs", "ms", "dr",
} | set(MONTHS) | set(WEEKDAYS)

# Particles inside a name ("Osama bin Laden", "Abd al-Rahman"), allowed in lowercase.
NAME_PARTICLES = {"bin", "ibn", "ul", "ud", "al", "el", "e", "de", "van", "von", "der", "da", "di"}

SPEECH_VERBS = {
    "said", "says", "say", "told", "tells", "added", "adds", "stated", "states", "wrote", "writes",
    "noted", "notes", "insisted", "insists", "warned", "warns", "stressed", "stresses", "declared",
    "declares", "asked", "asks", "argued", "argues", "explained", "explains", "announced", "announces",
    "tweeted", "posted", "replied", "responded", "continued", "urged", "urges", "affirmed", "emphasized",
    "emphasised", "reads", "read", "concluded", "acknowledged", "admitted", "claimed", "claims",
}

# Words whose places the matcher reports in its one pass, so that finding dates, roles and event
# triggers needs no scan of its own. A capital in a word here must be a capital in the text.
DATE_ANCHORS = {
    "month": {m.capitalize() for m in MONTHS} | {"Sept."},
    "weekday": {d.capitalize() for d in WEEKDAYS},
    "relative": {"today", "yesterday", "tomorrow", "tonight", "ago", "week", "month", "year", "day", "days", "weeks", "months", "years"},
}
ATTENDANCE_WORDS = {"attended", "present", "accompanied", "joined"}

# Capitalised words that may stand right before or after a name without being part of it: titles,
# honorifics, and the words that open a sentence or follow a name ('President Ghani', 'Ghani Said').
NAME_CONTEXT_WORDS = HONORIFICS | ROLE_NOUNS | NEVER_NAME_WORDS | {
    "afghan", "pakistani", "american", "us", "u.s", "un", "nato", "taliban", "iranian", "indian", "chinese",
    "russian", "qatari", "said", "says", "told", "added", "met", "also", "who", "whose",
}
