"""Texts written for the relate tests: one report, its derived versions, and an independent report.

All fiction: the Lake Orsund ferry collision, reported by the invented Orsund Courier.
"""

from __future__ import annotations

from newsdesk.records import Article, DigestInfo, DigestMarker, article_id

ORIGINAL = """Two passenger ferries collided in thick fog on Lake Orsund on Thursday morning, injuring 14 people and forcing the evacuation of more than 300 passengers.

The Lakeline ferry Marten was crossing from Holm to Vastby when it struck the smaller Orsund Star about two kilometres off the Holm pier shortly after 7.40am.

"We heard a terrible scraping sound and then everyone was thrown forward," said Agnes Lindqvist, a teacher who was travelling to work on the Marten.

Rescue boats from Holm and Vastby reached the ferries within 20 minutes, and all 312 passengers were taken ashore by 9.30am.

Fourteen people were treated in hospital in Vastby for cuts and bruises, and two crew members of the Orsund Star were kept overnight with head injuries.

The lake authority said visibility had fallen below 50 metres in the hour before the collision.

Lakeline suspended all crossings for the rest of the day and said its own investigators would work with the national accident board.

"Our first thoughts are with the passengers and crew who were hurt," said Lakeline's chief executive, Tomas Brandt.

The Orsund Star, which was built in 1987, suffered a large gash in its bow and was towed to the shipyard at Holm.

The Marten, the newest ship in the fleet, was only lightly damaged.

Local councillors have long called for radar upgrades on the crossing, which carries about 4,000 passengers a day.

The accident board said it expected to publish a preliminary report within 30 days."""

REPOST = """It has been reported that two passenger ferries collided in thick fog on Lake Orsund on Thursday morning, injuring 14 people and forcing the evacuation of more than 300 passengers.

The Lakeline ferry Marten was crossing from Holm to Vastby when it struck the smaller Orsund Star about two kilometres off the Holm pier shortly after 7.40am.

"We heard a terrible scraping sound and then everyone was thrown forward," said Agnes Lindqvist, a teacher who was travelling to work on the Marten.

Rescue boats from Holm and Vastby reached the ferries within 20 minutes, and all 312 passengers were taken ashore by 9.30am.

Fourteen people were treated in hospital in Vastby for cuts and bruises, and two crew members of the Orsund Star were kept overnight with head injuries.

Lakeline suspended all crossings for the rest of the day and said its own investigators would work with the national accident board.

"Our first thoughts are with the passengers and crew who were hurt," said Lakeline's chief executive, Tomas Brandt.

The Orsund Star, which was built in 1987, suffered a large gash in its bow and was towed to the shipyard at Holm.

Local councillors have long called for radar upgrades on the crossing, which carries about 4,000 passengers a day.

The accident board said it expected to publish a preliminary report within 30 days.

Share your photos of the lake with our readers."""

EXCERPT = """From the Orsund Courier's report this morning:

Rescue boats from Holm and Vastby reached the ferries within 20 minutes, and all 312 passengers were taken ashore by 9.30am.

Fourteen people were treated in hospital in Vastby for cuts and bruises, and two crew members of the Orsund Star were kept overnight with head injuries.

The lake authority said visibility had fallen below 50 metres in the hour before the collision.

Lakeline suspended all crossings for the rest of the day and said its own investigators would work with the national accident board."""

SUMMARY = """Two passenger ferries, the Marten and the Orsund Star, collided in fog on Lake Orsund on Thursday, injuring 14 people.

The Marten struck the Orsund Star two kilometres off the Holm pier, and rescue boats from Holm and Vastby took all 312 passengers ashore.

Fourteen people were treated in hospital in Vastby, and two crew members of the Orsund Star stayed overnight.

Visibility had fallen below 50 metres before the collision, and Lakeline suspended crossings while investigators work with the national accident board.

The Orsund Star, built in 1987, was towed to the Holm shipyard, and the accident board expects a preliminary report within 30 days."""

REWRITE = """Two passenger vessels crashed in dense fog on Lake Orsund on Thursday morning, hurting 14 people and forcing the evacuation of over 300 passengers.

The Lakeline ferry Marten was travelling from Holm to Vastby when it hit the smaller Orsund Star roughly two kilometres off the Holm pier shortly after 7.40am.

We heard a terrible scraping sound and then everyone was thrown forward, stated Agnes Lindqvist, a teacher who was travelling to work on the Marten.

Rescue boats from Holm and Vastby got to the ferries within 20 minutes, and all 312 passengers were brought ashore by 9.30am.

Fourteen individuals were treated in the medical centre in Vastby for cuts and bruises, and two crew members of the Orsund Star were held overnight with head injuries.

The lake authority stated visibility had dropped below 50 metres in the hour prior to the collision.

Lakeline halted all crossings for the rest of the day and stated its own investigators would work with the national accident board.

Our first thoughts are with the passengers and crew who were hurt, stated Lakeline's chief executive, Tomas Brandt.

The Orsund Star, which was built in 1987, suffered a large gash in its bow and was towed to the shipyard at Holm.

The Marten, the newest ship in the fleet, was only slightly damaged.

Local councillors have long urged radar upgrades on the crossing, which carries roughly 4,000 passengers a day.

The accident board stated it anticipated publishing a preliminary report within 30 days.

Conclusion: The collision on Lake Orsund raises questions about safety on one of the region's busiest crossings."""

INDEPENDENT = """Fog was blamed on Thursday for a collision between two ferries on Lake Orsund that left 14 people in hospital.

The Orsund Star was holed below the waterline after the Lakeline ship Marten ran into it near Holm, said Ingrid Falk, a spokeswoman for the lake authority.

"We are very lucky that nobody was killed," Ms Falk said, adding that fog had cut visibility to a few dozen metres.

Passengers described a chaotic scene as crew handed out life jackets on the upper decks.

Erik Sund, 67, who was on his way to a hospital appointment in Vastby, said the ship lurched sideways and lights went out for several minutes.

Lakeline said all 312 passengers were safely brought to shore and that its chief executive, Tomas Brandt, would meet injured passengers on Friday.

The two ships were built three decades apart: the Orsund Star in 1987 and the Marten in 2019.

The crossing, which carries about 4,000 people a day, had been due for a new radar system next spring, according to council documents seen by the Vastby Post.

The national accident board has sent two inspectors to Holm and said a preliminary report would follow within a month."""

DIGEST = """Ferries Collide On Lake Orsund, 14 Hurt Two Lakeline ferries collided in fog near Holm on Thursday and 14 people were treated in hospital in Vastby [1][2]. All 312 passengers were taken ashore by rescue boats from Holm and Vastby [1]. Lakeline suspended its crossings and will work with the national accident board [1].

Radar Upgrades Debated Local councillors have long called for radar upgrades on the crossing, which carries about 4,000 passengers a day [1][2]. The accident board expects a preliminary report within 30 days [1]."""


def report(body: str, *, title: str | None, published: str | None, location: str, kind: str = "report",
           digest: DigestInfo | None = None) -> Article:  # fmt: skip
    return Article(
        id=article_id(title, body), title=title, body=body, published=published,
        published_from="text" if published else None, author=None, source=None, url=None, language="en",
        kind=kind, location=location, digest=digest,
    )  # fmt: skip


def ferry_articles() -> dict[str, Article]:
    return {
        "original": report(ORIGINAL, title="Ferries collide in fog on Lake Orsund", published="2026-09-10T11:00:00",
                           location="courier.html"),
        "duplicate": report(ORIGINAL, title="Lake Orsund ferry crash: 14 hurt", published="2026-09-10T13:00:00",
                            location="aggregator.html"),
        "repost": report(REPOST, title="Ferries collide on Lake Orsund", published=None, location="blog.md"),
        "excerpt": report(EXCERPT, title="Ferry crash latest", published="2026-09-11", location="club.md"),
        "summary": report(SUMMARY, title=None, published=None, location="summary.txt"),
        "rewrite": report(REWRITE, title="Fog Ferry Crash Hurts 14 on Lake Orsund", published=None,
                          location="rewrite.txt"),
        "independent": report(INDEPENDENT, title="Fog blamed as ferries collide", published="2026-09-10T15:00:00",
                              location="vastby-post.html"),
        "digest": report(DIGEST, title="Ferries Collide On Lake Orsund", published=None, location="digest.txt",
                         kind="digest", digest=DigestInfo(claimed_article_count=2, markers=(DigestMarker(10, (1,)),))),
    }  # fmt: skip
