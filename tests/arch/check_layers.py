#!/usr/bin/env python3
"""The layer rule of docs/architecture.md, checked over every #include of src/.

src/ is one folder per layer, in the order of LAYERS below, lowest first. A
file may include a header of its own folder or of any folder below it, never
one above it: of any two folders, one is below the other (no two share a
level), so an include between folders points one way only. Besides:

- the public C headers of include/ (jwtgate.h and its companions) are below
  every layer and may be included anywhere; the C++ wrapper (jwtgate.hpp) is
  for consumers, not for the library;
- nothing under src/ includes anything of cli/, bindings/, tests/, fuzz/ or
  bench/, and includes are named from src/ ("core/ascii.h"), never with "..";
- <simdjson.h> is included by the translation units that parse or read JSON
  and by the few headers whose interface is a JSON tree (JSON_HEADERS), so
  that the 30,000-line parser header stays out of everything else.

Usage: check_layers.py [SOURCE_ROOT]. Prints one line per broken rule, naming
file, line and rule, and exits 1 if there is any; exits 0 otherwise.
"""
import os
import re
import sys

# Lowest first. Adding a folder to src/ means adding it here and to
# docs/architecture.md, at the place its includes allow.
LAYERS = [
    "core",       # shared helpers: text, quoting, reasons, failures, JSON writing
    "encoding",   # base64url, JSON member rules
    "crypto",     # algorithms, Key and its OpenSSL material, verification
    "keys",       # key text to Keys: JWK, JWK Set, PEM, n/e; KeySet
    "token",      # compact JWS parsing
    "jwe",        # encrypted tokens (JWE decryption)
    "discovery",  # OpenID discovery documents
    "policy",     # the policy model, its XML and JSON forms
    "claims",     # claim checks against the policy
    "net",        # HTTP, key fetching and refresh
    "validate",   # the validator: stages in order, messages, results
    "diagnose",   # explanations of a result
    "capi",       # the C API
]

# Headers whose interface is a parsed JSON tree: they alone may include
# <simdjson.h> (besides .cpp files, which include it when they parse).
JSON_HEADERS = {
    "encoding/json_members.h",
    "encoding/json_alloc.h",
    "encoding/json_dom.h",   # the DOM type names the readers use
    "token/token.h",
    "jwe/jwe_header.h",   # the header rules read the parsed JOSE header
    "jwe/jwe_decrypt.h",  # the decryptor owns its header parser and tree
    "claims/claims_view.h",
    "claims/claim_text.h",
    "claims/client_application.h",
    "claims/registered_claims.h",
    "claims/required_claims.h",
    "policy/policy_json_document.h",
    "diagnose/claim_catalog.h",
    "diagnose/issuer_family.h",  # classify_token reads the claims object
    "diagnose/token_kind.h",     # kind_of_jws reads the header and claims objects
}

FORBIDDEN_TREES = ("cli", "bindings", "tests", "fuzz", "bench")
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                           os.path.join(os.path.dirname(__file__), "..", ".."))
    src = os.path.join(root, "src")
    public = {f for f in os.listdir(os.path.join(root, "include")) if f.endswith(".h")}
    rank = {name: i for i, name in enumerate(LAYERS)}
    problems = []

    def report(path, line, text, rule):
        problems.append(f"{path}:{line}: {text}: {rule}")

    for folder in sorted(os.listdir(src)):
        if os.path.isdir(os.path.join(src, folder)) and folder not in rank:
            report(f"src/{folder}", 0, "folder",
                   "not in the layer order: add it to LAYERS in tests/arch/check_layers.py "
                   "and to docs/architecture.md, above every folder it includes")

    for dirpath, _, files in os.walk(src):
        for name in sorted(files):
            if not name.endswith((".h", ".cpp", ".hpp", ".c", ".inc", ".def")):
                continue
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, src).replace(os.sep, "/")
            path = "src/" + rel
            own = rel.split("/")[0] if "/" in rel else None
            if own is None:
                report(path, 0, "file", "src/ holds folders only: put the file in the layer it belongs to")
                continue
            with open(full, encoding="utf-8", errors="replace") as f:
                lines = f.read().splitlines()
            for number, line in enumerate(lines, 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                bracket, target = m.groups()
                text = line.strip()
                if target == "simdjson.h":
                    if name.endswith(".h") and rel not in JSON_HEADERS:
                        report(path, number, text,
                               "a header includes <simdjson.h> only if its interface is a JSON tree "
                               "(JSON_HEADERS in tests/arch/check_layers.py); include it in the .cpp "
                               "that parses, or use a forward declaration or a plain struct")
                    continue
                first = target.split("/")[0]
                if ".." in target.split("/"):
                    report(path, number, text,
                           'includes are named from src/ ("core/ascii.h"), never with ".."')
                    continue
                if first in FORBIDDEN_TREES:
                    report(path, number, text,
                           f"the library never includes {first}/: it stands below its consumers and tests")
                    continue
                if "/" not in target:
                    if bracket == '"' and target not in public:
                        if target.endswith(".hpp"):
                            report(path, number, text,
                                   "the C++ wrapper is for consumers; the library uses its own headers")
                        elif target != "jwtgate_version.h":
                            report(path, number, text,
                                   "names no header of include/ and no src/ folder: name headers from src/")
                    continue
                if first not in rank:
                    if os.path.isdir(os.path.join(src, first)):
                        continue  # reported once above, as a folder outside the order
                    if bracket == '"':
                        report(path, number, text, "names no folder of src/")
                    continue  # <openssl/evp.h> and other system headers
                if not os.path.isfile(os.path.join(src, target)):
                    report(path, number, text, "no such file under src/")
                    continue
                if rank[first] > rank[own]:
                    report(path, number, text,
                           f"{own}/ (layer {rank[own]}) may not include {first}/ (layer {rank[first]}): "
                           "a layer includes only its own folder and the layers below it")

    for p in problems:
        print(p)
    if problems:
        print("layer order, lowest first: " + " < ".join(LAYERS) + " (docs/architecture.md)")
        print(f"check_layers: {len(problems)} include(s) break the layer rules")
        return 1
    print("check_layers: every include of src/ points down the layer order")
    return 0


if __name__ == "__main__":
    sys.exit(main())
