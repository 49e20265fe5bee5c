"""PyJWT's warning classes."""


class RemovedInPyjwt3Warning(DeprecationWarning):
    """A feature PyJWT 3 removes (extra keyword arguments to decode)."""


class InsecureKeyLengthWarning(UserWarning):
    """A key shorter than its algorithm calls for (RFC 7518 3.2, NIST SP 800-131A)."""
