"""Thai similar-idea search and grouping (no web framework, no database).

How it works, in plain words:

1. **Words.** Each idea's text is cut into Thai words with PyThaiNLP's dictionary
   segmenter (``newmm``), after normalising it (lower case, Thai digits to Arabic,
   vowel/tone-mark order fixed, URLs, emoji and punctuation dropped). Common
   function words ("ที่", "และ", "ครับ") are dropped. The web app stores these
   tokens once per idea; everything below is rebuilt from them.
2. **Vectors.** Every idea becomes three vectors: which words it uses (TF-IDF:
   rare words count more, repeats count less), which 2-4 letter pieces of words it
   uses (so "ฟุตบาท" and "ฟุตบาธ", or a word split differently, still overlap), and
   a 30-number "topic" summary of both (LSA, a truncated SVD), which lets
   "ทางเท้า" match "ฟุตบาท" when they are used in the same kind of idea. A text the
   topics explain poorly (mostly unknown words) gets a shortened topic vector, so it
   cannot look close to everything.
3. **Similar ideas.** Two ideas' similarity is half the word/letter-piece overlap
   (cosine) and half the topic closeness. Search looks only at ideas sharing a word
   or a piece with the query (an inverted index) plus the topic vectors.
4. **Groups.** Each idea is linked to its 10 most similar ideas (if similar enough);
   the Leiden community algorithm then cuts this network into groups where ideas
   link more to each other than to the rest. An idea with no close neighbour stays
   alone (a group of one, with its own id). Ids can be kept across recomputes
   (`stable_ids`), and a new idea can join the group of its neighbours at once
   (`assign_group`). `keywords` names a group by its distinctive words.

Everything is deterministic (fixed seeds), and tuned by ``bench/grouping_sweep.py``;
see ``docs/grouping.md`` for the figures.
"""

from __future__ import annotations

from .cluster import assign_group, group_index, group_texts, group_tokens, stable_ids
from .index import Match, SimilarityIndex
from .issues import assign_issue, group_issue_index, group_issues, group_issues_tokens, group_levels, nest_issues
from .keywords import keywords
from .params import DEFAULT, Params
from .tokenize import search_terms, tokenize, warm_up

__all__ = [
    "DEFAULT",
    "Match",
    "Params",
    "SimilarityIndex",
    "assign_group",
    "assign_issue",
    "group_index",
    "group_issue_index",
    "group_issues",
    "group_issues_tokens",
    "group_levels",
    "group_texts",
    "group_tokens",
    "keywords",
    "nest_issues",
    "search_terms",
    "stable_ids",
    "tokenize",
    "warm_up",
]
