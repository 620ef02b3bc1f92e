"""What the idea page costs per request (issue 18 point 5), and that the parts it shares are shared safely."""
from __future__ import annotations

import re

from triage_support import world  # noqa: F401  (fixture)

from idea4gov.extensions import db
from tests.db_support import count_queries


def _statements(client, url: str) -> list[str]:
    client.get(url)  # the parts every visitor shares are rendered once; count the next view
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return statements


def test_a_signed_in_idea_page_costs_four_queries(client, make_idea, make_user):
    from idea4gov.ideas import services

    idea = make_idea()
    resident = make_user()
    services.add_comment(idea, make_user(), "เห็นด้วยครับ ควรทำโดยเร็ว")
    db.session.commit()
    client.login(resident)
    statements = _statements(client, f"/ideas/{idea.id}")
    on_ideas = [s for s in statements if re.search(r"\bFROM ideas\b", s)]
    # One statement reads the idea, its area, theme and author, and whether the resident supports it;
    # the merged ideas are in the parts every visitor shares.
    assert len(on_ideas) == 1 and "EXISTS" in on_ideas[0].upper() and "JOIN areas" in on_ideas[0], on_ideas
    assert not any("FROM votes" in s and "FROM ideas" not in s for s in statements), statements
    # Then the header (notifications, roles, the judge's menu) and the comments with their replies and
    # authors (and, outside the tests, the account the session names), and what came after the answer:
    # the project, the point, the confirmation round (latest, disputes, the reader's answer), the
    # reader's rating, the event it was developed at. No more, however many comments.
    assert len(statements) <= 12, "\n".join(statements)
    services.vote(idea, resident)
    db.session.commit()
    assert "ถอนการสนับสนุน" in client.get(f"/ideas/{idea.id}").get_data(as_text=True)


def test_officer_tools_never_reach_the_parts_residents_share(client, world):  # noqa: F811
    x, y, _light = world["ideas"]
    client.login(world["officer"])
    assert client.post(f"/triage/ideas/{x.id}/merge", {"target_id": y.id}).status_code == 302
    # The officer is the first to see the target after the merge: the shared parts are made then.
    officer_html = client.get(f"/ideas/{y.id}").get_data(as_text=True)
    assert f'action="/triage/ideas/{x.id}/unmerge"' in officer_html
    client.logout()
    client.login(world["resident"])
    html = client.get(f"/ideas/{y.id}").get_data(as_text=True)
    listed = re.search(r'data-testid="merged-sources".*?</section>', html, re.S).group(0)
    assert f'href="/ideas/{x.id}"' in listed and "unmerge" not in html and "/triage/" not in html
    client.logout()
    anonymous = client.get(f"/ideas/{y.id}").get_data(as_text=True)
    assert f'href="/ideas/{x.id}"' in anonymous and "unmerge" not in anonymous
    client.login(world["officer"])
    assert f'action="/triage/ideas/{x.id}/unmerge"' in client.get(f"/ideas/{y.id}").get_data(as_text=True)


def test_an_unknown_or_huge_idea_number_is_404(client, make_user):
    client.login(make_user())
    for path in ("/ideas/999999", f"/ideas/{2**31}", f"/ideas/{10**30}"):
        assert client.get(path).status_code == 404, path
