"""The relate stage: is a new article a duplicate, copy, excerpt, rewrite, summary or digest of one
already stored, and which family of one origin does it belong to?

Incremental: a new article's candidates come from the MinHash LSH index in the store (whole text and
single sentences), never from all stored articles, so its cost does not grow with the store. The
relation itself is decided by aligning sentences (:mod:`newsdesk.relate.align`,
:mod:`newsdesk.relate.classify`); families are rearranged around the new member
(:mod:`newsdesk.relate.families`).
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from newsdesk.analyse import split_sentences, words
from newsdesk.analyse.tokens import fold_word, raw_words
from newsdesk.errors import StoreError
from newsdesk.records import Article, FamilyMember, Relation
from newsdesk.relate.align import Profile, profile
from newsdesk.relate.classify import Decision, decide
from newsdesk.relate.families import arrange_family, independent_sources
from newsdesk.relate.index import (
    DOCUMENT,
    FACTS,
    INDEX_VERSION,
    Sketch,
    could_relate,
    document_keys,
    document_signature,
    fact_keys,
    sentence_keys,
    shingles,
)
from newsdesk.relate.repeats import KEY_CAP, repeat_keys
from newsdesk.store import Store

__all__ = ["RelateResult", "Relater", "independent_sources", "relate_all"]

_INDEX_META = "relate.index"


@dataclass(frozen=True)
class RelateResult:
    relations: tuple[Relation, ...]
    family: FamilyMember


class Relater:
    """Relates each new article to the stored ones; keeps a bounded cache of article profiles."""

    def __init__(
        self, store: Store, *, max_candidates: int = 25, bucket_cap: int = 100, cache_size: int = 2048
    ) -> None:
        if max_candidates < 1 or bucket_cap < 1 or cache_size < 1:
            raise ValueError("max_candidates, bucket_cap and cache_size must be positive")
        self.store = store
        self.max_candidates = max_candidates
        self.bucket_cap = bucket_cap
        self._cache: OrderedDict[str, Profile] = OrderedDict()
        self._cache_size = cache_size
        self._index_checked = False

    def profile(self, article: Article) -> Profile:
        cached = self._cache.get(article.id)
        if cached is not None:
            self._cache.move_to_end(article.id)
            return cached
        made = profile(article)
        self._cache[article.id] = made
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return made

    def clear_cache(self) -> None:
        """Forget the cached article profiles."""
        self._cache.clear()

    def relate(self, article: Article) -> RelateResult:
        """Find, store and return the relations of a newly stored ``article`` and its family."""
        self._check_index()
        new = self.profile(article)
        shingle_set = shingles(words(article.body))
        signature = document_signature(shingle_set)
        own_sketch = Sketch(signature, len(shingle_set), new.key_terms, article.kind == "digest")
        doc_keys = document_keys(signature)
        facts = fact_keys(new.key_terms)
        per_sentence = sentence_keys(new.content)
        # A digest retells several reports in its own words: its facts are its best lead to them.
        fact_hits_needed = 1 if article.kind == "digest" else 3
        candidates = self._candidates(article.id, doc_keys, facts, per_sentence, fact_hits_needed)
        stored = self.store.sketches(candidates)
        worth_aligning = [
            c for c in candidates if c not in stored or could_relate(own_sketch, Sketch.from_bytes(stored[c]))
        ]
        decisions = []
        for other in self.store.get_articles(worth_aligning):
            decision = decide(new, self.profile(other), a_arrived_first=False)
            if decision is not None:
                decisions.append(decision)
        relations = tuple(_relation(d) for d in decisions)
        with self.store.transaction():
            for relation in relations:
                self.store.add_relation(relation)
            family = self._place(article, relations)
            keys = [(key, DOCUMENT) for key in doc_keys] + [(key, FACTS) for key in facts]
            keys += [(key, number) for number, sentence in enumerate(per_sentence) for key in sentence]
            self.store.add_index_keys(article.id, keys, bucket_cap=self.bucket_cap)
            self.store.add_sketch(article.id, own_sketch.to_bytes())
            self.store.add_repeat_keys(article.id, repeat_keys(new.tokens), cap=KEY_CAP)
        return RelateResult(relations=relations, family=family)

    # -- candidates ------------------------------------------------------------------------------

    def _candidates(
        self,
        own_id: str,
        doc_keys: list[int],
        facts: list[int],
        per_sentence: list[list[int]],
        fact_hits_needed: int = 3,
    ) -> list[str]:
        wanted: dict[int, set[int]] = defaultdict(set)
        for key in doc_keys:
            wanted[key].add(DOCUMENT)
        for key in facts:
            wanted[key].add(FACTS)
        for number, keys in enumerate(per_sentence):
            for key in keys:
                wanted[key].add(number)
        doc_hits: dict[str, int] = defaultdict(int)
        fact_hits: dict[str, int] = defaultdict(int)
        sentence_hits: dict[str, set[int]] = defaultdict(set)
        for key, article_id, their_sentence in self.store.index_matches(wanted, bucket_cap=self.bucket_cap):
            if article_id == own_id:
                continue
            ours = wanted[key]
            if their_sentence == DOCUMENT and DOCUMENT in ours:
                doc_hits[article_id] += 1
            elif their_sentence == FACTS and FACTS in ours:
                fact_hits[article_id] += 1
            elif their_sentence >= 0:
                sentence_hits[article_id].update(n for n in ours if n >= 0)
        indexed = sum(1 for keys in per_sentence if keys)
        needed = 1 if indexed <= 2 else 2
        found = set(doc_hits) | set(fact_hits) | set(sentence_hits)
        chosen = [
            a for a in found if doc_hits[a] or fact_hits[a] >= fact_hits_needed or len(sentence_hits[a]) >= needed
        ]
        chosen.sort(key=lambda a: (-doc_hits[a], -len(sentence_hits[a]), -fact_hits[a], a))
        return chosen[: self.max_candidates]

    # -- families --------------------------------------------------------------------------------

    def _place(self, article: Article, relations: tuple[Relation, ...]) -> FamilyMember:
        store = self.store
        if article.kind == "digest":
            member = FamilyMember(article.id, article.id, "digest", self._digest_source(article.id, relations))
            store.set_family([member])
            return member
        # A digest that draws on the new article may now have a better source.
        for relation in relations:
            if relation.kind == "digest" and relation.derived != article.id:
                self._refresh_digest(relation.derived)
        kin = {r.source if r.derived == article.id else r.derived for r in relations if r.kind != "digest"}
        families = {m.family_id for m in store.families(kin).values()}
        order = store.arrival_order(families | {article.id})
        family_id = min(families | {article.id}, key=lambda f: order.get(f, 1 << 62))
        member_ids = [article.id]
        for old in sorted(families, key=lambda f: order.get(f, 1 << 62)):
            member_ids.extend(m.article_id for m in store.family_members(old))
        members = store.get_articles(dict.fromkeys(member_ids))
        arrival = store.arrival_order([m.id for m in members])
        members.sort(key=lambda a: arrival.get(a.id, 1 << 62))
        edges = {(r.derived, r.source): r for m in members for r in store.relations(m.id)}
        placed = arrange_family(family_id, members, edges.values())
        store.set_family(placed)
        return next(m for m in placed if m.article_id == article.id)

    def _refresh_digest(self, digest_id: str) -> None:
        relations = tuple(self.store.relations(digest_id))
        member = FamilyMember(digest_id, digest_id, "digest", self._digest_source(digest_id, relations))
        self.store.set_family([member])

    def _digest_source(self, digest_id: str, relations: tuple[Relation, ...]) -> str | None:
        """The origin of the family the digest draws on most (a digest cites reports, not reposts)."""
        drawn = [r for r in relations if r.derived == digest_id and r.kind == "digest"]
        if not drawn:
            return None
        members = self.store.families(r.source for r in drawn)
        weight: dict[str, float] = defaultdict(float)
        for relation in drawn:
            family = members.get(relation.source)
            weight[family.family_id if family else relation.source] += relation.score
        best = max(weight, key=lambda f: (weight[f], f))
        origins = [m.article_id for m in self.store.family_members(best) if m.role == "origin"]
        return origins[0] if origins else max(drawn, key=lambda r: (r.score, r.source)).source

    def _check_index(self) -> None:
        if self._index_checked:
            return
        stored = self.store.get_meta(_INDEX_META)
        if stored is None:
            self.store.set_meta(_INDEX_META, INDEX_VERSION)
        elif stored != INDEX_VERSION:
            raise StoreError(
                f"{self.store.url}: its similarity index was built by another version ({stored}); "
                "run `newsdesk relate --rebuild` to rebuild it"
            )
        if not self.store.has_repeat_keys():
            key_stored_sentences(self.store)  # a store made before sentence keys were counted
        self._index_checked = True


def _relation(decision: Decision) -> Relation:
    return Relation(
        derived=decision.derived.article.id,
        source=decision.source.article.id,
        kind=decision.kind,
        score=decision.score,
        evidence=decision.alignment.evidence(decision.derived, decision.source),
        features=dict(decision.alignment.features),
        direction=decision.direction,
    )


def key_stored_sentences(store: Store) -> int:
    """Count the sentence keys of every stored article (see ``relate.repeats``); the articles keyed."""
    keyed = offset = 0
    while page := store.list_articles(limit=500, offset=offset):
        with store.transaction():
            for article in page:
                tokens = [[fold_word(w) for w in raw_words(s.text)] for s in split_sentences(article.body)]
                store.add_repeat_keys(article.id, repeat_keys(tokens), cap=KEY_CAP)
        keyed += len(page)
        offset += len(page)
    return keyed


def relate_all(store: Store, *, progress: Callable[[str], None] | None = None) -> int:
    """Forget all relations and relate every stored article again, in arrival order; the relation count."""
    store.reset_relations()
    relater = Relater(store)
    found = 0
    offset = 0
    while page := store.list_articles(limit=500, offset=offset):
        for article in page:
            with store.transaction():
                found += len(relater.relate(article).relations)
            if progress:
                progress(article.location)
        offset += len(page)
    return found
