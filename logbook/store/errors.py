"""Why a logbook could not be opened or written, in words a user can act on."""


class LogbookError(Exception):
    """Base: ``str(error)`` is a complete sentence for the user."""


class NotALogbookError(LogbookError):
    pass


class NewerLogbookError(LogbookError):
    pass


class DamagedLogbookError(LogbookError):
    pass


class ConflictError(LogbookError):
    """The incident was changed by someone else since it was opened."""


class MissingIncidentError(LogbookError):
    pass
