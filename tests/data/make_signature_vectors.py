#!/usr/bin/env python3
"""Writes signature_vectors.json: expected PasswordDigests computed with Python's hmac and
hashlib, independently of the SDK's C++ code. Re-run only to add vectors."""
import base64, hashlib, hmac, json, os

CASES = [
    # (secret, nonce, created)
    ("secret", "66C92B11FF8A425FB8D4CCFE0ED9ED1F", "2018-02-12T15:30:20Z"),
    ("Dx8UiBwk0yy8IkvK29wd8zbTD2pd", "ac1c911c4792492687f8f6b2264a491e", "2018-05-26T00:35:30Z"),
    ("", "a", "2026-11-22T00:00:00Z"),
    ("k" * 64, "0123456789abcdefABCDEF", "1999-12-31T23:59:59Z"),          # key of one block
    ("long-" * 40, "N" * 128, "2038-01-19T03:14:08Z"),                      # key longer than a block
    ("秘密", "Z9", "2020-02-29T12:00:00Z"),                                   # UTF-8 secret
]

vectors = []
for secret, nonce, created in CASES:
    aksk = base64.b64encode(hmac.new(secret.encode(), (nonce + created).encode(), hashlib.sha256).digest()).decode()
    wsse = base64.b64encode(hashlib.sha256((nonce + created + secret).encode()).digest()).decode()
    vectors.append({"secret": secret, "nonce": nonce, "created": created, "aksk": aksk, "wsse": wsse})

with open(os.path.join(os.path.dirname(__file__), "signature_vectors.json"), "w", encoding="utf-8") as f:
    json.dump(vectors, f, indent=2, ensure_ascii=False)
    f.write("\n")
