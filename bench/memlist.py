"""A tiny S3 listing server for the benchmarks: answers ListObjectsV2 (and V1) pages of N keys from memory.

Used by bench/run for the 100,000-key listing and the no-op `sync`, where a real server's own cost
(s3s-fs walks its folder for every page) would dominate. Every key is `data/f0000001`.. with SIZE bytes
and one LastModified; HEAD answers 200 for the bucket and 404 for an object; anything else answers 501 and is logged.
Usage: python3 memlist.py PORT KEYS SIZE LAST_MODIFIED
"""

import bisect
import http.server
import sys
import urllib.parse
from xml.sax.saxutils import escape

PORT, COUNT, SIZE, MTIME = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
KEYS = [f"data/f{i:07d}" for i in range(COUNT)]
ENTRIES = [
    f"<Contents><Key>{k}</Key><LastModified>{MTIME}</LastModified>"
    f'<ETag>"0123456789abcdef0123456789abcdef"</ETag><Size>{SIZE}</Size>'
    f"<StorageClass>STANDARD</StorageClass></Contents>"
    for k in KEYS
]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, code, body=b""):
        self.send_response(code)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        # The bucket exists; no single object does (tools that probe "is this path a file?" get 404).
        path = urllib.parse.urlsplit(self.path).path.strip("/")
        self.reply(404 if "/" in path else 200)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        parts = url.path.strip("/").split("/", 1)
        if len(parts) != 1 or not parts[0] or "uploads" in q or "location" in q:
            sys.stderr.write(f"memlist: unsupported GET {self.path}\n")
            return self.reply(501)
        prefix = q.get("prefix", "")
        v2 = q.get("list-type") == "2"
        if v2 and q.get("continuation-token"):
            start = int(q["continuation-token"])
        else:
            after = q.get("start-after", "") if v2 else q.get("marker", "")
            start = bisect.bisect_right(KEYS, after) if after else 0
        lo = bisect.bisect_left(KEYS, prefix, start)
        hi = bisect.bisect_left(KEYS, prefix + "\U0010ffff")
        start = max(start, lo)
        max_keys = min(int(q.get("max-keys", "1000") or 1000), 1000)
        end = min(start + max_keys, hi)
        truncated = end < hi
        head = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
            f"<Name>{escape(parts[0])}</Name><Prefix>{escape(prefix)}</Prefix>",
            f"<MaxKeys>{max_keys}</MaxKeys><IsTruncated>{'true' if truncated else 'false'}</IsTruncated>",
        ]
        if v2:
            head.append(f"<KeyCount>{end - start}</KeyCount>")
            if truncated:
                head.append(f"<NextContinuationToken>{end}</NextContinuationToken>")
        elif truncated:
            head.append(f"<NextMarker>{KEYS[end - 1]}</NextMarker>")
        body = "".join(head) + "".join(ENTRIES[start:end]) + "</ListBucketResult>"
        self.reply(200, body.encode())

    def do_PUT(self):
        sys.stderr.write(f"memlist: unexpected PUT {self.path}\n")
        self.reply(501)


http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
