"""Named errors. Stages raise them with an actionable message; only the edges
(CLI, UI) turn them into what a person sees."""


class AppError(Exception):
    """Base error of the project."""


class BadInputFile(AppError):
    """A file that cannot be ingested; the message says why (in Vietnamese). `lasting` is
    False when the reason lies in this machine or its settings (a program not installed, a
    size limit, a busy machine) rather than in the file: reading it again may then succeed."""

    def __init__(self, message: str, lasting: bool = True) -> None:
        super().__init__(message)
        self.lasting = lasting

    def __reduce__(self):
        return (type(self), (str(self), self.lasting))


class IndexMissing(AppError):
    """No index exists where one was expected."""


class IndexModelMismatch(AppError):
    """The index was built with another embedding model."""


class ModelUnavailable(AppError):
    """An embedding model or LLM could not be loaded or reached."""


class StoreUnavailable(AppError):
    """The Chroma store could not be opened or reached."""


class EmptyQuestion(AppError):
    """A question with nothing to ask."""


class QuestionTooLong(AppError):
    """A question past the length limit (a pasted document is no question)."""
