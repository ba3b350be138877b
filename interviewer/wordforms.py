"""English word families: whether two words are one word in another form.

The loose key-term match (`keywords.py`) reads "co-adapt" as "co-adaptation" and "reducing the
dimension" as "dimension reduction" with these rules: plain suffix lists and a few spelling
rules, no stemmer, so each decision can be read off the word.

    >>> same_family("adapt", "adaptation"), same_family("mean", "meaning")
    (True, False)
    >>> inflected("selects", "selection"), inflected("normal", "normalization")
    (True, False)
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["inflected", "same_family"]


# not "ization": "normal" / "normalization" and "regular" / "regularization" are other words
# ("normalize" / "normalization" still meet: -ation)
_SUFFIXES = frozenset("s es ed d ing ion ions ation ations ity ality ness ment er ers or ors al ally ly ive "
                      "ize ise ized ised izing ising ance ence able ible".split())
# inflections: what a word takes in a sentence ("selects", "selection", "reducing"), not the
# derivations that change its meaning ("normal" / "normally" / "normalization", "active" /
# "activation", "compute" / "computer")
_INFLECTIONS = frozenset("s es ed ing ion ions tion tions ation ations ality".split())
_SHORT_ENDINGS = frozenset("s es ed".split())
# a verb in -e loses it before these: "reduce" / "reducing" / "reduction"
_AFTER_E = frozenset("ing ed es tion tions".split())
_VERB_ENDINGS = frozenset("ing ed es".split())


@lru_cache(maxsize=65536)
def _bases(word: str) -> frozenset[str]:
    """What a word is made from by inflection: itself, itself less an inflection (at least six
    letters left), and the -e verb behind one ("reducing", "reduction" -> "reduce").

    >>> sorted(_bases("evaluation")), sorted(_bases("selects")), sorted(_bases("normally"))
    (['evalua', 'evaluae', 'evaluat', 'evaluate', 'evaluation'], ['select', 'selects'], ['normally'])
    >>> sorted(_bases("sharing")), sorted(_bases("using"))
    (['share', 'sharing'], ['using'])
    """
    out = {word}
    for end in _INFLECTIONS:
        if word.endswith(end):
            base = word[: -len(end)]
            if len(base) >= 6:
                out.add(base)
            # "evaluation" -> "evaluate": an -ate verb only ("precision" is not "precise")
            # a short -e verb too before a verb ending: "sharing", "shared" -> "share"
            if ((end in _AFTER_E and len(base) >= (4 if end in _VERB_ENDINGS else 5))
                    or (end == "ion" and base.endswith("at") and len(base) >= 5)):
                out.add(base + "e")
    return frozenset(out)


def _plus_ending(short: str, long_: str, endings: frozenset[str]) -> bool:
    """`long_` is `short` and one of `endings`, a doubled last letter allowed ("label" / "labelled")."""
    extra = long_[len(short):]
    return long_.startswith(short) and bool(extra) and (extra in endings or
                                                        (extra[0] == short[-1] and extra[1:] in endings))


@lru_cache(maxsize=65536)
def inflected(a: str, b: str) -> bool:
    """One word in two inflections ("selects" / "selection", "reduce" / "reducing"); the strict
    sense of family, for words that are not next to each other in the term's order."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return _plus_ending(short, long_, _INFLECTIONS) or bool(_bases(a) & _bases(b))  # "block" / "blocks"


@lru_cache(maxsize=65536)
def same_family(a: str, b: str) -> bool:
    """Two English words of one family: "adapt" / "adaptation", "regulariser" / "regularization".

    One is the other plus a common ending (a doubled last letter allowed: "label" / "labelled"),
    both are one word inflected (`inflected`: "selects" / "selection", "reduce" /
    "reduction"), or they share their first eight letters; words under five letters take only
    -s, -es and -ed ("fold" / "folded"; "mean" is not "meaning"), and a compound is not its
    first part ("layer" is not "layernorm").

    >>> pairs = [("adapt", "adaptation"), ("regulariser", "regularization"), ("label", "labelled"),
    ...     ("reduce", "reduction"), ("reducing", "reduction"), ("evaluates", "evaluation"),
    ...     ("dimension", "dimensionality"),
    ...     ("fold", "folded"), ("mean", "meaning"), ("positive", "position"), ("layer", "layernorm"), ("store", "storage"),
    ...     ("station", "stating"), ("state", "station"), ("active", "activation"), ("compute", "computer"),
    ...     ("encode", "encoder"), ("normally", "normalization"), ("generated", "generative"),
    ...     ("informal", "information"), ("residue", "residual"), ("sense", "sensor"),
    ...     ("precise", "precision"), ("confuse", "confusion")]
    >>> [p for p in pairs if same_family(*p)]  # the first eight
    [('adapt', 'adaptation'), ('regulariser', 'regularization'), ('label', 'labelled'), ('reduce', 'reduction'), ('reducing', 'reduction'), ('evaluates', 'evaluation'), ('dimension', 'dimensionality'), ('fold', 'folded')]
    """
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    if len(short) < 5:  # short words take only -s, -es, -ed ("fold" / "folded"; "mean" is not "meaning")
        return len(short) >= 4 and _plus_ending(short, long_, _SHORT_ENDINGS)
    if long_.startswith(short):  # else a compound: "stratified" is not "stratifiedgroupkfold"
        return _plus_ending(short, long_, _SUFFIXES)
    if inflected(a, b):
        return True
    common = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), len(short))
    return common >= 8
