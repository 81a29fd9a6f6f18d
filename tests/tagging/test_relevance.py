"""Relevance: is a piece about the peace process and its aftermath? Floods, prices and aid (the
context topics) are news of any year in Afghanistan: alone, with an official's response, they are
not about the process; with the Taliban in the story, they are."""

import datetime as dt

import pytest

from articles.tagging import analyze
from articles.tagging.knowledge import get_index

pytestmark = pytest.mark.django_db

FLOOD = (
    "Flash floods after heavy rain hit Charikar, the capital of Parwan province, early on Wednesday, "
    "killing at least 70 people and destroying hundreds of houses. Floods also swept through Bagram "
    "district. First Vice President Amrullah Saleh said a government team had been sent to Parwan to "
    "help with relief and to assess the damage from the floods, and families would get emergency aid."
)


def relevant(body: str) -> bool:
    return analyze(title="", body=body, index=get_index(), published_at=dt.date(2020, 8, 26)).is_relevant


def test_a_flood_with_an_officials_response_is_not_about_the_process():
    assert not relevant(FLOOD)


def test_the_same_news_with_the_taliban_in_it_is():
    aid = FLOOD.replace(
        "First Vice President Amrullah Saleh said a government team",
        "Zabihullah Mujahid, the Taliban's spokesman, said a team of the Taliban administration",
    )
    assert relevant(aid)


def test_dari_flood_news_is_not_about_the_process():
    dari = (
        "سیلاب‌های ناشی از بارندگی‌های شدید امروز شهر چاریکار مرکز ولایت پروان و ولسوالی بگرام را فرا گرفت "
        "و دست‌کم ۷۰ تن را کشت. امرالله صالح، معاون اول ریاست جمهوری، گفت که هیئتی برای کمک به "
        "آسیب‌دیدگان سیلاب به پروان فرستاده شده است."
    )
    assert not relevant(dari)
