"""The benchmark driver behind bench/run: nubo against its peers on the same commands, the same local servers,
interleaved (one run of each tool in turn, repeated) so that drift on a shared machine hits all alike.

Each run is timed with os.wait4: wall time, CPU time (user + system, children included) and peak RSS.
Writes bench/results/results.{json,md} and bench/results/chart.svg, and the README's speed section
between its `bench:start` / `bench:end` markers.
Usage (from bench/run, which installs the tools first): python3 bench/run.py [--quick]
"""

import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QUICK = "--quick" in sys.argv
NUBO = os.path.join(ROOT, "target/release/nubo")
AWS = os.path.join(ROOT, ".venv/bin/aws")
VPY = os.path.join(ROOT, ".venv/bin/python")
RCLONE = shutil.which("rclone")
S3S = os.path.join(ROOT, ".tools/bin/s3s-fs")
OUT = os.path.join(ROOT, "bench/results")

# Sizes and repetitions: full mode as the issue asks, quick mode to develop within 5 minutes.
CFG = {
    "reps_fast": 3 if QUICK else 15,  # start-up and API calls
    "users": 1000,
    "instances": 500,
    "ls_keys": 1000,
    "large_mib": 64 if QUICK else 1024,
    "large_reps": 2 if QUICK else 3,
    "small_files": 300 if QUICK else 10000,
    "small_reps": 2,
    "mem_keys": 10000 if QUICK else 100000,
    "mem_reps": 2 if QUICK else 3,
}
RUN_TIMEOUT = 120 if QUICK else 600
ACCESS, SECRET = "bench-access-key", "bench-secret-key-not-a-real-secret"

work = tempfile.mkdtemp(prefix="nubo-bench-")
procs = []


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start(name, argv):
    port = free_port()
    argv = [a.replace("{port}", str(port)) for a in argv]
    p = subprocess.Popen(argv, stdout=open(f"{work}/{name}.log", "w"), stderr=subprocess.STDOUT)
    procs.append(p)
    for _ in range(400):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return f"http://127.0.0.1:{port}"
        except OSError:
            if p.poll() is not None:
                break
            time.sleep(0.05)
    sys.exit(f"bench/run: {name} did not start; see its log:\n" + open(f"{work}/{name}.log").read())


BASE_ENV = {
    "PATH": os.environ["PATH"],
    "HOME": work,
    "LANG": "C.UTF-8",
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_ACCESS_KEY_ID": ACCESS,
    "AWS_SECRET_ACCESS_KEY": SECRET,
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_PAGER": "",
    "PAGER": "cat",
    "MANPAGER": "cat",
}


def measure(argv, env, cwd=None):
    """One run: (wall s, cpu s, peak RSS KiB, exit code)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # A run that hangs (a peer retrying forever) is killed and counted as failed.
    timer = threading.Timer(RUN_TIMEOUT, p.kill)
    timer.start()
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    timer.cancel()
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, p.returncode, err.decode(errors="replace")[-400:]


results = []  # {group, scenario, tool, runs: [[wall, cpu, rss]], failed}


def scenario(group, name, variants, reps, warmup=0, ok_codes=(0,)):
    """variants: {tool: (argv, env_extra, before)}; before() runs untimed before each run."""
    log(f"== {name} ({reps} runs each)")
    rows = {t: {"group": group, "scenario": name, "tool": t, "runs": [], "failed": None} for t in variants}
    for i in range(warmup + reps):
        for tool, (argv, env_extra, before) in variants.items():
            if rows[tool]["failed"]:
                continue
            if before:
                before()
            wall, cpu, rss, code, err = measure(argv, {**BASE_ENV, **env_extra})
            if code not in ok_codes:
                rows[tool]["failed"] = f"exit {code}: {err.strip().splitlines()[-1] if err.strip() else ''}"
                log(f"   {tool}: FAILED {rows[tool]['failed']}")
                continue
            if i >= warmup:
                rows[tool]["runs"].append([wall, cpu, rss])
    for r in rows.values():
        if r["runs"]:
            w = statistics.median(x[0] for x in r["runs"])
            log(f"   {r['tool']:<7} median {w * 1000:9.1f} ms")
        results.append(r)


def rm(path):
    return lambda: shutil.rmtree(path, ignore_errors=True)


def version(argv):
    try:
        out = subprocess.run(argv, capture_output=True, text=True, env=BASE_ENV, timeout=60)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        return "unknown"


def main():
    notes = []
    peers = ["aws"] + (["rclone"] if RCLONE else [])
    if not RCLONE:
        notes.append("rclone was not available (no system package could be installed): its rows are missing.")
    notes.append(
        "The AWS CLI v2 is not packaged for this machine's system (Debian ships no awscli v2), so the peer `aws` "
        "is the Python AWS CLI v1, the same code base (botocore) the v2 wraps."
    )

    # ---- start-up: no network involved
    unreachable = {"AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_MAX_ATTEMPTS": "1"}
    r = CFG["reps_fast"]
    scenario("start-up", "--version", {"nubo": ([NUBO, "--version"], {}, None), "aws": ([AWS, "--version"], {}, None)}, r, 1)
    presign = ["s3", "presign", "s3://bench-bucket/some/key.txt"]
    scenario("start-up", "s3 presign", {"nubo": ([NUBO] + presign, {}, None), "aws": ([AWS] + presign, {}, None)}, r, 1)
    # The Python CLI has no --show-request: it is timed building, signing and failing to send the same call
    # to an unreachable endpoint with one attempt, which is the nearest it comes.
    scenario(
        "start-up",
        "--show-request ec2 describe-instances",
        {
            "nubo": ([NUBO, "--show-request", "ec2", "describe-instances"], {}, None),
            "aws": ([AWS, "ec2", "describe-instances"], unreachable, None),
        },
        r,
        1,
        ok_codes=(0, 255),
    )
    help_cmd = ["ec2", "describe-instances", "help"]
    scenario("start-up", "ec2 describe-instances help", {"nubo": ([NUBO] + help_cmd, {}, None), "aws": ([AWS] + help_cmd, {}, None)}, r, 1)

    # ---- API calls against moto
    moto = start("moto", [os.path.join(ROOT, ".venv/bin/moto_server"), "-H", "127.0.0.1", "-p", "{port}"])
    log("seeding moto: 1,000 IAM users, 500 EC2 instances, 3 DynamoDB tables")
    seed = f"""
import boto3
kw = dict(endpoint_url={moto!r}, region_name="us-east-1", aws_access_key_id={ACCESS!r}, aws_secret_access_key={SECRET!r})
iam = boto3.client("iam", **kw)
for i in range({CFG["users"]}):
    iam.create_user(UserName=f"bench-user-{{i:05d}}")
ec2 = boto3.client("ec2", **kw)
ec2.run_instances(ImageId="ami-12c6146b", MinCount={CFG["instances"]}, MaxCount={CFG["instances"]}, InstanceType="t3.micro")
ddb = boto3.client("dynamodb", **kw)
for t in ("alpha", "beta", "gamma"):
    ddb.create_table(TableName=t, KeySchema=[dict(AttributeName="k", KeyType="HASH")],
        AttributeDefinitions=[dict(AttributeName="k", AttributeType="S")], BillingMode="PAY_PER_REQUEST")
"""
    subprocess.run([VPY, "-c", seed], check=True, env=BASE_ENV)
    ep = {"AWS_ENDPOINT_URL": moto}
    for name, cmd in [
        ("sts get-caller-identity", ["sts", "get-caller-identity"]),
        ("dynamodb list-tables", ["dynamodb", "list-tables"]),
        ("iam list-users (1,000 users)", ["iam", "list-users"]),
        ("ec2 describe-instances --output table (500)", ["ec2", "describe-instances", "--output", "table"]),
    ]:
        scenario("API", name, {"nubo": ([NUBO] + cmd, ep, None), "aws": ([AWS] + cmd, ep, None)}, r, 1)

    # ---- S3 against s3s-fs
    data = f"{work}/s3data"
    os.makedirs(f"{data}/bench")
    s3 = start("s3s-fs", [S3S, "--host", "127.0.0.1", "--port", "{port}", "--access-key", ACCESS, "--secret-key", SECRET, data])
    rc_env = {
        "RCLONE_CONFIG": "/dev/null",
        "RCLONE_CONFIG_BENCH_TYPE": "s3",
        "RCLONE_CONFIG_BENCH_PROVIDER": "Other",
        "RCLONE_CONFIG_BENCH_ACCESS_KEY_ID": ACCESS,
        "RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY": SECRET,
        "RCLONE_CONFIG_BENCH_ENDPOINT": s3,
        "RCLONE_CONFIG_BENCH_REGION": "us-east-1",
        "RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE": "true",
        "RCLONE_CONFIG_BENCH_LIST_VERSION": "2",
        "RCLONE_CONFIG_BENCH_NO_CHECK_BUCKET": "true",
    }
    sep = {"AWS_ENDPOINT_URL": s3}

    def s3_variants(nubo_aws_args, rclone_args, before=None):
        v = {
            "nubo": ([NUBO] + nubo_aws_args("nubo"), sep, before("nubo") if before else None),
            "aws": ([AWS] + nubo_aws_args("aws"), sep, before("aws") if before else None),
        }
        if RCLONE:
            v["rclone"] = ([RCLONE, "-q", "--retries", "1", "--low-level-retries", "1"] + rclone_args, rc_env, before("rclone") if before else None)
        return v

    # rclone is pointed at bucket roots: it first asks whether the path is an object (HEAD), which
    # s3s-fs answers with 500 when the key is one of its folders.
    os.makedirs(f"{data}/bench-ls")
    os.makedirs(f"{data}/small-rclone")
    for i in range(CFG["ls_keys"]):
        with open(f"{data}/bench-ls/k{i:05d}", "wb") as f:
            f.write(b"x" * 100)
    scenario(
        "S3",
        f"s3 ls --recursive ({CFG['ls_keys']:,} keys, s3s-fs)",
        s3_variants(lambda t: ["s3", "ls", "--recursive", "s3://bench-ls/"], ["ls", "bench:bench-ls"]),
        r,
        1,
    )

    mib = CFG["large_mib"]
    large = f"{work}/large.bin"
    with open(large, "wb") as f:
        chunk = os.urandom(1 << 20)
        for _ in range(mib):
            f.write(chunk)
    size = f"{mib // 1024} GiB" if mib >= 1024 else f"{mib} MiB"
    scenario(
        "S3",
        f"upload one {size} file",
        s3_variants(lambda t: ["s3", "cp", large, f"s3://bench/large-{t}.bin"], ["copyto", large, "bench:bench/large-rclone.bin"]),
        CFG["large_reps"],
    )
    scenario(
        "S3",
        f"download one {size} file",
        s3_variants(
            lambda t: ["s3", "cp", f"s3://bench/large-{t}.bin", f"{work}/down-{t}.bin"],
            ["copyto", "bench:bench/large-rclone.bin", f"{work}/down-rclone.bin"],
            lambda t: lambda: os.path.exists(f"{work}/down-{t}.bin") and os.remove(f"{work}/down-{t}.bin"),
        ),
        CFG["large_reps"],
    )
    for t in ("nubo", "aws", "rclone"):
        for p in (f"{work}/down-{t}.bin", f"{data}/bench/large-{t}.bin"):
            if os.path.exists(p):
                os.remove(p)

    n = CFG["small_files"]
    small = f"{work}/small"
    os.makedirs(small)
    for i in range(n):
        with open(f"{small}/f{i:05d}", "wb") as f:
            f.write(os.urandom(4096))
    scenario(
        "S3",
        f"upload {n:,} files of 4 KiB",
        s3_variants(lambda t: ["s3", "cp", "--recursive", small, f"s3://bench/small-{t}/"], ["copy", small, "bench:small-rclone"]),
        CFG["small_reps"],
    )
    scenario(
        "S3",
        f"download {n:,} files of 4 KiB",
        s3_variants(
            lambda t: ["s3", "cp", "--recursive", f"s3://bench/small-{t}/", f"{work}/down-small-{t}"],
            ["copy", "bench:small-rclone", f"{work}/down-small-rclone"],
            lambda t: rm(f"{work}/down-small-{t}"),
        ),
        CFG["small_reps"],
    )
    shutil.rmtree(small)

    # ---- listing and no-op sync at scale, against the in-memory listing server
    k = CFG["mem_keys"]
    local = f"{work}/sync"
    os.makedirs(local)
    for i in range(k):
        with open(f"{local}/f{i:07d}", "wb") as f:
            f.write(b"0123456789")
    later = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(time.time() + 3600))
    mem = start("memlist", [sys.executable, os.path.join(ROOT, "bench/memlist.py"), "{port}", str(k), "10", later])
    mem_rc = {**rc_env, "RCLONE_CONFIG_BENCH_ENDPOINT": mem}
    mep = {"AWS_ENDPOINT_URL": mem}

    def mem_variants(args, rclone_args):
        v = {"nubo": ([NUBO] + args, mep, None), "aws": ([AWS] + args, mep, None)}
        if RCLONE:
            v["rclone"] = ([RCLONE, "-q", "--retries", "1", "--low-level-retries", "1"] + rclone_args, mem_rc, None)
        return v

    scenario(
        "S3",
        f"s3 ls --recursive ({k:,} keys, in-memory server)",
        mem_variants(["s3", "ls", "--recursive", "s3://mem/data/"], ["ls", "bench:mem/data"]),
        CFG["mem_reps"],
    )
    # Nothing to do: every remote object has the local size and a later time. rclone is told to compare the
    # same way (--update --use-server-modtime), without one HEAD per object for its own mtime metadata.
    scenario(
        "S3",
        f"sync with nothing to do ({k:,} files)",
        mem_variants(
            ["s3", "sync", local, "s3://mem/data/"],
            ["sync", "--update", "--use-server-modtime", local, "bench:mem/data"],
        ),
        CFG["mem_reps"],
    )

    # ---- versions, machine, outputs
    meminfo = open("/proc/meminfo").read().split("\n")[0].split()
    cpu = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name")), platform.machine())
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "mode": "quick" if QUICK else "full",
        "machine": f"{os.cpu_count()} cores ({cpu}), {int(meminfo[1]) // 1024 // 1024} GiB memory, Linux {platform.release()}",
        "versions": {
            "nubo": version([NUBO, "--version"]),
            "aws": version([AWS, "--version"]),
            "rclone": version([RCLONE, "version"]) if RCLONE else "not installed",
            "moto": version([VPY, "-c", "import moto; print(moto.__version__)"]),
            "s3s-fs": os.environ.get("S3S_FS_VERSION", "unknown"),
            "python": platform.python_version(),
        },
        "config": CFG,
        "notes": notes,
    }
    os.makedirs(OUT, exist_ok=True)
    with open(f"{OUT}/results.json", "w") as f:
        json.dump({"meta": meta, "results": results}, f, indent=1)
    md = markdown(meta)
    with open(f"{OUT}/results.md", "w") as f:
        f.write(md)
    with open(f"{OUT}/chart.svg", "w") as f:
        f.write(svg())
    update_readme(md)
    print(md)


def stats(r):
    w = [x[0] for x in r["runs"]]
    return {
        "median": statistics.median(w),
        "min": min(w),
        "max": max(w),
        "cpu": statistics.median(x[1] for x in r["runs"]),
        "rss": max(x[2] for x in r["runs"]) / 1024,
    }


def fmt_t(s):
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


def by_scenario():
    out = {}
    for r in results:
        out.setdefault(r["scenario"], {})[r["tool"]] = r
    return out


def markdown(meta):
    v = meta["versions"]
    lines = [
        f"Measured {meta['date']} by `bench/run{' --quick' if meta['mode'] == 'quick' else ''}` on {meta['machine']}.",
        "",
        "Versions: " + "; ".join(f"{k} `{val}`" for k, val in v.items()) + ".",
        "",
        "| scenario | tool | wall median | wall min–max | CPU | peak memory | peer ÷ nubo |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    behind = []
    for name, tools in by_scenario().items():
        nubo = tools.get("nubo")
        ns = stats(nubo) if nubo and nubo["runs"] else None
        for tool, r in tools.items():
            if r["failed"] or not r["runs"]:
                lines.append(f"| {name} | {tool} | failed: {r['failed']} | | | | |")
                continue
            s = stats(r)
            ratio = ""
            if tool != "nubo" and ns:
                x = s["median"] / ns["median"]
                ratio = f"{x:.1f}x"
                if x < 1.0:
                    behind.append(f"{name}: {tool} {x:.2f}x")
            lines.append(
                f"| {name} | {tool} | {fmt_t(s['median'])} | {fmt_t(s['min'])}–{fmt_t(s['max'])} | "
                f"{fmt_t(s['cpu'])} | {s['rss']:.0f} MiB | {ratio} |"
            )
    lines.append("")
    lines.append(
        "Wall and CPU times are medians over the runs (CPU = user + system of the process and its children); "
        "peak memory is the largest resident set seen. The ratio is the peer's median wall time over nubo's: "
        "above 1x nubo is ahead."
    )
    for n in meta["notes"]:
        lines += ["", n]
    if behind:
        lines += ["", "Where nubo is not ahead in this run: " + "; ".join(behind) + "."]
    lines.append("")
    return "\n".join(lines)


def svg():
    import math

    colours = {"nubo": "#2b7a3d", "aws": "#d08a1a", "rclone": "#3a64b0"}
    groups = [(n, t) for n, t in by_scenario().items()]
    bar_h, gap, left, width = 14, 12, 330, 520
    vals = [stats(r)["median"] for _, t in groups for r in t.values() if r["runs"]]
    lo = 10 ** math.floor(math.log10(min(vals)))
    hi = 10 ** math.ceil(math.log10(max(vals)))
    span = math.log10(hi) - math.log10(lo)

    def x(v):
        return left + width * (math.log10(v) - math.log10(lo)) / span

    rows = sum(len(t) for _, t in groups)
    height = 60 + rows * bar_h + len(groups) * gap + 30
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 120}" height="{height}" '
        f'font-family="sans-serif" font-size="11">',
        '<rect width="100%" height="100%" fill="white"/>',
        f'<text x="10" y="18" font-size="13" font-weight="bold">Median wall time, log scale (shorter is better); '
        f"label: time and peer ÷ nubo</text>",
    ]
    y = 40
    decade = lo
    while decade <= hi * 1.0001:
        xx = x(decade)
        out.append(f'<line x1="{xx:.1f}" y1="{y - 6}" x2="{xx:.1f}" y2="{height - 30}" stroke="#ddd"/>')
        out.append(f'<text x="{xx:.1f}" y="{height - 16}" text-anchor="middle">{fmt_t(decade)}</text>')
        decade *= 10
    for i, (tool, c) in enumerate(colours.items()):
        out.append(f'<rect x="{left + i * 90}" y="24" width="10" height="10" fill="{c}"/>')
        out.append(f'<text x="{left + i * 90 + 14}" y="33">{tool}</text>')
    y += 6
    for name, tools in groups:
        ns = stats(tools["nubo"])["median"] if tools.get("nubo", {}).get("runs") else None
        out.append(f'<text x="{left - 8}" y="{y + bar_h * len(tools) / 2 + 4:.1f}" text-anchor="end">{escape_xml(name)}</text>')
        for tool, r in tools.items():
            if r["runs"]:
                m = stats(r)["median"]
                label = fmt_t(m) + (f"  {m / ns:.1f}x" if ns and tool != "nubo" else "")
                out.append(
                    f'<rect x="{left}" y="{y}" width="{max(x(m) - left, 1):.1f}" height="{bar_h - 2}" '
                    f'fill="{colours.get(tool, "#888")}"/>'
                )
                out.append(f'<text x="{x(m) + 4:.1f}" y="{y + bar_h - 4}">{label}</text>')
            else:
                out.append(f'<text x="{left + 4}" y="{y + bar_h - 4}">{tool}: failed</text>')
            y += bar_h
        y += gap
    out.append("</svg>\n")
    return "\n".join(out)


def escape_xml(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def update_readme(md):
    path = os.path.join(ROOT, "README.md")
    text = open(path).read()
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    if start not in text or end not in text:
        log("bench/run: README.md has no bench:start/bench:end markers; not updated")
        return
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    body = f"{start}\n![nubo against its peers](bench/results/chart.svg)\n\n{md}{end}"
    with open(path, "w") as f:
        f.write(head + body + tail)


if __name__ == "__main__":
    try:
        main()
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait()
        shutil.rmtree(work, ignore_errors=True)
