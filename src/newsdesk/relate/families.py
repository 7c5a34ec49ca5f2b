"""Families: the articles that come from one origin, with each member's role and parent.

The origin is the earliest dated, fullest member that is not a shorter retelling (summary, excerpt)
of another member. Every other member hangs from the member it is closest to on the way to the
origin; its role is the kind of that relation (a duplicate's role is ``copy``). Digests draw on
several families and never join one: each is a family of its own with the role ``digest``.
The family id is stable: it is the id of the family's first-arrived member, and when two families
meet, the older id survives.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from newsdesk.extract.dates import sort_key
from newsdesk.records import Article, FamilyMember, Relation

_SHORTER_KINDS = {"summary", "excerpt"}
_ROLE = {"duplicate": "copy", "copy": "copy", "excerpt": "excerpt", "rewrite": "rewrite", "summary": "summary"}


def arrange_family(family_id: str, members: list[Article], relations: Iterable[Relation]) -> list[FamilyMember]:
    """Roles and parents for ``members`` (in arrival order), given the relations among them."""
    ids = {a.id for a in members}
    edges = [r for r in relations if r.derived in ids and r.source in ids and r.kind != "digest"]
    shorter = {r.derived for r in edges if r.kind in _SHORTER_KINDS}
    candidates = [a for a in members if a.id not in shorter] or members
    arrival = {a.id: n for n, a in enumerate(members)}
    origin = min(candidates, key=lambda a: _origin_rank(a, arrival[a.id]))

    neighbours: dict[str, list[Relation]] = {a.id: [] for a in members}
    for relation in edges:
        neighbours[relation.derived].append(relation)
        neighbours[relation.source].append(relation)
    parent: dict[str, tuple[str, Relation]] = {}
    seen = {origin.id}
    queue = deque([origin.id])
    while queue:
        current = queue.popleft()
        ranked = sorted(neighbours[current], key=lambda r: (-r.score, arrival[_other(r, current)]))
        for relation in ranked:
            other = _other(relation, current)
            if other not in seen:
                seen.add(other)
                parent[other] = (current, relation)
                queue.append(other)

    placed = []
    for article in members:
        if article.id == origin.id or article.id not in parent:
            placed.append(FamilyMember(article.id, family_id, "origin", None))
            continue
        up, relation = parent[article.id]
        placed.append(FamilyMember(article.id, family_id, _ROLE.get(relation.kind, "copy"), up))
    return placed


def _origin_rank(article: Article, arrival: int) -> tuple[int, str, int, int]:
    dated = 0 if article.published else 1
    return (dated, sort_key(article.published), -len(article.body), arrival)


def _other(relation: Relation, current: str) -> str:
    return relation.source if relation.derived == current else relation.derived


def independent_sources(members: Iterable[FamilyMember]) -> int:
    """How many families of reports the members come from (digests are never sources)."""
    return len({m.family_id for m in members if m.role != "digest"})
