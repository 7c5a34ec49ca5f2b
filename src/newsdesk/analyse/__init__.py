"""The analyse stage: sentences with offsets, words for comparison (entities, times and numbers follow)."""

from newsdesk.analyse.sentences import Sentence, split_sentences
from newsdesk.analyse.tokens import content_words, stem, words

__all__ = ["Sentence", "content_words", "split_sentences", "stem", "words"]
