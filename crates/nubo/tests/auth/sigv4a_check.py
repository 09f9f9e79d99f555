# Independent check of a SigV4a-signed request (headers) or presigned URL made by nubo.
# argv[1]: JSON {"time", "key_id", "secret", "op", "params", "presign": bool, "nubo": {method,url,headers}}.
# 1. botocore with the awscrt package (CRT SigV4a) signs the same operation at the same clock.
# 2. This script rebuilds the canonical request and string to sign of both requests from the SigV4
#    rules and asserts they are equal, and that nubo's scope and signed headers are botocore's.
# 3. It derives the SigV4a key pair from the keys (the NIST SP 800-108 counter-mode KDF the SigV4a
#    specification uses) and verifies both ECDSA signatures with it: botocore's verifying proves the
#    key derivation and the string to sign; nubo's verifying proves nubo's signature.
import sys, json, datetime, hashlib, hmac, struct
from unittest import mock
from urllib.parse import urlsplit, parse_qsl, quote
import botocore.session
from botocore.config import Config
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives import hashes
from cryptography.exceptions import InvalidSignature

spec = json.loads(sys.argv[1])
now = datetime.datetime.strptime(spec["time"], "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)

class Captured(Exception):
    pass

def botocore_request():
    client = botocore.session.get_session().create_client(
        "s3", region_name="us-east-1", aws_access_key_id=spec["key_id"],
        aws_secret_access_key=spec["secret"], config=Config(retries={"max_attempts": 1}))
    def strip_sdk_headers(request, **kw):
        for h in [h for h in request.headers if h.lower().startswith("amz-sdk-")]:
            del request.headers[h]
    client.meta.events.register("before-sign.s3", strip_sdk_headers)
    seen = {}
    def capture(request, **kw):
        seen["req"] = {"method": request.method, "url": request.url,
                       "headers": [[k, v.decode() if isinstance(v, bytes) else v] for k, v in request.headers.items()]}
        raise Captured()
    client.meta.events.register("before-send.s3", capture)
    with mock.patch("botocore.crt.auth.get_current_datetime", return_value=now), \
            mock.patch("botocore.auth.get_current_datetime", return_value=now.replace(tzinfo=None)):
        if spec.get("presign"):
            url = client.generate_presigned_url(spec["op"], Params=spec["params"], ExpiresIn=spec.get("expires", 3600))
            return {"method": "GET", "url": url, "headers": []}
        try:
            getattr(client, spec["op"])(**spec["params"])
        except Captured:
            return seen["req"]
    raise SystemExit("botocore sent nothing")

def enc(s):
    return quote(s, safe="-_.~")

def canonical(req):
    u = urlsplit(req["url"])
    headers = {}
    for k, v in req["headers"]:
        headers.setdefault(k.lower(), []).append(" ".join(v.strip().split()))
    query = parse_qsl(u.query, keep_blank_values=True)
    q = dict(query)
    if "X-Amz-Signature" in q:
        signed = q["X-Amz-SignedHeaders"].split(";")
        cred, stamp, sig = q["X-Amz-Credential"], q["X-Amz-Date"], q["X-Amz-Signature"]
        payload = "UNSIGNED-PAYLOAD"
        query = [(k, v) for k, v in query if k != "X-Amz-Signature"]
        headers.setdefault("host", [u.netloc])
    else:
        auth = headers["authorization"][0]
        algo, rest = auth.split(" ", 1)
        parts = dict(p.strip().split("=", 1) for p in rest.split(","))
        signed, cred, sig = parts["SignedHeaders"].split(";"), parts["Credential"], parts["Signature"]
        stamp = headers["x-amz-date"][0]
        payload = headers["x-amz-content-sha256"][0]
        headers.setdefault("host", [u.netloc])
    cq = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(query))
    ch = "".join(f"{h}:{','.join(headers[h])}\n" for h in signed)
    creq = "\n".join([req["method"], u.path or "/", cq, ch, ";".join(signed), payload])
    scope = cred.split("/", 1)[1]
    sts = "\n".join(["AWS4-ECDSA-P256-SHA256", stamp, scope, hashlib.sha256(creq.encode()).hexdigest()])
    return creq, sts, bytes.fromhex(sig), cred, signed

N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551

def sigv4a_key(key_id, secret):
    key = ("AWS4A" + secret).encode()
    for counter in range(1, 255):
        fixed = struct.pack(">I", 1) + b"AWS4-ECDSA-P256-SHA256" + b"\x00" + key_id.encode() + bytes([counter]) + struct.pack(">I", 256)
        c = int.from_bytes(hmac.new(key, fixed, hashlib.sha256).digest(), "big")
        if c <= N - 2:
            return ec.derive_private_key(c + 1, ec.SECP256R1()).public_key()
    raise SystemExit("no key")

def verify(public, sig, sts, who):
    try:
        public.verify(sig, sts.encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise SystemExit(f"{who}'s SigV4a signature does not verify")

ref = botocore_request()
b_creq, b_sts, b_sig, b_cred, b_signed = canonical(ref)
n_creq, n_sts, n_sig, n_cred, n_signed = canonical(spec["nubo"])
if (b_creq, b_sts) != (n_creq, n_sts):
    raise SystemExit(f"canonical requests differ:\n--- botocore\n{b_creq}\n{b_sts}\n--- nubo\n{n_creq}\n{n_sts}")
public = sigv4a_key(spec["key_id"], spec["secret"])
verify(public, b_sig, b_sts, "botocore (awscrt)")
verify(public, n_sig, n_sts, "nubo")
print(json.dumps({"ok": True, "signed_headers": n_signed, "credential": n_cred}))
