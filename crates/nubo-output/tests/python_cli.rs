//! Conformance with the Python AWS CLI's formatters. The expected outputs below are produced by
//! `python_cli_cases.py` beside this file (run it with the project's `.venv/bin/python` to check or
//! regenerate them) with the AWS CLI v1 (awscli 1.45.11, Python 3.11), which feeds each input
//! (parsed from the JSON shown) to `awscli.text.format_text` (text), to
//! `awscli.formatter.TableFormatter` with colour off, a terminal width of 80 and the title
//! `TestOperation` (table), and, for YAML (which v1 lacks), to PyYAML's
//! `safe_dump(data, default_flow_style=False, allow_unicode=True)`, whose emitter and safe
//! representer are the ones ruamel.yaml (CLI v2) derives from; the chosen inputs avoid the few
//! strings on which their YAML 1.1 and 1.2 resolvers disagree (`yes`, `on`, `1e5`, `012`).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

use serde_json::Value;

fn parse(input: &str) -> Value {
    serde_json::from_str(input).unwrap_or_else(|e| panic!("bad test input {input}: {e}"))
}

#[test]
fn text_matches_python_cli() {
    let mut failures = Vec::new();
    for (name, input, text, _, _) in CASES {
        let got = nubo_output::text::render(&parse(input));
        if got != *text {
            failures.push(format!("{name}:\n got: {got:?}\nwant: {text:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn table_matches_python_cli() {
    let mut failures = Vec::new();
    for (name, input, _, table, _) in CASES {
        let got = nubo_output::table::render(&parse(input), "TestOperation");
        if got.as_deref() != Ok(*table) {
            failures.push(format!("{name}:\n got: {got:?}\nwant: {table:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn yaml_matches_python_safe_dump() {
    let mut failures = Vec::new();
    for (name, input, _, _, yaml) in CASES {
        let got = nubo_output::yaml::render(&parse(input));
        if got != *yaml {
            failures.push(format!("{name}:\n got: {got:?}\nwant: {yaml:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// (name, input JSON, text, table, yaml)
const CASES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "list_of_structs",
        "{\"Users\": [{\"UserName\": \"alice\", \"UserId\": \"AIDA1\", \"Path\": \"/\", \"CreateDate\": \"2014-10-16T16:03:09+00:00\"}, {\"UserName\": \"bob\", \"UserId\": \"AIDA2\", \"Path\": \"/eng/\", \"CreateDate\": \"2015-01-02T03:04:05Z\"}]}",
        "USERS\t2014-10-16T16:03:09+00:00\t/\tAIDA1\talice\nUSERS\t2015-01-02T03:04:05Z\t/eng/\tAIDA2\tbob\n",
        "----------------------------------------------------------------\n|                         TestOperation                        |\n+--------------------------------------------------------------+\n||                            Users                           ||\n|+----------------------------+--------+---------+------------+|\n||         CreateDate         | Path   | UserId  | UserName   ||\n|+----------------------------+--------+---------+------------+|\n||  2014-10-16T16:03:09+00:00 |  /     |  AIDA1  |  alice     ||\n||  2015-01-02T03:04:05Z      |  /eng/ |  AIDA2  |  bob       ||\n|+----------------------------+--------+---------+------------+|\n",
        "Users:\n- CreateDate: '2014-10-16T16:03:09+00:00'\n  Path: /\n  UserId: AIDA1\n  UserName: alice\n- CreateDate: '2015-01-02T03:04:05Z'\n  Path: /eng/\n  UserId: AIDA2\n  UserName: bob\n",
    ),
    (
        "nested_structs",
        "{\"Reservations\": [{\"ReservationId\": \"r-1\", \"OwnerId\": \"123456789012\", \"Instances\": [{\"InstanceId\": \"i-1\", \"State\": {\"Code\": 16, \"Name\": \"running\"}, \"Tags\": [{\"Key\": \"Name\", \"Value\": \"web\"}, {\"Key\": \"env\", \"Value\": \"prod\"}], \"SecurityGroups\": []}]}, {\"ReservationId\": \"r-2\", \"OwnerId\": \"123456789012\", \"Instances\": [{\"InstanceId\": \"i-2\", \"State\": {\"Code\": 80, \"Name\": \"stopped\"}}]}]}",
        "RESERVATIONS\t123456789012\tr-1\nINSTANCES\ti-1\nSTATE\t16\trunning\nTAGS\tName\tweb\nTAGS\tenv\tprod\nRESERVATIONS\t123456789012\tr-2\nINSTANCES\ti-2\nSTATE\t80\tstopped\n",
        "-------------------------------------\n|           TestOperation           |\n+-----------------------------------+\n||          Reservations           ||\n|+---------------+-----------------+|\n||    OwnerId    |  ReservationId  ||\n|+---------------+-----------------+|\n||  123456789012 |  r-1            ||\n|+---------------+-----------------+|\n|||           Instances           |||\n||+-------------------------------+||\n|||          InstanceId           |||\n||+-------------------------------+||\n|||  i-1                          |||\n||+-------------------------------+||\n||||            State            ||||\n|||+-----------+-----------------+|||\n||||   Code    |      Name       ||||\n|||+-----------+-----------------+|||\n||||  16       |  running        ||||\n|||+-----------+-----------------+|||\n||||            Tags             ||||\n|||+-------------+---------------+|||\n||||     Key     |     Value     ||||\n|||+-------------+---------------+|||\n||||  Name       |  web          ||||\n||||  env        |  prod         ||||\n|||+-------------+---------------+|||\n||          Reservations           ||\n|+---------------+-----------------+|\n||    OwnerId    |  ReservationId  ||\n|+---------------+-----------------+|\n||  123456789012 |  r-2            ||\n|+---------------+-----------------+|\n|||           Instances           |||\n||+-------------------------------+||\n|||          InstanceId           |||\n||+-------------------------------+||\n|||  i-2                          |||\n||+-------------------------------+||\n||||            State            ||||\n|||+-----------+-----------------+|||\n||||   Code    |      Name       ||||\n|||+-----------+-----------------+|||\n||||  80       |  stopped        ||||\n|||+-----------+-----------------+|||\n",
        "Reservations:\n- Instances:\n  - InstanceId: i-1\n    SecurityGroups: []\n    State:\n      Code: 16\n      Name: running\n    Tags:\n    - Key: Name\n      Value: web\n    - Key: env\n      Value: prod\n  OwnerId: '123456789012'\n  ReservationId: r-1\n- Instances:\n  - InstanceId: i-2\n    State:\n      Code: 80\n      Name: stopped\n  OwnerId: '123456789012'\n  ReservationId: r-2\n",
    ),
    (
        "list_of_strings",
        "{\"Names\": [\"a\", \"b\", \"c\"], \"Count\": 3}",
        "3\nNAMES\ta\nNAMES\tb\nNAMES\tc\n",
        "----------------\n| TestOperation|\n+--------+-----+\n|  Count |  3  |\n+--------+-----+\n||    Names   ||\n|+------------+|\n||  a         ||\n||  b         ||\n||  c         ||\n|+------------+|\n",
        "Count: 3\nNames:\n- a\n- b\n- c\n",
    ),
    (
        "empty_collections",
        "{\"Items\": [], \"Map\": {}, \"Name\": \"x\"}",
        "x\n",
        "---------------\n|TestOperation|\n+-------+-----+\n|  Name |  x  |\n+-------+-----+\n",
        "Items: []\nMap: {}\nName: x\n",
    ),
    (
        "nulls_bools_numbers",
        "{\"A\": null, \"B\": true, \"C\": false, \"D\": 0, \"E\": 42, \"F\": 1.5, \"G\": 1e+16, \"H\": 0.0001, \"I\": -7, \"J\": 1e-05}",
        "None\tTrue\tFalse\t0\t42\t1.5\t1e+16\t0.0001\t-7\t1e-05\n",
        "-------------------------------------------------------------------------------\n|                                TestOperation                                |\n+------+-------+--------+----+-----+------+--------+---------+------+---------+\n|   A  |   B   |   C    | D  |  E  |  F   |   G    |    H    |  I   |    J    |\n+------+-------+--------+----+-----+------+--------+---------+------+---------+\n|  None|  True |  False |  0 |  42 |  1.5 |  1e+16 |  0.0001 |  -7  |  1e-05  |\n+------+-------+--------+----+-----+------+--------+---------+------+---------+\n",
        "A: null\nB: true\nC: false\nD: 0\nE: 42\nF: 1.5\nG: 1.0e+16\nH: 0.0001\nI: -7\nJ: 1.0e-05\n",
    ),
    (
        "unicode",
        "{\"Name\": \"日本語\", \"Desc\": \"café\", \"Emoji\": \"x😀y\"}",
        "café\tx😀y\t日本語\n",
        "------------------------------\n|        TestOperation       |\n+-------+---------+----------+\n| Desc  |  Emoji  |  Name    |\n+-------+---------+----------+\n|  café|  x😀y   |  日本語  |\n+-------+---------+----------+\n",
        "Desc: café\nEmoji: x😀y\nName: 日本語\n",
    ),
    (
        "tabs_newlines",
        "{\"Text\": \"a\\tb\", \"Multi\": \"line1\\nline2\", \"Trail\": \"end \"}",
        "line1\nline2\ta\tb\tend \n",
        "----------------------------------\n|          TestOperation         |\n+--------------+-------+---------+\n|     Multi    | Text  |  Trail  |\n+--------------+-------+---------+\n|  line1\nline2 |  a\tb  |  end    |\n+--------------+-------+---------+\n",
        "Multi: 'line1\n\n  line2'\nText: \"a\\tb\"\nTrail: 'end '\n",
    ),
    (
        "single_scalar_key",
        "{\"Account\": \"123456789012\"}",
        "123456789012\n",
        "-----------------------------\n|       TestOperation       |\n+----------+----------------+\n|  Account |  123456789012  |\n+----------+----------------+\n",
        "Account: '123456789012'\n",
    ),
    (
        "nested_object",
        "{\"Config\": {\"Enabled\": true, \"Mode\": \"fast\", \"Limits\": {\"Max\": 10, \"Min\": 1}}, \"Id\": \"c-1\"}",
        "c-1\nCONFIG\tTrue\tfast\nLIMITS\t10\t1\n",
        "-----------------------\n|    TestOperation    |\n+---------+-----------+\n|  Id     |  c-1      |\n+---------+-----------+\n||      Config       ||\n|+----------+--------+|\n||  Enabled | Mode   ||\n|+----------+--------+|\n||  True    |  fast  ||\n|+----------+--------+|\n|||     Limits      |||\n||+-------+---------+||\n|||  Max  |   Min   |||\n||+-------+---------+||\n|||  10   |  1      |||\n||+-------+---------+||\n",
        "Config:\n  Enabled: true\n  Limits:\n    Max: 10\n    Min: 1\n  Mode: fast\nId: c-1\n",
    ),
    (
        "list_of_lists",
        "{\"Matrix\": [[\"a\", \"b\"], [\"c\", \"d\"]]}",
        "MATRIX\ta\nMATRIX\tb\nMATRIX\tc\nMATRIX\td\n",
        "---------------\n|TestOperation|\n+-------------+\n||  Matrix   ||\n|+----+------+|\n||  a |  b   ||\n||  c |  d   ||\n|+----+------+|\n",
        "Matrix:\n- - a\n  - b\n- - c\n  - d\n",
    ),
    (
        "wide",
        "{\"Things\": [{\"Description\": \"A fairly long description that makes this table wide\", \"Identifier\": \"thing-0123456789abcdef\", \"Status\": \"available\"}]}",
        "THINGS\tA fairly long description that makes this table wide\tthing-0123456789abcdef\tavailable\n",
        "---------------------------------------------------------------------------\n|                              TestOperation                              |\n+-------------------------------------------------------------------------+\n||                                Things                                 ||\n|+-------------+---------------------------------------------------------+|\n||  Description|  A fairly long description that makes this table wide   ||\n||  Identifier |  thing-0123456789abcdef                                 ||\n||  Status     |  available                                              ||\n|+-------------+---------------------------------------------------------+|\n",
        "Things:\n- Description: A fairly long description that makes this table wide\n  Identifier: thing-0123456789abcdef\n  Status: available\n",
    ),
    (
        "wide_multi",
        "{\"Things\": [{\"Description\": \"A fairly long description that makes this table wide\", \"Identifier\": \"thing-0123456789abcdef\", \"Status\": \"available\"}, {\"Description\": \"short\", \"Identifier\": \"t-2\", \"Status\": \"gone\"}]}",
        "THINGS\tA fairly long description that makes this table wide\tthing-0123456789abcdef\tavailable\nTHINGS\tshort\tt-2\tgone\n",
        "---------------------------------------------------------------------------------------------------\n|                                          TestOperation                                          |\n+-------------------------------------------------------------------------------------------------+\n||                                            Things                                             ||\n|+-------------------------------------------------------+--------------------------+------------+|\n||                      Description                      |       Identifier         |  Status    ||\n|+-------------------------------------------------------+--------------------------+------------+|\n||  A fairly long description that makes this table wide |  thing-0123456789abcdef  |  available ||\n||  short                                                |  t-2                     |  gone      ||\n|+-------------------------------------------------------+--------------------------+------------+|\n",
        "Things:\n- Description: A fairly long description that makes this table wide\n  Identifier: thing-0123456789abcdef\n  Status: available\n- Description: short\n  Identifier: t-2\n  Status: gone\n",
    ),
    (
        "ragged_keys",
        "{\"Items\": [{\"A\": \"1\", \"B\": \"2\"}, {\"A\": \"3\", \"C\": \"4\"}]}",
        "ITEMS\t1\t2\t\nITEMS\t3\t\t4\n",
        "-------------------\n|  TestOperation  |\n+-----------------+\n||     Items     ||\n|+---+-----+-----+|\n|| A |  B  |  C  ||\n|+---+-----+-----+|\n||  1|  2  |     ||\n||  3|     |  4  ||\n|+---+-----+-----+|\n",
        "Items:\n- A: '1'\n  B: '2'\n- A: '3'\n  C: '4'\n",
    ),
    (
        "bare_list",
        "[\"x\", \"y\", 1, null]",
        "x\ty\t1\tNone\n",
        "---------------\n|TestOperation|\n+-------------+\n|  x          |\n|  y          |\n|  1          |\n|  None       |\n+-------------+\n",
        "- x\n- y\n- 1\n- null\n",
    ),
    (
        "long_text",
        "{\"Message\": \"This is a long message that goes past the eighty column limit so that the yaml emitter folds it onto the next line\"}",
        "This is a long message that goes past the eighty column limit so that the yaml emitter folds it onto the next line\n",
        "-----------------------------------------------------------------------------------------------------------------------------------\n|                                                          TestOperation                                                          |\n+---------+-----------------------------------------------------------------------------------------------------------------------+\n|  Message|  This is a long message that goes past the eighty column limit so that the yaml emitter folds it onto the next line   |\n+---------+-----------------------------------------------------------------------------------------------------------------------+\n",
        "Message: This is a long message that goes past the eighty column limit so that the\n  yaml emitter folds it onto the next line\n",
    ),
    (
        "long_key",
        "{\"Attributes\": {\"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk\": \"v\", \"short\": \"w\"}}",
        "ATTRIBUTES\tv\tw\n",
        "------------------------------------------------------------------------------------------------------------------------------------------\n|                                                              TestOperation                                                             |\n+----------------------------------------------------------------------------------------------------------------------------------------+\n||                                                              Attributes                                                              ||\n|+---------------------------------------------------------------------------------------------------------------------------------+----+|\n||  kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk  |  v ||\n||  short                                                                                                                          |  w ||\n|+---------------------------------------------------------------------------------------------------------------------------------+----+|\n",
        "Attributes:\n  ? kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk\n  : v\n  short: w\n",
    ),
    (
        "long_quoted",
        "{\"Policy\": \"Statement\\tone word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word \", \"Note\": \"it's a 'quoted' line that is long enough to fold past the eighty column limit, surely\"}",
        "it's a 'quoted' line that is long enough to fold past the eighty column limit, surely\tStatement\tone word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word \n",
        "------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------\n|                                                                                   TestOperation                                                                                  |\n+--------+-------------------------------------------------------------------------------------------------------------------------------------------------------------------------+\n|  Note  |  it's a 'quoted' line that is long enough to fold past the eighty column limit, surely                                                                                  |\n|  Policy|  Statement\tone word word word word word word word word word word word word word word word word word word word word word word word word word word word word word word    |\n+--------+-------------------------------------------------------------------------------------------------------------------------------------------------------------------------+\n",
        "Note: it's a 'quoted' line that is long enough to fold past the eighty column limit,\n  surely\nPolicy: \"Statement\\tone word word word word word word word word word word word word\\\n  \\ word word word word word word word word word word word word word word word word\\\n  \\ word word \"\n",
    ),
    (
        "multiline_spaces",
        "{\"Script\": \"#!/bin/sh\\n  echo hi\\n\\nexit 0\\n\"}",
        "#!/bin/sh\n  echo hi\n\nexit 0\n\n",
        "--------------------------------------------\n|               TestOperation              |\n+--------+---------------------------------+\n|  Script|  #!/bin/sh\n  echo hi\n\nexit 0\n   |\n+--------+---------------------------------+\n",
        "Script: \"#!/bin/sh\\n  echo hi\\n\\nexit 0\\n\"\n",
    ),
    (
        "scalar_result",
        "\"just a string\"",
        "just a string\n",
        "---------------\n|TestOperation|\n+-------------+\n",
        "just a string\n...\n",
    ),
    (
        "quoting",
        "{\"Num\": \"123\", \"Bool\": \"true\", \"Empty\": \"\", \"Colon\": \"a: b\", \"Dash\": \"- x\", \"Hash\": \"#x\", \"Quote\": \"it's\", \"Star\": \"*x\", \"Null\": \"null\", \"Date\": \"2014-10-16\"}",
        "true\ta: b\t- x\t2014-10-16\t\t#x\tnull\t123\tit's\t*x\n",
        "-------------------------\n|     TestOperation     |\n+--------+--------------+\n|  Bool  |  true        |\n|  Colon |  a: b        |\n|  Dash  |  - x         |\n|  Date  |  2014-10-16  |\n|  Empty |              |\n|  Hash  |  #x          |\n|  Null  |  null        |\n|  Num   |  123         |\n|  Quote |  it's        |\n|  Star  |  *x          |\n+--------+--------------+\n",
        "Bool: 'true'\nColon: 'a: b'\nDash: '- x'\nDate: '2014-10-16'\nEmpty: ''\nHash: '#x'\n'Null': 'null'\nNum: '123'\nQuote: it's\nStar: '*x'\n",
    ),
];
