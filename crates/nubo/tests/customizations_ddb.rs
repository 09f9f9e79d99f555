//! v2's `ddb put` and `ddb select` against moto's DynamoDB: items written in the YAML-ish syntax land
//! with the right DynamoDB types (read back through the Python CLI's `dynamodb scan`), and `select`
//! rewrites v2's expressions and prints plain YAML.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use common::{Sandbox, moto_url, stderr_of, stdout_of};
use serde_json::{Value, json};

fn moto() -> Sandbox {
    let mut sb = Sandbox::new();
    sb.set_env("AWS_CLI_ERROR_FORMAT", "legacy");
    sb.set_env("AWS_ACCESS_KEY_ID", "testing")
        .set_env("AWS_SECRET_ACCESS_KEY", "testing")
        .set_env("AWS_DEFAULT_REGION", "us-east-1")
        .set_env("AWS_ENDPOINT_URL", &moto_url());
    sb
}

fn nubo(sb: &Sandbox, args: &[&str]) -> std::process::Output {
    sb.nubo().args(args).output().unwrap()
}

fn ok(out: &std::process::Output) -> String {
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(out));
    stdout_of(out)
}

/// A fresh table `name` with hash key `pk` (string) and range key `sk` (number).
fn table(sb: &Sandbox, name: &str) {
    let out = sb
        .aws()
        .args(["dynamodb", "create-table", "--table-name", name, "--billing-mode", "PAY_PER_REQUEST"])
        .args([
            "--attribute-definitions",
            "AttributeName=pk,AttributeType=S",
            "AttributeName=sk,AttributeType=N",
        ])
        .args(["--key-schema", "AttributeName=pk,KeyType=HASH", "AttributeName=sk,KeyType=RANGE"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
}

fn scan_with_python_cli(sb: &Sandbox, name: &str) -> Vec<Value> {
    let out = sb.aws().args(["dynamodb", "scan", "--table-name", name, "--output", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let v: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    let mut items = v["Items"].as_array().unwrap().clone();
    items.sort_by_key(|i| i["sk"]["N"].as_str().unwrap().parse::<i64>().unwrap());
    items
}

#[test]
fn put_writes_typed_items_one_by_one_and_in_batches() {
    let sb = moto();
    let name = format!("ddb-put-{}", std::process::id());
    table(&sb, &name);
    let one = "{pk: a, sk: 1, name: x, ok: true, none: null, price: 2.5, tags: [t, 3], \
               data: !!binary AAE=, colours: !!set {red, blue}, nested: {k: v}}";
    ok(&nubo(&sb, &["ddb", "put", &name, one]));
    let many: Vec<String> = (2..=30).map(|i| format!("{{pk: a, sk: {i}}}")).collect();
    ok(&nubo(&sb, &["ddb", "put", &name, &format!("[{}]", many.join(", "))]));
    let items = scan_with_python_cli(&sb, &name);
    assert_eq!(items.len(), 30);
    let first = &items[0];
    assert_eq!(first["name"], json!({"S": "x"}));
    assert_eq!(first["ok"], json!({"BOOL": true}));
    assert_eq!(first["none"], json!({"NULL": true}));
    assert_eq!(first["price"], json!({"N": "2.5"}));
    assert_eq!(first["tags"], json!({"L": [{"S": "t"}, {"N": "3"}]}));
    assert_eq!(first["data"], json!({"B": "AAE="}));
    let mut colours: Vec<String> =
        first["colours"]["SS"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect();
    colours.sort();
    assert_eq!(colours, ["blue", "red"]);
    assert_eq!(first["nested"], json!({"M": {"k": {"S": "v"}}}));

    // A condition applies to one item: it fails (254) when the item exists, and is refused for many.
    let out = nubo(&sb, &["ddb", "put", &name, "{pk: a, sk: 1}", "--condition", "attribute_not_exists(pk)"]);
    assert_eq!(out.status.code(), Some(254), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("ConditionalCheckFailedException"), "{}", stderr_of(&out));
    let out = nubo(&sb, &["ddb", "put", &name, "[{pk: a, sk: 1}, {pk: a, sk: 2}]", "--condition", "a = 1"]);
    assert_eq!(out.status.code(), Some(252));
    assert!(stderr_of(&out).contains("--condition is not supported for multiple items"));

    // Items from standard input.
    let out = sb.nubo().args(["ddb", "put", &name, "-"]).write_stdin("pk: a\nsk: 31\n").output().unwrap();
    ok(&out);
    assert_eq!(scan_with_python_cli(&sb, &name).len(), 31);
}

#[test]
fn select_queries_and_scans_and_prints_yaml() {
    let sb = moto();
    let name = format!("ddb-select-{}", std::process::id());
    table(&sb, &name);
    ok(&nubo(
        &sb,
        &[
            "ddb",
            "put",
            &name,
            "[{pk: a, sk: 1, n: x, bin: !!binary AAE=}, {pk: a, sk: 2, n: y}, {pk: b, sk: 3, n: z}]",
        ],
    ));
    // A key condition makes it a Query; the projection and filter are rewritten with substitutions.
    let out = ok(&nubo(
        &sb,
        &[
            "ddb",
            "select",
            &name,
            "--key-condition",
            "pk = \"a\"",
            "--filter",
            "sk >= 1",
            "--projection",
            "sk, n, bin",
        ],
    ));
    assert_eq!(
        out,
        "Count: 2\nItems:\n- bin: !!binary \"AAE=\"\n  n: x\n  sk: 1\n- n: y\n  sk: 2\nScannedCount: 2\n"
    );
    // Without one, a Scan.
    let out =
        ok(&nubo(&sb, &["ddb", "select", &name, "--filter", "n IN (\"y\", \"z\")", "--projection", "n"]));
    assert!(out.starts_with("Count: 2\nItems:\n"), "{out}");
    assert!(out.contains("- n: y\n") && out.contains("- n: z\n"), "{out}");
    // --max-items stops early and gives a token that resumes where it stopped.
    let out = ok(&nubo(&sb, &["ddb", "select", &name, "--projection", "sk", "--max-items", "2"]));
    assert!(out.contains("NextToken: "), "{out}");
    let token = out.lines().find_map(|l| l.strip_prefix("NextToken: ")).unwrap().to_string();
    let rest = ok(&nubo(&sb, &["ddb", "select", &name, "--projection", "sk", "--starting-token", &token]));
    assert_eq!(rest.matches("- sk: ").count(), 1, "{rest}");
    // Sets print as v2 prints Python sets.
    ok(&nubo(&sb, &["ddb", "put", &name, "{pk: c, sk: 4, s: !!set {red, blue}, ns: !!set {1, 2}}"]));
    let out =
        ok(&nubo(&sb, &["ddb", "select", &name, "--key-condition", "pk = \"c\"", "--projection", "s, ns"]));
    assert_eq!(
        out,
        "Count: 1\nItems:\n- ns: !!set\n    1: null\n    2: null\n  s: !!set\n    blue: null\n    red: null\nScannedCount: 1\n"
    );
    // --query applies before the YAML.
    let out =
        ok(&nubo(&sb, &["ddb", "select", &name, "--key-condition", "pk = \"b\"", "--query", "Items[0].n"]));
    assert_eq!(out, "z\n...\n");
}

#[test]
fn select_errors() {
    let sb = moto();
    let out = nubo(&sb, &["ddb", "select", "t", "--output", "json"]);
    assert_eq!(out.status.code(), Some(252));
    assert!(
        stderr_of(&out).contains("json output format is not supported for ddb commands"),
        "{}",
        stderr_of(&out)
    );
    let out = nubo(&sb, &["ddb", "select", "t", "--filter", "a ="]);
    assert_eq!(out.status.code(), Some(252), "{}", stderr_of(&out));
    let out = nubo(&sb, &["ddb", "select"]);
    assert_eq!(out.status.code(), Some(252));
    assert!(
        stderr_of(&out).contains("the following arguments are required: table_name"),
        "{}",
        stderr_of(&out)
    );
    let out = nubo(&sb, &["ddb"]);
    assert_eq!(out.status.code(), Some(252));
    assert!(
        stderr_of(&out).contains("the following arguments are required: operation"),
        "{}",
        stderr_of(&out)
    );
    let out = nubo(&sb, &["ddb", "selec"]);
    assert_eq!(out.status.code(), Some(252));
    assert!(stderr_of(&out).contains("Found invalid choice 'selec'") && stderr_of(&out).contains("* select"));
    let out = nubo(&sb, &["ddb", "select", "no-such-table"]);
    assert_eq!(out.status.code(), Some(254), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("ResourceNotFoundException"), "{}", stderr_of(&out));
}
