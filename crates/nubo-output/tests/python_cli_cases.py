"""Regenerates the expected outputs of python_cli.rs with the Python AWS CLI's own formatters.

Run with the project's virtual environment (awscli 1.45.11, PyYAML come with it):

    .venv/bin/python crates/nubo-output/tests/python_cli_cases.py            # check: exit 1 on a difference
    .venv/bin/python crates/nubo-output/tests/python_cli_cases.py --print    # the CASES entries, to paste

Each case's input (the second string of its entry) goes through `awscli.text.format_text` (text),
`awscli.formatter.TableFormatter` (colour off, terminal width 80, title `TestOperation`) and PyYAML's
`safe_dump(default_flow_style=False, allow_unicode=True)` (YAML; see python_cli.rs for why PyYAML).
"""

import argparse
import io
import json
import re
import sys
from pathlib import Path

import yaml
from awscli import text as awstext
from awscli.formatter import TableFormatter
from awscli.table import MultiTable, Styler

RUST = Path(__file__).with_name("python_cli.rs")
ENTRY = re.compile(r'\(\s*"((?:[^"\\]|\\.)*)",\s*"((?:[^"\\]|\\.)*)",\s*"((?:[^"\\]|\\.)*)",\s*'
                   r'"((?:[^"\\]|\\.)*)",\s*"((?:[^"\\]|\\.)*)",\s*\)', re.S)


def rust_unescape(s):
    return json.loads('"' + s + '"')


def rust_escape(s):
    return json.dumps(s, ensure_ascii=False)


def outputs(value):
    out = io.StringIO()
    awstext.format_text(value, out)
    text = out.getvalue()

    class Args:
        color = "off"
        query = None

    formatter = TableFormatter(Args())
    formatter.table = MultiTable(initial_section=False, column_separator="|", styler=Styler(),
                                 terminal_width=80)
    # MultiTable takes `terminal_width` but stores only the one it measures itself.
    formatter.table._terminal_width = 80
    out = io.StringIO()
    formatter("TestOperation", value, out)
    table = out.getvalue()
    dumped = yaml.safe_dump(value, default_flow_style=False, allow_unicode=True)
    return text, table, dumped


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--print", action="store_true")
    args = ap.parse_args()
    source = RUST.read_text()
    start = source.index("const CASES")
    differences = 0
    for m in ENTRY.finditer(source, start):
        name, raw = rust_unescape(m.group(1)), rust_unescape(m.group(2))
        want = tuple(rust_unescape(g) for g in m.group(3, 4, 5))
        got = outputs(json.loads(raw))
        if args.print:
            print("    (\n" + "".join(f"        {rust_escape(x)},\n" for x in (name, raw) + got) + "    ),")
        for kind, g, w in zip(("text", "table", "yaml"), got, want):
            if g != w:
                differences += 1
                print(f"{name} {kind}: the CLI gives {g!r}, python_cli.rs holds {w!r}", file=sys.stderr)
    sys.exit(1 if differences and not args.print else 0)


if __name__ == "__main__":
    main()
