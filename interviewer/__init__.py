"""interviewer: a mock-interview coach for deep-learning engineer interviews.

The package turns Markdown study notes into a bilingual question bank, embeds it, indexes
it with FAISS and grades free-text answers against it. Import the pieces you need::

    >>> from interviewer.notes import parse_text
    >>> bank = parse_text("## Dropout\\n\\n1. Randomly zeroes units while training.\\n")
    >>> [c.kind for c in bank.cards]
    ['point']
"""

__version__ = "0.1.0"
