"""The event phrases of Dari, Pashto and Urdu news, for events.py: each kind's past-tense phrasings,
the words that make a phrase not a past fact, and the words that report speech.

Patterns are matched on the text with its Arabic-script letters unified (`unify_letters`: the
same length, so offsets hold), so 'دیدار کرد' and 'ديدار كرد' are one phrase. A joiner or a space
between two parts of a compound verb is allowed ('گفت‌وگو', 'گفت و گو'). Only past, affirmative
forms are listed: 'دیدار نکرد' (did not meet), 'سفر خواهد کرد' (will travel), 'قرار است سفر کند'
(is to travel), 'سفر به وکړي' and 'دورہ کرے گا' do not match them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from articles.models import EventKind
from articles.text.normalize import unify_letters

_GAP = r"[\s\u200c]*"  # a space, a joiner or nothing between the parts of a compound
# No letter or mark follows (punctuation may: the comma ، and the Urdu full stop ۔ are in the same block).
_WORD_END = r"(?![\u0621-\u065f\u066e-\u06d3\u06d5\u06fa-\u06ff])"

# kind -> phrasings in Dari, Pashto and Urdu (in that order in each list).
_PHRASES: dict[str, list[str]] = {
    EventKind.AGREEMENT: [
        rf"امضا{_GAP}(?:کرد|کردند|نمود|نمودند|شد)", rf"به{_GAP}توافق{_GAP}رسید(?:ند)?", rf"توافق{_GAP}کردند",
        rf"لاسلیک{_GAP}(?:کړ|کړه|کړل|شو|شوه)", rf"هوکړه{_GAP}وکړه", rf"موافقه{_GAP}وکړه",
        rf"دستخط{_GAP}(?:کی|کیے|کر{_GAP}دی[ےی])", rf"معاہد[هے]{_GAP}طے{_GAP}پا(?:یا|گیا)", rf"اتفاق{_GAP}(?:کر{_GAP}لیا|کیا){_WORD_END}",
    ],
    EventKind.STATEMENT: [
        rf"اعلامیه{_GAP}(?:ای|مشترک)?{_GAP}(?:را{_GAP})?(?:نشر|صادر|منتشر|پخش){_GAP}(?:کرد|کردند|نمود|شد)",
        rf"(?:در|با{_GAP}نشر){_GAP}(?:یک{_GAP})?اعلامیه", rf"در{_GAP}(?:یک{_GAP})?(?:پیامی|پیام|توییتی|توییت){_WORD_END}", rf"کنفرانس{_GAP}خبری", r"سخنرانی",
        rf"په{_GAP}(?:یوه{_GAP})?اعلامیه{_GAP}کې", rf"وینا{_GAP}(?:یې{_GAP})?وکړه", rf"په{_GAP}(?:یوه{_GAP})?(?:[\u0600-\u06ff]+{_GAP})?(?:پیغام|ټویټ){_GAP}کې", rf"(?:ٹویٹ|ٹوئٹ|پیغام){_GAP}میں{_WORD_END}", rf"خبري{_GAP}غونډ[هې]", rf"اعلامیه{_GAP}(?:خپره|نشر){_GAP}(?:کړه|کړه|شوه)", rf"خبري{_GAP}کنفرانس",
        rf"بیان{_GAP}جاری{_GAP}کیا", rf"بیان{_GAP}میں{_WORD_END}", rf"خطاب{_GAP}(?:کیا|کرتے{_GAP}ہوئے)", rf"اعلامی[هہ]{_GAP}جاری", rf"مشترک[هہ]{_GAP}اعلامی[هہ]", rf"پریس{_GAP}کانفرنس",
    ],
    EventKind.CONFERENCE: [
        rf"(?:نشست|کنفرانس|همایش|جرگه|اجلاس)[^.؟!]{{0,80}}?(?:برگزار|دایر|تشکیل|منعقد){_GAP}(?:شد|گردید)",
        rf"غونډه[^.؟!]{{0,60}}?(?:جوړه|ترسره|دایره){_GAP}شوه",
        rf"(?:اجلاس|کانفرنس)[^.؟!۔]{{0,60}}?(?:منعقد{_GAP}ہوا|منعقد{_GAP}کیا{_GAP}گیا)",
    ],
    EventKind.TALKS: [
        rf"(?:مذاکرات|گفت{_GAP}و{_GAP}گوها)[^.؟!]{{0,60}}?(?:آغاز{_GAP}شد|برگزار{_GAP}شد|از{_GAP}سر{_GAP}گرفته{_GAP}شد|پایان{_GAP}یافت)",
        rf"خبرې[^.؟!]{{0,60}}?(?:پیل{_GAP}شوې|وشوې|پای{_GAP}ته{_GAP}ورسېدې|پای{_GAP}ته{_GAP}ورسیدې)",
        rf"مذاکرات[^.؟!]{{0,60}}?(?:ہوئے|شروع{_GAP}ہوئے|ختم{_GAP}ہوئے)", rf"ہونے{_GAP}وال[ےی][^.؟!۔]{{0,40}}?مذاکرات",
    ],
    EventKind.VISIT: [
        rf"سفر{_GAP}(?:کرد|کردند|نمود|نمودند)", rf"وارد[^.؟!،]{{1,40}}?{_GAP}شد(?:ند)?{_WORD_END}",
        rf"سفر{_GAP}(?:یې{_GAP})?وکړ{_WORD_END}", rf"ورسېد(?<!پای\sته\sورسېد)(?:ل|ه)?{_WORD_END}", rf"ته{_GAP}(?:راغلی|راغلل|راغی|راغله){_WORD_END}", rf"ورسید(?<!پای\sته\sورسید)(?:ل|ه)?{_WORD_END}",
        rf"دور[هہ]{_GAP}(?:کیا|کیں)", rf"پہنچ{_GAP}(?:گئے|گیا|گئی)", rf"پہنچ(?:ے|ی|ا){_WORD_END}",
    ],
    EventKind.MEETING: [
        rf"دیدار{_GAP}(?:کرد|کردند|نمود|نمودند)", rf"ملاقات{_GAP}(?:کرد|کردند|نمود|نمودند)",
        rf"گفت{_GAP}و{_GAP}گو{_GAP}(?:کرد|کردند|نمود)", rf"(?:پذیرفت|استقبال{_GAP}کرد)",
        rf"وکتل{_WORD_END}", rf"ولیدل{_WORD_END}", rf"لیدنه{_GAP}(?:یې{_GAP})?(?:وکړه|وکړل)", rf"کتنه{_GAP}(?:وکړه|وشوه)",
        rf"ملاقات{_GAP}(?:یې{_GAP})?وکړ{_WORD_END}",
        rf"ملاقات{_GAP}(?:کی|کیں|ہوئی)", rf"سے{_GAP}ملے{_WORD_END}", rf"اجلاس[^.؟!۔،]{{0,60}}?(?<!منعقد){_GAP}ہوا{_WORD_END}", rf"بات{_GAP}چیت{_GAP}(?:کی|ہوئی)",
    ],
    EventKind.ANNOUNCEMENT: [
        rf"اعلام{_GAP}(?:کرد|کردند|نمود|نمودند|شد)",
        rf"اعلان{_GAP}(?:یې{_GAP})?(?:وکړ|وکړه|وکړل|کړ|کړه|کړل|وشو){_WORD_END}",
        rf"اعلان{_GAP}(?:کیا|کر{_GAP}دیا)",
    ],
    EventKind.ATTACK: [
        rf"حمله{_GAP}(?:کرد|کردند|شد)", r"انفجار", rf"حمله{_GAP}انتحاری", rf"حملات{_GAP}هوایی",
        rf"برید{_GAP}(?:وکړ|وشو|وکړل){_WORD_END}", rf"بمباري{_GAP}(?:وکړه|وکړل|کړې|کړه|کړي){_WORD_END}", rf"بمباران{_GAP}(?:کرد|کردند){_WORD_END}", r"چاودنه", rf"هوايي{_GAP}بریدونه",
        rf"حملہ{_GAP}(?:کیا|ہوا)", r"دھماکہ", rf"فضائی{_GAP}حملے",
    ],
    EventKind.OTHER: [
        rf"سقوط{_GAP}(?:کرد|نمود)", rf"(?:وسله{_GAP}وال|جنګیالي|ځواکونه)[^.؟!۔]{{0,80}}?ته{_GAP}(?:راغلل|ننوتل){_WORD_END}", rf"(?:جنگجویان|نیروهای|شبه{_GAP}نظامیان)[^.،؟!]{{0,40}}?وارد[^.،؟!]{{1,40}}?شد(?:ند)?{_WORD_END}", rf"تصرف{_GAP}(?:کرد|کردند|شد)", rf"به{_GAP}دست{_GAP}(?:گرفت|گرفتند)",
        rf"آزاد{_GAP}(?:شد|شدند|کرد|کردند)", rf"رها{_GAP}(?:شد|شدند)", rf"استعفا{_GAP}داد",
        rf"ونیو(?:ل|ه)?{_WORD_END}", rf"خوشې{_GAP}(?:شول|شو|کړل){_WORD_END}", rf"استعفا{_GAP}ورکړه",
        rf"قبض[هہ]{_GAP}کر{_GAP}لیا", rf"رہا{_GAP}(?:کر{_GAP}دیا|کیا|ہوئے|کر{_GAP}دیے)", rf"مستعفی{_GAP}ہو",
    ],
}

# The words that anchor each kind (the matcher reports where they are, so a sentence is tried
# against a pattern only when one is there), in their unified letters.
ANCHORS: dict[str, set[str]] = {
    EventKind.AGREEMENT: {"امضا", "توافق", "لاسلیک", "هوکړه", "موافقه", "دستخط", "معاهده", "معاهدے", "اتفاق"},
    EventKind.STATEMENT: {"اعلامیه", "کنفرانس", "سخنرانی", "بیان", "پریس", "خطاب", "وینا", "پیغام", "خبري", "پیامی", "پیام", "توییتی", "توییت", "ټویټ", "ٹویٹ", "ٹوئٹ"},
    EventKind.CONFERENCE: {"نشست", "کنفرانس", "همایش", "جرگه", "اجلاس", "غونډه"},
    EventKind.TALKS: {"مذاکرات", "خبرې", "ہونے"},
    EventKind.VISIT: {"سفر", "وارد", "ورسېد", "ورسېدل", "ورسېده", "ورسید", "ورسیدل", "دوره", "پہنچ", "پہنچے", "پہنچی", "پہنچا", "راغلی", "راغلل", "راغی", "راغله"},
    EventKind.MEETING: {"دیدار", "ملاقات", "گفت", "پذیرفت", "استقبال", "وکتل", "ولیدل", "لیدنه", "کتنه", "ملے", "بات", "اجلاس"},
    EventKind.ANNOUNCEMENT: {"اعلام", "اعلان"},
    EventKind.ATTACK: {"بمباري", "بمباران", "حمله", "انفجار", "حملات", "برید", "چاودنه", "بریدونه", "حملہ", "دھماکہ", "حملے"},
    EventKind.OTHER: {"جنگجویان", "نیروهای", "وسله", "جنګیالي", "ځواکونه", "سقوط", "تصرف", "دست", "آزاد", "رها", "استعفا", "ونیو", "ونیول", "ونیوه", "خوشې", "قبضه", "رہا", "مستعفی"},
}

# An attack that 'took place' ('برید وشو', 'حمله شد', 'حملہ ہوا') names no attacker: whoever its
# clause names was attacked or was there.
NO_ATTACKER = re.compile(unify_letters(r"(?:وشو|شد|ہوا)$"))

# Who led a delegation ('افغان وفد کی سربراہی ملا محمد یعقوب نے کی', 'وفد کی قیادت ... نے کی'): its
# leader took part in the talks or meeting just told.
DELEGATION_LED = re.compile(unify_letters(r"وفد[\s\u200c]+کی[\s\u200c]+(?:قیادت|سربراہی)"))

# A statement told as earlier than the story's day: 'پیش از این گفته بود' (had said before), Pashto
# 'مخکې', Urdu 'اس سے قبل ... کہا تھا'.
EARLIER = re.compile(unify_letters(
    r"پیش[\s\u200c]+از[\s\u200c]+این|قبلا|قبلاً|مخکې|پخوا|اس[\s\u200c]+سے[\s\u200c]+قبل"
    r"|(?<![\u0600-\u06ff])(?:بود|بودند|وو|تھا|تھے|تھی)(?![\u0600-\u06ff])"
))

# Before a phrase, what makes it not a past fact: 'قرار است', 'خواهد', 'ممکن است', 'ښايي', 'متوقع'.
UNREAL = unify_letters((
    r"قرار{_GAP}است|خواهد|خواهند|ممکن{_GAP}است|احتمال|پیشنهاد|نه{_GAP}تنها|"
    r"ښايي|کېدای{_GAP}شي|کیدای{_GAP}شي|تمه|وړاندیز|"
    r"متوقع|امکان|تجویز"
).replace("{_GAP}", _GAP))


@lru_cache(maxsize=1)
def triggers() -> list[tuple[str, re.Pattern]]:
    """Each kind's phrasings as one pattern, in unified letters like the text they are matched on."""
    return [(kind, re.compile(unify_letters("|".join(patterns)))) for kind, patterns in _PHRASES.items()]


# A deadline in these languages: what must be done by the day ('آزاد می‌شوند', 'خوشې کېږي', 'رہا
# کیے جائیں گے', 'ملک چھوڑنے') comes after the day, and what sets it ('در متن توافق آمده', 'په هوکړه
# کې', 'طے پایا', 'ڈیڈ لائن دے دی') anywhere in the sentence.
DEADLINE_ACTION = re.compile(unify_letters(
    r"آزاد|رها|خروج|بیرون|ترک|خوشی|ووزی|وتل|رها|چهور|انخلا|ملک[\s\u200c]+بدر|واپس|مهلت|دید[\s\u200c]*لاین"
))
DEADLINE_SET = re.compile(unify_letters(
    r"توافق|موافقتنامه|تعهد|هوکره|ژمنه|معاهد|طی[\s\u200c]+پا|دید[\s\u200c]*لاین|مهلت|حکم|اعلان|اعلام|فیصله"
))
