"""Type stubs for jwtgate's extension module (the binding of jwtgate.h)."""

from typing import Any, Callable, Iterable, Mapping, Optional, Sequence, Union
import datetime

from ._types import Failure, Reason

_Text = Union[str, bytes, bytearray, memoryview]
_Pairs = Union[Mapping[str, Any], Iterable[tuple[str, Any]]]
_Now = Union[None, int, float, datetime.datetime]
_IssueTuple = tuple[str, int, int, str, bool]

HEADER_VERSION_STRING: str

def version_string() -> str:
    """The version of the linked jwtgate library, e.g. "0.1.0"."""

def version_number() -> int:
    """The linked library's version as MAJOR*10000 + MINOR*100 + PATCH."""

def reasons() -> list[tuple[str, int, str]]:
    """Every reason as (NAME, number, description), in number order."""

def reason_str(reason: int) -> str:
    """The stable snake_case name of a reason number."""

def reason_apim(reason: int) -> str:
    """APIM's context.LastError.Reason for a reason number."""

def status_str(status: int) -> str:
    """English text of a jwtgate_status number."""

def key_text_form(data: _Text) -> Optional[str]:
    """The key or certificate form data holds ("a PEM block", ...), or None."""

def _set_types(reason_enum: type, reasons: Sequence[Optional[Reason]], failure_cls: type) -> None: ...

class Policy:
    """A loaded, immutable policy (jwtgate_policy)."""

    def to_json(self) -> str:
        """The policy in jwtgate's JSON form."""
    def to_xml(self) -> str:
        """The policy as an APIM XML element."""

class KeySet:
    """An immutable key set (jwtgate_keyset)."""

    def __len__(self) -> int: ...

class KeySetBuilder:
    """Collects keys for a KeySet (jwtgate_keyset_builder)."""

    def __init__(self) -> None: ...
    def add(self, format: int, data: _Text, kid: Optional[str] = None) -> tuple[int, list[_IssueTuple]]: ...
    def add_rsa_components(self, n: str, e: str, kid: Optional[str] = None) -> tuple[int, list[_IssueTuple]]: ...
    def add_file(self, path: str) -> tuple[int, list[_IssueTuple]]: ...
    def build(self) -> KeySet: ...

def load_policy(
    text: Optional[_Text],
    path: Optional[str],
    named_values: Sequence[tuple[str, str]],
    expressions: Sequence[tuple[str, str]],
    certificates: Sequence[tuple[str, _Text]],
    documents: Sequence[tuple[str, int, _Text]],
    select: Optional[str],
    decryption_keys: Sequence[tuple[str, _Text, Optional[_Text]]] = ...,
) -> tuple[int, Optional[Policy], list[_IssueTuple]]: ...

class Result:
    """The outcome of one validation. Falsy when the token is invalid.

    WARNING: the header and claims of an invalid token are attacker-controlled.
    """

    @property
    def valid(self) -> bool:
        """True if the token passed every check."""
    @property
    def status(self) -> int:
        """The HTTP status APIM would answer (200 when valid)."""
    @property
    def reason(self) -> Reason:
        """The deciding failure's Reason (Reason.NONE when valid)."""
    @property
    def message(self) -> str:
        """The response message APIM would send ("" when valid)."""
    @property
    def failures(self) -> tuple[Failure, ...]:
        """Every failed check, in evaluation order; the first decides."""
    @property
    def header(self) -> dict[str, Any]:
        """The token's JOSE header ({} if it did not parse)."""
    @property
    def claims(self) -> dict[str, Any]:
        """The token's claims ({} if they did not parse)."""
    @property
    def header_json(self) -> Optional[str]:
        """The decoded header JSON text, or None."""
    @property
    def claims_json(self) -> Optional[str]:
        """The decoded claims JSON text, or None."""
    @property
    def apim_reason(self) -> str:
        """APIM's context.LastError.Reason for the deciding failure."""
    @property
    def detail(self) -> str:
        """The deciding failure's English sentence ("" when valid)."""
    @property
    def subject(self) -> str:
        """The claim, header member or kid of the deciding failure ("" when valid)."""
    def explain(self, color: bool = False) -> str:
        """The library's explanation (jwtgate_result_explain): every check with its
        evidence, and the likely causes of a failure with their fixes."""
    def explain_json(self) -> str:
        """The same as JSON (jwtgate_result_explain_json)."""
    @property
    def _payload(self) -> Optional[bytes]: ...
    def to_dict(self) -> dict[str, Any]:
        """The result as plain data."""
    def __bool__(self) -> bool: ...

class Validator:
    """A policy and a key set, compiled; safe to share between threads."""

    _clock: Optional[Callable[[], Union[int, float, datetime.datetime]]]

    def __init__(self, policy: Policy, keys: Optional[KeySet] = None, cache_entries: int = 0,
                 key_settings: Sequence[tuple[int, int]] = ..., never_wait: bool = False) -> None: ...
    def _keys_state(self, timeout_ms: int = 0) -> int: ...
    def _set_keys(self, keys: Optional[KeySet]) -> None: ...
    def _refresh_keys(self, force: bool = False) -> tuple[int, list[_IssueTuple]]: ...
    def _start_refresh_thread(self) -> None: ...
    def _stop_refresh_thread(self) -> None: ...
    def _key_counters(self) -> dict[str, int]: ...
    def _key_errors(self) -> list[_IssueTuple]: ...
    def _decode(self, token: _Text, now: int) -> Union[dict[str, Any], Result]: ...
    def validate(
        self,
        token: Optional[_Text] = None,
        headers: Optional[_Pairs] = None,
        query: Optional[_Pairs] = None,
        now: _Now = None,
    ) -> Result:
        """Validate a bare token, or the token of request headers/query parameters.

        Never raises for an invalid token; the Result says why."""

def _bench_loop(validator: Validator, tokens: Sequence[str], seconds: float) -> float: ...
def decode_unverified(token: _Text) -> Result:
    """Parse a token without verifying anything; the Result is never valid."""

class JwsOptions:
    """Allowed algorithms and HMAC floor of a plain JWS check (jwtgate_jws_options)."""

    def __init__(self, algorithms: Optional[str] = None, min_hmac_bits: int = 0) -> None: ...

def verify_jws(keys: Optional[KeySet], options: Optional[JwsOptions], token: _Text) -> Result:
    """Verify a compact JWS whose payload is any bytes (jwtgate_verify_jws)."""

def verify_signature(keys: Optional[KeySet], options: Optional[JwsOptions], alg: str, message: _Text,
                     signature: _Text) -> Result:
    """Check a JWS signature over a message (jwtgate_verify_signature)."""

def _json_to_python(text: _Text) -> Any: ...
