use super::*;
use serde_json::json;

fn model(meta: Value) -> ServiceModel {
    let doc = json!({"metadata": meta, "operations": {}, "shapes": {}});
    ServiceModel::from_json(doc.to_string().as_bytes()).unwrap()
}

fn op(v: Value) -> Operation {
    serde_json::from_value(v).unwrap()
}

fn run(m: &ServiceModel, o: &Operation, props: Value, pref: &[&str]) -> (Auth, String) {
    let pref: Vec<String> = pref.iter().map(|s| s.to_string()).collect();
    let input = json!({"Bucket": "b--usw2-az1--x-s3"});
    let a = AuthInput {
        region: "us-west-2",
        no_sign_request: false,
        preference: &pref,
        preference_source: "test",
        input: &input,
    };
    resolve(m, o, props.as_object().unwrap(), &a).unwrap()
}

#[test]
fn operation_list_wins_over_the_service_and_first_supported_is_taken() {
    let m = model(json!({"protocol": "json", "signingName": "svc", "auth": ["aws.auth#sigv4"]}));
    let o = op(json!({"name": "Op", "auth": ["smithy.api#noAuth", "aws.auth#sigv4"]}));
    let (auth, why) = run(&m, &o, json!({}), &[]);
    assert_eq!(auth, Auth::Anonymous);
    assert!(why.contains("operation Op auth: noAuth, sigv4"), "{why}");
    let (auth, _) = run(&m, &op(json!({"name": "Op2"})), json!({}), &[]);
    assert_eq!(auth.name(), "sigv4");
}

#[test]
fn preference_reorders_and_bearer_can_win() {
    let m = model(json!({"protocol": "rest-json", "signingName": "bedrock",
        "auth": ["aws.auth#sigv4", "smithy.api#httpBearerAuth"]}));
    let o = op(json!({"name": "Op"}));
    let (auth, why) = run(&m, &o, json!({}), &["httpBearerAuth"]);
    assert_eq!(auth, Auth::Bearer { signing_name: "bedrock".into() });
    assert!(why.contains("reordered by test"), "{why}");
    assert_eq!(run(&m, &o, json!({}), &[]).0.name(), "sigv4");
}

#[test]
fn endpoint_auth_schemes_give_name_region_set_and_flags() {
    let m = model(json!({"protocol": "rest-xml", "signatureVersion": "s3", "endpointPrefix": "s3"}));
    let o = op(json!({"name": "GetObject"}));
    let props = json!({"authSchemes": [
        {"name": "unknownScheme"},
        {"name": "sigv4a", "signingName": "s3", "signingRegionSet": ["*"], "disableDoubleEncoding": true}
    ]});
    let (auth, why) = run(&m, &o, props, &[]);
    let Auth::SigV4a(p) = &auth else { panic!("{auth:?}") };
    assert_eq!((p.signing_region.as_str(), p.s3_rules, p.disable_double_encoding), ("*", true, true));
    assert!(why.contains("endpoint authSchemes: unknownScheme, sigv4a, first supported: sigv4a"), "{why}");
    let props = json!({"authSchemes": [{"name": "sigv4-s3express", "signingName": "s3express", "signingRegion": "us-west-2"}]});
    let (auth, _) = run(&m, &o, props, &[]);
    assert!(
        matches!(&auth, Auth::S3Express { bucket, params } if bucket == "b--usw2-az1--x-s3" && params.signing_name == "s3express")
    );
    let err = resolve(
        &m,
        &o,
        json!({"authSchemes": [{"name": "other"}]}).as_object().unwrap(),
        &AuthInput {
            region: "r",
            no_sign_request: false,
            preference: &[],
            preference_source: "",
            input: &json!({}),
        },
    );
    assert!(err.is_err());
}

#[test]
fn legacy_signature_versions_and_no_sign_request() {
    let sdb = model(json!({"protocol": "query", "signatureVersion": "v2"}));
    assert_eq!(run(&sdb, &op(json!({"name": "ListDomains"})), json!({}), &[]).0, Auth::SigV2);
    let rules = json!({"authSchemes": [{"name": "sigv4", "signingName": "IngestionService", "signingRegion": "us-east-1"}]});
    let (auth, why) = run(&sdb, &op(json!({"name": "ListJobs"})), rules, &[]);
    assert_eq!(auth.sigv4().unwrap().signing_name, "IngestionService");
    assert!(why.contains("service signatureVersion v2: sigv2; endpoint authSchemes: sigv4"), "{why}");
    let cc =
        model(json!({"protocol": "rest-json", "signatureVersion": "bearer", "signingName": "codecatalyst"}));
    assert_eq!(run(&cc, &op(json!({"name": "ListSpaces"})), json!({}), &[]).0.name(), "bearer");
    let unsigned = op(json!({"name": "Op", "authtype": "none"}));
    assert_eq!(run(&cc, &unsigned, json!({}), &[]).0, Auth::Anonymous);
    let a = AuthInput {
        region: "r",
        no_sign_request: true,
        preference: &[],
        preference_source: "",
        input: &json!({}),
    };
    let (auth, why) = resolve(&cc, &unsigned, &Map::new(), &a).unwrap();
    assert_eq!((auth, why.as_str()), (Auth::Anonymous, "auth: none because --no-sign-request"));
}

#[test]
fn s3_express_tokens_move_out_of_the_security_token_and_bearer_tokens_into_authorization() {
    let params = SigV4Params {
        signing_name: "s3express".into(),
        signing_region: "us-west-2".into(),
        s3_rules: true,
        unsigned_payload: false,
        disable_double_encoding: true,
        disable_normalize_path: true,
    };
    let express = Auth::S3Express { params, bucket: "b--usw2-az1--x-s3".into() };
    let creds = nubo_sign::Credentials::new("ASIA", "s", Some("sess".into()));
    let (keys, extra) = sigv4_identity(&express, &creds, false);
    assert_eq!(
        (keys.session_token, extra),
        (None, vec![(S3_SESSION_TOKEN_HEADER.to_string(), "sess".to_string())])
    );
    let (_, extra) = sigv4_identity(&express, &creds, true);
    assert_eq!(extra[0].0, "X-Amz-S3session-Token");
    let prepared = crate::Prepared {
        method: "GET".into(),
        url: "https://h/".into(),
        headers: vec![("Authorization".into(), "old".into())],
        body: Vec::new().into(),
        payload_sha256: None,
        auth: Auth::Bearer { signing_name: "codecatalyst".into() },
        auth_why: String::new(),
        response: Default::default(),
    };
    let signed =
        sign_other(&prepared, Some(&bearer_credentials("tok".into())), std::time::SystemTime::now()).unwrap();
    assert_eq!(signed.headers, vec![("Authorization".to_string(), "Bearer tok".to_string())]);
    assert!(sign_other(&prepared, None, std::time::SystemTime::now()).is_err());
}
