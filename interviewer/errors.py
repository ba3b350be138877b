"""The one exception family of the package.

Every message says what went wrong *and* what to do about it, in one line, so that the
command line and the web page can show it as it is.
"""


class InterviewerError(Exception):
    """Base class: a problem the user can fix (bad input, missing file, bad setting)."""


class NotesError(InterviewerError):
    """Notes could not be read or parsed; the message names the file and line."""

    def __init__(self, message: str, path: str = "", line: int = 0):
        self.path = path
        self.line = line
        where = f"{path}:{line}: " if path and line else (f"{path}: " if path else "")
        super().__init__(f"{where}{message}")


class EmbedderError(InterviewerError):
    """An embedding backend is unknown, not installed, or its model cannot be found."""


class SearchIndexError(InterviewerError):
    """The search index cannot be built or used."""


class InputError(InterviewerError):
    """An answer, query or file given by the user cannot be used."""
