//! Arbitrary command lines never make `parse` panic: random option names, values made of the
//! characters that matter to shorthand, JSON and argparse, and random nesting.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

use nubo_args::{ArgOptions, BinaryFormat};
use nubo_model::ServiceModel;

const MODEL: &str = r#"{"metadata":{"protocol":"json","serviceId":"Fuzz"},"operations":{
    "Op":{"name":"Op","input":{"shape":"In"},"output":{"shape":"Out"}}},
    "shapes":{
    "In":{"type":"structure","required":["Name"],"members":{
        "Name":{"shape":"S"},"Count":{"shape":"I"},"Big":{"shape":"L"},"Ratio":{"shape":"D"},"On":{"shape":"B"},
        "When":{"shape":"T"},"Data":{"shape":"Blob"},"Filters":{"shape":"Filters"},"Tags":{"shape":"Tags"},
        "Ids":{"shape":"Strs"},"Nums":{"shape":"Ints"},"Doc":{"shape":"Doc"},"Node":{"shape":"Node"},
        "Value":{"shape":"Attr"},"Choice":{"shape":"U"}}},
    "Out":{"type":"structure","members":{"Node":{"shape":"Node"}}},
    "Filters":{"type":"list","member":{"shape":"Filter"}},
    "Filter":{"type":"structure","members":{"Name":{"shape":"S"},"Values":{"shape":"Strs"},"Count":{"shape":"I"},
        "On":{"shape":"B"},"Doc":{"shape":"Doc"},"Sub":{"shape":"Filters"},"Tags":{"shape":"Tags"}}},
    "Tags":{"type":"map","key":{"shape":"S"},"value":{"shape":"Filter"}},
    "Node":{"type":"structure","members":{"Child":{"shape":"Node"},"Items":{"shape":"Nodes"},"Data":{"shape":"Blob"}}},
    "Nodes":{"type":"list","member":{"shape":"Node"}},
    "Attr":{"type":"structure","members":{"Value":{"shape":"S"}}},
    "U":{"type":"structure","union":true,"members":{"A":{"shape":"S"},"B":{"shape":"Node"}}},
    "Strs":{"type":"list","member":{"shape":"S"},"min":1},"Ints":{"type":"list","member":{"shape":"I"}},
    "S":{"type":"string","min":1},"I":{"type":"integer","min":0},"L":{"type":"long"},"D":{"type":"double"},
    "B":{"type":"boolean"},"T":{"type":"timestamp"},"Blob":{"type":"blob"},
    "Doc":{"type":"structure","members":{},"document":true}}}"#;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const OPTIONS: &[&str] = &[
    "--name",
    "--count",
    "--big",
    "--ratio",
    "--on",
    "--no-on",
    "--when",
    "--data",
    "--filters",
    "--tags",
    "--ids",
    "--nums",
    "--doc",
    "--node",
    "--value",
    "--choice",
    "--cli-input-json",
    "--cli-input-yaml",
    "--generate-cli-skeleton",
    "--",
    "-",
    "--f",
    "--n",
    "help",
    "--name=",
    "--on=1",
];

const PIECES: &[&str] = &[
    "a",
    "Name",
    "Values",
    "Count",
    "On",
    "Doc",
    "Sub",
    "Tags",
    "Child",
    "Items",
    "A",
    "B",
    "=",
    ",",
    "[",
    "]",
    "{",
    "}",
    "'",
    "\"",
    "\\",
    "\\,",
    " ",
    "\n",
    "@=",
    "file://",
    "fileb://",
    "1",
    "-1",
    "1.5",
    "true",
    "null",
    "é",
    "😀",
    ":",
    "#",
    "aGk=",
    "2014-01-01",
    "{\"a\":",
    "[1,",
    "]",
    "}",
    "\t",
    "=[",
    "={",
    "\\'",
];

fn value(rng: &mut Rng) -> String {
    let n = rng.below(12);
    (0..n).map(|_| PIECES[rng.below(PIECES.len())]).collect()
}

#[test]
fn random_command_lines_do_not_panic() {
    let model = ServiceModel::from_json(MODEL.as_bytes()).unwrap();
    let op = model.operation("Op").unwrap();
    let mut rng = Rng(0x5eed);
    for i in 0..20_000 {
        let mut args = Vec::new();
        for _ in 0..rng.below(6) {
            args.push(OPTIONS[rng.below(OPTIONS.len())].to_string());
            for _ in 0..rng.below(3) {
                args.push(value(&mut rng));
            }
        }
        let opts = ArgOptions {
            service: "fuzz".into(),
            paginated: i % 3 == 0,
            input_tokens: vec!["Name".into()],
            limit_key: Some("Count".into()),
            no_paginate: i % 5 == 0,
            binary_format: if i % 2 == 0 { BinaryFormat::Base64 } else { BinaryFormat::RawInBase64Out },
            parameter_validation: i % 7 != 0,
        };
        let _ = nubo_args::parse(&model, op, &args, &opts);
    }
}

#[test]
fn deep_values_do_not_overflow_the_stack() {
    let model = ServiceModel::from_json(MODEL.as_bytes()).unwrap();
    let op = model.operation("Op").unwrap();
    let opts = ArgOptions { service: "fuzz".into(), ..ArgOptions::default() };
    let deep_json = format!("{}{}", "{\"Child\":".repeat(5_000), "}".repeat(5_000));
    let deep_short = format!("{}{}", "Child={".repeat(2_000), "}".repeat(2_000));
    // Just inside the limits (Python's recursion limit bounds the CLI's nesting too).
    let json_500 = format!("{}{}", "{\"Child\":".repeat(500), "}".repeat(500));
    let short_290 = format!("{}{}", "Child={".repeat(290), "}".repeat(290));
    for v in [deep_json, deep_short, "[".repeat(50_000), json_500, short_290] {
        let args = vec!["--name".to_string(), "n".to_string(), "--node".to_string(), v];
        let _ = nubo_args::parse(&model, op, &args, &opts);
    }
}
