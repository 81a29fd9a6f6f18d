"""Events of Dari, Pashto and Urdu texts, dated by their native dates: reported ones, and the
negated, planned and hoped-for ones that are not events."""

import datetime as dt

import pytest

from articles.tagging import analyze

pytestmark = pytest.mark.django_db

PUBLISHED = dt.date(2021, 1, 27)  # 8 Dalw 1399, a Wednesday


def events(body: str, published=PUBLISHED):
    return [(e.kind, e.date.key(), e.date_text) for e in analyze(title="", body=body, published_at=published).events]


def test_a_meeting_dated_by_a_solar_hijri_day_says_its_calendar():
    found = events("زلمی خلیلزاد روز سه‌شنبه، ۷ دلو ۱۳۹۹، در دوحه با ملا عبدالغنی برادر دیدار کرد.")
    assert ("meeting", "2021-01-26", "7 دلو 1399 (Solar Hijri)") in found


def test_a_meeting_dated_by_a_relative_word():
    assert [(kind, day) for kind, day, _ in events("زلمی خلیلزاد دیروز در دوحه با ملا عبدالغنی برادر دیدار کرد.")] == [
        ("meeting", "2021-01-26")
    ]


def test_a_negated_meeting_is_not_an_event():
    assert events("زلمی خلیلزاد دیروز در دوحه با ملا عبدالغنی برادر دیدار نکرد.") == []


def test_a_planned_meeting_is_not_an_event():
    assert events("قرار است زلمی خلیلزاد فردا در دوحه با ملا عبدالغنی برادر دیدار کند.") == []
    assert events("زلمی خلیلزاد روز شنبه در دوحه با ملا عبدالغنی برادر دیدار خواهد کرد.") == []


def test_a_hoped_for_meeting_is_not_an_event():
    assert events("امید می‌رود زلمی خلیلزاد روز شنبه در دوحه با ملا عبدالغنی برادر دیدار کند.") == []


def names(body: str, published=PUBLISHED):
    """Each event's kind, day and participants by name."""
    from articles.tagging.knowledge import get_index

    entities = get_index().matcher.entities
    return [
        (e.kind, e.date.key(), sorted(entities[key].name for key in e.participants if key[0] != "new"))
        for e in analyze(title="", body=body, published_at=published).events
    ]


def test_urdu_and_pashto_phrases_match_whatever_letters_the_text_types():
    # 'پہنچ گئے' with Urdu heh and yeh barree: the phrase matches the text in unified letters.
    urdu = "عمران خان بدھ کو کابل پہنچ گئے۔"
    assert names(urdu) == [("visit", "2021-01-27", ["Imran Khan"])]
    pashto = "زلمی خلیلزاد پرون په دوحه کې له ملا عبدالغني برادر سره وکتل."
    assert names(pashto) == [("meeting", "2021-01-26", ["Abdul Ghani Baradar", "Zalmay Khalilzad"])]


def test_an_urdu_full_stop_ends_a_sentence():
    # Two sentences: the second's participant is not the first's, and its date is not borrowed.
    found = names("عمران خان بدھ کو کابل پہنچ گئے۔ شاہ محمود قریشی نے ملاقات کی۔")
    assert found == [("visit", "2021-01-27", ["Imran Khan"])]


def test_a_session_held_on_a_day_is_dated_by_the_day_inside_its_phrase():
    found = names("شاہ محمود قریشی کی صدارت میں اجلاس بدھ کو اسلام آباد میں منعقد ہوا۔")
    assert found == [("conference", "2021-01-27", ["Shah Mahmood Qureshi"])]
    found = names("قومی سلامتی کمیٹی کا اجلاس منگل کو ہوا جس میں شاہ محمود قریشی نے شرکت کی۔")
    assert found == [("meeting", "2021-01-26", ["Shah Mahmood Qureshi"])]


def test_a_planned_urdu_session_is_no_event():
    assert names("شاہ محمود قریشی کی صدارت میں اجلاس جمعرات کو منعقد ہو گا۔") == []


def test_an_undated_sentence_says_who_signed_the_agreement_just_reported():
    body = (
        "ایالات متحده امریکا و گروه طالبان روز سه‌شنبه در دوحه توافقنامه‌ای را امضا کردند. "
        "این توافقنامه را زلمی خلیلزاد و ملا عبدالغنی برادر امضا کردند."
    )
    assert names(body) == [("agreement", "2021-01-26", ["Abdul Ghani Baradar", "Taliban", "Zalmay Khalilzad"])]


def test_an_undated_negated_signing_adds_no_one():
    body = (
        "ایالات متحده امریکا و گروه طالبان روز سه‌شنبه در دوحه توافقنامه‌ای را امضا کردند. "
        "زلمی خلیلزاد این توافقنامه را امضا نکرد."
    )
    assert names(body) == [("agreement", "2021-01-26", ["Taliban"])]


def test_an_urdu_title_that_opens_the_sentence_is_the_person_the_story_is_about():
    body = (
        "وزیراعظم عمران خان نے کہا ہے کہ افغانستان میں امن ضروری ہے۔ "
        "وزیراعظم نے یہ بات منگل کو اسلام آباد میں ایک تقریب سے خطاب کرتے ہوئے کہی۔"
    )
    assert names(body) == [("statement", "2021-01-26", ["Imran Khan"])]


def test_an_urdu_relative_clause_has_its_own_day_and_subject():
    body = "شاہ محمود قریشی نے امیر خان متقی سے ملاقات کی، جو بدھ کو اسلام آباد پہنچے تھے۔"
    assert names(body) == [("visit", "2021-01-27", ["Amir Khan Muttaqi"])]


def test_fighters_entering_a_city_take_it_and_the_clause_before_is_another():
    # 'و' after a past verb opens a new clause: Ghani left, then the fighters entered, which is no visit of his.
    body = "محمد اشرف غنی کشور را ترک کرد و امروز جنگجویان طالبان وارد شهر کابل شدند."
    assert names(body, dt.date(2021, 8, 15)) == [("other", "2021-08-15", ["Taliban"])]


def test_a_meeting_that_came_to_an_end_is_no_arrival():
    body = "د زلمی خلیلزاد او ملا عبدالغني برادر ترمنځ غونډه نن پای ته ورسېده."
    assert [kind for kind, _day, _who in names(body)] != ["visit"]


def test_an_attack_that_took_place_names_no_attacker():
    # The Taliban were attacked: 'پر ... برید وشو' (an attack took place on ...) names no attacker.
    body = "نن د طالبانو پر یوې غونډې ځانمرګی برید وشو."
    assert names(body) == []


def test_where_a_native_event_happened():
    def place(body):
        from articles.tagging.knowledge import get_index

        entities = get_index().matcher.entities
        return [entities[e.place].name if e.place else None for e in analyze(title="", body=body, published_at=PUBLISHED).events]

    assert place("زلمی خلیلزاد روز سه‌شنبه در دوحه با ملا عبدالغنی برادر دیدار کرد.") == ["Doha"]
    assert place("شاہ محمود قریشی نے منگل کو اسلام آباد میں امیر خان متقی سے ملاقات کی۔") == ["Islamabad"]


def test_a_pashto_arrival_and_the_meeting_after_the_comma_are_two_events():
    # The comma after the verb ends the arrival's clause; 'یې' (they) in the next is the delegation's leader.
    body = "د طالبانو پلاوی د ملا عبدالغني برادر په مشرۍ سه‌شنبه پاکستان ته راغلی، نن یې له شاه محمود قریشي سره وکتل."
    assert names(body) == [
        ("visit", "2021-01-26", ["Abdul Ghani Baradar"]),
        ("meeting", "2021-01-27", ["Abdul Ghani Baradar", "Shah Mahmood Qureshi"]),
    ]


def test_a_phrase_before_a_comma_or_an_urdu_full_stop_ends_its_word():
    assert names("امیر خان متقی بدھ کو اسلام آباد پہنچے۔") == [("visit", "2021-01-27", ["Amir Khan Muttaqi"])]


def test_a_pashto_written_message_is_a_statement_and_an_organization_before_a_comma_is_no_title():
    body = "د طالبانو مشر هیبت الله اخوندزاده نن په یوه لیکلي پیغام کې له نوي حکومت وغوښتل چې کار وکړي."
    assert names(body) == [("statement", "2021-01-27", ["Hibatullah Akhundzada"])]
    body = "طالبانو نن، د ملا محمد حسن اخوند په مشرۍ خپله کابینه اعلان کړه."
    assert names(body) == [("announcement", "2021-01-27", ["Mohammad Hasan Akhund", "Taliban"])]


def test_armed_men_coming_into_cities_is_no_visit():
    body = "پرون په زرګونو وسله وال طالبان د کابل، کندهار او کندز ښارونو ته راغلل."
    assert [kind for kind, _day, _who in names(body)] in ([], ["other"])


def test_a_dari_statement_of_the_story_s_day_without_its_own_day():
    # The dateline on its own line, the story's day in the next sentence, a statement after it.
    body = (
        "کابل، چهارشنبه ۸ دلو ۱۳۹۹\n"
        "زلمی خلیلزاد امروز در دوحه با ملا عبدالغنی برادر دیدار کرد.\n"
        "حامد کرزی نیز در پیامی ویدیویی از این دیدار استقبال کرد."
    )
    assert ("statement", "2021-01-27", ["Hamid Karzai"]) in names(body)


def test_an_earlier_or_dated_or_unspoken_statement_does_not_take_the_story_s_day():
    opening = "کابل، چهارشنبه ۸ دلو ۱۳۹۹\nزلمی خلیلزاد امروز در دوحه با ملا عبدالغنی برادر دیدار کرد.\n"
    # 'پیش از این ... گفته بود': said before.
    assert all(kind != "statement" for kind, _d, _w in names(opening + "حامد کرزی پیش از این در پیامی گفته بود که صلح لازم است."))
    # No speaker named before the phrase.
    assert all(kind != "statement" for kind, _d, _w in names(opening + "در اعلامیه مشترک آمده است که طالبان باید صلح کنند."))


def test_a_dari_tweet_dated_by_its_own_day():
    body = "سهیل شاهین دیروز در توییتی نوشت که هیات طالبان در نشست‌ها شرکت نمی‌کند."
    assert names(body) == [("statement", "2021-01-26", ["Suhail Shaheen"])]


def test_urdu_talks_held_on_a_day_and_who_led_the_other_delegation():
    body = (
        "منگل کو ہونے والے مذاکرات میں پاکستانی وفد کی قیادت شاہ محمود قریشی نے کی۔ "
        "افغان وفد کی سربراہی امیر خان متقی نے کی۔"
    )
    assert names(body) == [("talks", "2021-01-26", ["Amir Khan Muttaqi", "Shah Mahmood Qureshi"])]
    # Talks to be held on a coming day are not an event.
    assert names("جمعرات کو ہونے والے مذاکرات میں شاہ محمود قریشی شرکت کریں گے۔") == []
