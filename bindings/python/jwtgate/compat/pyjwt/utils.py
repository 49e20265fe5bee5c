"""PyJWT's helpers (``jwt.utils``): base64url, big-endian integers, ECDSA
signature forms, and PyJWT's key-text tests.

``is_pem_format`` and ``is_ssh_key`` keep PyJWT's definitions for code that
calls them; the compat layer itself never uses them to decide whether a key
is an HMAC secret: that is ``jwtgate.key_text_form``'s job, which finds key
text in more forms (docs/keys-and-network.md).
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any, Optional, Union

__all__ = [
    "force_bytes",
    "base64url_decode",
    "base64url_encode",
    "to_base64url_uint",
    "from_base64url_uint",
    "number_to_bytes",
    "bytes_to_number",
    "bytes_from_int",
    "der_to_raw_signature",
    "raw_to_der_signature",
    "is_pem_format",
    "is_ssh_key",
]


def force_bytes(value: Union[bytes, str]) -> bytes:
    """``value`` as bytes (str as UTF-8); TypeError for anything else."""
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, bytes):
        return value
    raise TypeError("Expected a string or bytes value")


def base64url_decode(input: Union[bytes, str]) -> bytes:  # noqa: A002 (PyJWT's name)
    """Decode base64url with or without padding (PyJWT's lenient decoder)."""
    data = force_bytes(input)
    rem = len(data) % 4
    if rem > 0:
        data += b"=" * (4 - rem)
    return base64.urlsafe_b64decode(data)


def base64url_encode(input: bytes) -> bytes:  # noqa: A002
    """base64url without padding (RFC 7515 2)."""
    return base64.urlsafe_b64encode(input).replace(b"=", b"")


def to_base64url_uint(val: int, *, bit_length: Optional[int] = None) -> bytes:
    """A non-negative integer as base64url big-endian bytes (RFC 7518 2)."""
    if val < 0:
        raise ValueError("Must be a positive integer")
    int_bytes = bytes_from_int(val, bit_length=bit_length)
    if len(int_bytes) == 0:
        int_bytes = b"\x00"
    return base64url_encode(int_bytes)


def from_base64url_uint(val: Union[bytes, str]) -> int:
    """The integer a base64url big-endian value holds."""
    return int.from_bytes(base64url_decode(force_bytes(val)), byteorder="big")


def number_to_bytes(num: int, num_bytes: int) -> bytes:
    """``num`` as exactly ``num_bytes`` big-endian bytes."""
    return binascii.a2b_hex(("%0*x" % (2 * num_bytes, num)).encode("ascii"))


def bytes_to_number(string: bytes) -> int:
    """Big-endian bytes as an integer."""
    return int(binascii.b2a_hex(string), 16)


def bytes_from_int(val: int, *, bit_length: Optional[int] = None) -> bytes:
    """``val`` as the fewest big-endian bytes (or those of ``bit_length`` bits)."""
    if bit_length is None:
        bit_length = val.bit_length()
    return val.to_bytes((bit_length + 7) // 8, "big", signed=False)


def der_to_raw_signature(der_sig: bytes, curve: Any) -> bytes:
    """An ECDSA DER signature as JWS R || S (RFC 7518 3.4); needs ``cryptography``."""
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature  # noqa: PLC0415

    num_bytes = (curve.key_size + 7) // 8
    r, s = decode_dss_signature(der_sig)
    return number_to_bytes(r, num_bytes) + number_to_bytes(s, num_bytes)


def raw_to_der_signature(raw_sig: bytes, curve: Any) -> bytes:
    """A JWS R || S ECDSA signature as DER; ValueError for a wrong length."""
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature  # noqa: PLC0415

    num_bytes = (curve.key_size + 7) // 8
    if len(raw_sig) != 2 * num_bytes:
        raise ValueError("Invalid signature")
    r = bytes_to_number(raw_sig[:num_bytes])
    s = bytes_to_number(raw_sig[num_bytes:])
    return bytes(encode_dss_signature(r, s))


_PEMS = (
    b"CERTIFICATE", b"TRUSTED CERTIFICATE", b"PRIVATE KEY", b"PUBLIC KEY", b"ENCRYPTED PRIVATE KEY",
    b"OPENSSH PRIVATE KEY", b"DSA PRIVATE KEY", b"RSA PRIVATE KEY", b"RSA PUBLIC KEY", b"EC PRIVATE KEY",
    b"DH PARAMETERS", b"NEW CERTIFICATE REQUEST", b"CERTIFICATE REQUEST", b"SSH2 PUBLIC KEY",
    b"SSH2 ENCRYPTED PRIVATE KEY", b"X509 CRL",
)
_PEM_MARKER_RE = re.compile(b"(?=(----[- ](BEGIN|END) (" + b"|".join(_PEMS) + b")[- ]----))")


def is_pem_format(key: bytes) -> bool:
    """PyJWT's test: a BEGIN marker of a known PEM label followed by its END marker."""
    begin: dict[bytes, int] = {}
    for marker in _PEM_MARKER_RE.finditer(key):
        kind, label = marker.group(2), marker.group(3)
        if kind == b"BEGIN":
            begin[label] = marker.start(1) + len(marker.group(1))
        elif label in begin and begin[label] < marker.start(1):
            return True
    return False


_SSH_KEY_FORMATS = (b"ssh-ed25519", b"ssh-rsa", b"ssh-dss", b"ecdsa-sha2-nistp256", b"ecdsa-sha2-nistp384",
                    b"ecdsa-sha2-nistp521")


def is_ssh_key(key: bytes) -> bool:
    """PyJWT's test: the text starts with an OpenSSH key type name."""
    return key.startswith(_SSH_KEY_FORMATS)
