"""The validator both example services use: the bundled article policy
(examples/article/policy.xml, an Entra ID v2.0 validate-jwt with required
aud and azp claims), its APIM named values, and the discovery document and
key set beside it, so the examples run offline. The demo tokens were issued
on 2025-11-29, so the clock is pinned to examples/article/now.txt; a real
service leaves `clock` unset and lets the policy's openid-config fetch keys."""

from __future__ import annotations

import json
from pathlib import Path

import jwtgate

ARTICLE = Path(__file__).resolve().parents[1] / "article"


def make_validator() -> jwtgate.Validator:
    documents = {
        (ARTICLE / "openid-config-url.txt").read_text().strip(): (ARTICLE / "openid-configuration.json").read_text(),
        (ARTICLE / "jwks-uri.txt").read_text().strip(): (ARTICLE / "jwks.json").read_text(),
    }
    policy = jwtgate.Policy.from_file(ARTICLE / "policy.xml",
                                      json.loads((ARTICLE / "named-values.json").read_text()),
                                      documents=documents)
    now = int((ARTICLE / "now.txt").read_text().strip())
    return jwtgate.Validator(policy, clock=lambda: now)
