#!/usr/bin/python3
# An independent DKIM verifier for e2e tests (Debian's dkimpy, not nodemailer's signer): reads a
# message on stdin and checks its DKIM-Signature against the TXT records given as arguments
# ("<selector>._domainkey.<domain>=v=DKIM1; k=rsa; p=..."), with no real DNS.
# Prints one JSON line: {"ok": bool, "d": ..., "s": ..., "h": [...]}.
import json
import sys

import dkim

records = {}
for arg in sys.argv[1:]:
    name, _, value = arg.partition("=")
    records[name.lower().rstrip(".")] = value.encode()


def dnsfunc(name, timeout=5):
    if isinstance(name, bytes):
        name = name.decode()
    return records.get(name.lower().rstrip("."), b"")


message = sys.stdin.buffer.read()
d = dkim.DKIM(message)
ok = False
error = None
try:
    ok = d.verify(dnsfunc=dnsfunc)
except Exception as e:  # a malformed signature is a failed verification, said why
    error = str(e)
signature = d.signature_fields or {}
print(json.dumps({
    "ok": bool(ok),
    "d": signature.get(b"d", b"").decode(),
    "s": signature.get(b"s", b"").decode(),
    "h": [h.strip().lower() for h in signature.get(b"h", b"").decode().split(":") if h.strip()],
    "error": error,
}))
