"""The words of the synthetic corpus: sentence frames, outlet names and bylines, all our own.

Frames take slots: {p} and {p2} a person, {o} an organization, {l} a place, {t} a topic phrase,
{d} a weekday. Only the slots' names vary, so the tag links can point at the exact offsets.
"""

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

PERSON_FRAMES = [
    "{p} told reporters that the talks would continue after a short pause.",
    "{p} is expected to brief allies on the outcome later this week.",
    "Aides to {p} said a written proposal had been handed over on {d}.",
    "{p} said there was no alternative to a negotiated settlement.",
    "In a televised address, {p} urged patience and restraint.",
    "{p} did not answer questions about the timetable.",
    "People close to {p} described the mood as cautious.",
    "The remarks by {p} drew a quick response from opposition figures.",
]

PERSON_PAIR_FRAMES = [
    "{p} and {p2} met for several hours on {d}.",
    "{p} spoke by telephone with {p2} on {d}, officials said.",
    "A meeting between {p} and {p2} was postponed at short notice.",
]

ORGANIZATION_FRAMES = [
    "A spokesman for {o} said the delegation was ready to meet again.",
    "{o} issued a statement welcoming the latest round of meetings.",
    "{o} said it wanted firm guarantees before any further step.",
    "Officials from {o} declined to comment on the report.",
    "{o} described the discussions as useful but unfinished.",
    "Representatives of {o} were not present at the opening session.",
]

PLACE_FRAMES = [
    "Security was tight around the venue in {l}, with several streets closed to traffic.",
    "Residents of {l} said they were waiting to see whether the promises would hold.",
    "Diplomats in {l} expect another round within weeks.",
    "The delegation arrived in {l} late on {d}.",
    "Prices in the markets of {l} rose again this month, traders said.",
]

MIXED_FRAMES = [
    "{p} met officials from {o} in {l} on {d}.",
    "{p} travelled to {l} to hold talks with {o}.",
    "According to people familiar with the talks, {p} pressed {o} on {t}.",
    "Observers in {l} said {t} remained the hardest point.",
    "{o} said progress on {t} depended on both sides keeping their word.",
    "Asked about {t}, {p} said the question would be settled at the table.",
]

TOPIC_FRAMES = [
    "Much of the session was spent on {t}.",
    "Neither side gave ground on {t}, participants said.",
    "A paper on {t} is being drafted by technical teams.",
]

FILLER = [
    "The two sides agreed to meet again but did not set a date.",
    "Analysts cautioned that similar announcements had stalled before.",
    "No details of the agenda were released.",
    "Several participants spoke on condition of anonymity because they were not authorised to brief the press.",
    "A joint statement is expected once the sessions end.",
    "The talks were held behind closed doors.",
    "Returning families described long queues at the border crossing.",
    "The statement did not mention a timetable.",
    "Critics said the process had left out women and civil society groups.",
    "Technical teams will continue to work on the wording, officials said.",
    "The announcement drew a cautious response from neighbouring capitals.",
    "Aid agencies warned that funding for the coming winter would fall short.",
    "The road to the provincial capital was reopened after weeks of repairs.",
    "Earlier rounds ended with little more than a promise to keep talking.",
    "Local elders said they had not been consulted.",
    "A senior diplomat said the coming days would show whether the commitments were real.",
    "Several points of the draft were still in brackets, according to one participant.",
    "The host government offered to keep the venue available for further meetings.",
    "Prisoner releases and the sequence of steps were among the open questions.",
    "Violence in several districts continued while the delegations met.",
    "Business leaders said uncertainty was keeping investors away.",
    "A second session was added to the schedule at the last minute.",
    "Journalists were allowed into the hall only for the opening remarks.",
    "Translators worked through the night on the final text.",
]

OFF_TOPIC = [
    "The home side won by six wickets with two overs to spare.",
    "Heavy rain delayed the harvest in several districts.",
    "The central bank left its main interest rate unchanged.",
    "A new bus line will link the airport with the old city from next month.",
    "The museum reopened after two years of restoration work.",
    "Exporters said the price of dried fruit had fallen sharply.",
    "Hospitals reported a rise in seasonal flu cases.",
    "The festival drew larger crowds than organisers had expected.",
    "Ticket sales for the final opened on Monday.",
    "Farmers asked for help with the cost of fuel and fertiliser.",
    "The city council approved a plan to widen the main avenue.",
    "A heatwave pushed electricity demand to a record.",
]

TITLE_FRAMES = [
    "{p} meets {o} leaders in {l}",
    "{o} says talks on {t} will resume",
    "Talks in {l} end without agreement on {t}",
    "{p} visits {l} as {t} stalls",
    "{o} welcomes new round in {l}",
    "{p} urges progress on {t}",
    "Delegations gather in {l} for fresh talks",
    "{p} and {o} trade proposals on {t}",
]

OFF_TOPIC_TITLES = [
    "Rain delays harvest across the north",
    "Central bank holds rates steady",
    "Museum reopens after restoration",
    "Home side seals series with a late win",
    "City approves wider main avenue",
    "Dried fruit prices fall as exports slow",
]

OUTLET_PLACES = [
    "Frontier", "Valley", "Capital", "Continental", "Harbor", "Northern", "Eastern", "Western", "Southern",
    "Highland", "River", "Crescent", "Meridian", "Summit", "Plateau", "Delta", "Atlas", "Orient", "Coastal", "Metro",
]
OUTLET_NOUNS = [
    "Times", "Ledger", "Courier", "Herald", "Dispatch", "Wire", "Monitor", "Review", "Post", "Tribune", "Observer",
    "Chronicle",
]

FIRST_NAMES = [
    "Amina", "Bilal", "Clara", "Daud", "Elena", "Farid", "Grace", "Hamid", "Irene", "Javed", "Karima", "Lucas",
    "Maryam", "Nadir", "Olga", "Parwin", "Qasim", "Rosa", "Samir", "Tara",
]
LAST_NAMES = [
    "Ahmadi", "Baker", "Chaudhry", "Durrani", "Evans", "Faizi", "Gul", "Hussaini", "Iqbal", "Jensen", "Karimi",
    "Lindqvist", "Mohseni", "Noori", "Owens", "Popal", "Rahimi", "Sadat", "Tanaka", "Wardak",
]

# Quotations: {q} is the quoted words, attributed to the person or organization in the frame.
QUOTE_FRAMES = [
    '"{q}," {p} said.',
    '"{q}," {p} told reporters on {d}.',
    '{p} said: "{q}."',
    '"{q}," a statement from {o} said.',
]

QUOTES = [
    "We came here to reach an agreement, not to make speeches",
    "Nobody should expect a solution in a single round",
    "The door to dialogue remains open",
    "Our people have waited long enough for peace",
    "There can be no lasting settlement without a ceasefire",
    "We will judge the other side by its actions, not its words",
    "The next steps depend on what happens on the ground",
    "Every party at the table has made compromises",
    "We are ready to continue as long as it takes",
    "The region as a whole has a stake in the outcome",
    "These talks are the best chance we have had in years",
    "We will not accept conditions imposed from outside",
]
