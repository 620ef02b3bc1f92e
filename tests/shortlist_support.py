"""Shared set-up for the shortlist tests: an area with ideas, an organiser, a shortlist."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from idea4gov.extensions import db

#: Thai that breaks careless code: stacked vowels and tone marks, ๆ, ฯ, Thai digits, emoji.
TRICKY_TITLE = "น้ำท่วมขังซ้ำๆ ที่ซอย ๑๒ กรุงเทพฯ ก็ยังไม่แก้ 🌊🚲"
TRICKY_BODY = ("ฤๅษีเดินลุยน้ำกี่ครั้งก็ไม่ไหว ผู้สูงอายุเดินลำบาก ฯลฯ ขอให้เขตลอกท่อระบายน้ำ "
               "ภายใน ๓๐ วัน 👵🏽 และติดป้ายเตือน “ระวังลื่น”\nบรรทัดที่สอง: ๑,๒๓๔ บาท")


@dataclass
class World:
    area: object
    other_area: object
    organiser: object
    ideas: list
    shortlist: object = None


@pytest.fixture(name="world")
def world_fixture(app, make_area, make_staff, make_idea, make_user):
    area = make_area(slug="saensuk", themes=(("beach", "ขยะชายหาด", "Beach litter"),
                                              ("tourism", "ท่องเที่ยวชุมชน", "Community tourism")))
    other_area = make_area(slug="huawiang")
    organiser = make_staff("organiser", area, display_name="ผู้จัด แสนสุข")
    ideas = [
        make_idea(area=area, title=f"ไอเดียที่ {i} เพิ่มถังขยะริมหาด",
                  body=f"รายละเอียดไอเดียที่ {i} ขยะบนชายหาดเยอะมาก อยากให้เพิ่มถังขยะแยกประเภท",
                  theme=area.themes[i % 2])
        for i in range(1, 6)
    ]
    return World(area=area, other_area=other_area, organiser=organiser, ideas=ideas)


def make_shortlist(world: World, name: str = "MY BETTER COUNTRY HACKATHON 2569", idea_count: int = 3):
    from idea4gov.shortlists import services

    shortlist = services.create_shortlist(
        world.organiser, services.ShortlistInput(name, None, "", [world.area]))
    services.add_ideas(shortlist, [idea.id for idea in world.ideas[:idea_count]], world.organiser)
    db.session.commit()
    return shortlist
