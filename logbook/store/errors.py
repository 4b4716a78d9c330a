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


class BusyLogbookError(LogbookError):
    """Another connection held the logbook's write lock for longer than the busy timeout (SQLITE_BUSY)."""


class ReadOnlyLogbookError(LogbookError):
    """The logbook cannot be written: the file or its folder is read-only, or it was opened read-only."""


class DiskFullError(LogbookError):
    """A write was refused for lack of room; the transaction was rolled back, nothing was half written."""
