//! Shared by the response-parser targets: bundled models loaded once, and one fuzz input turned into a
//! response (first byte: which operation; second: the status class; the rest: the body).

use nubo_client::Service;
use nubo_model::Loader;
use nubo_protocol::Response;
use std::sync::OnceLock;

pub struct Services(pub Vec<(Service, Vec<&'static str>)>);

pub fn load(wanted: &[(&'static str, &[&'static str])]) -> Services {
    let loader = Loader::new(Vec::new());
    Services(
        wanted
            .iter()
            .map(|(name, ops)| {
                let files = loader.load_service(name).unwrap_or_else(|e| panic!("{name}: {e}"));
                let service = Service::from_files(name, files).unwrap_or_else(|e| panic!("{name}: {e:?}"));
                (service, ops.to_vec())
            })
            .collect(),
    )
}

/// Parses `data` as a response to one of the operations of `services`. Any result is fine; a panic,
/// a hang or unbounded memory is a finding.
pub fn run(services: &'static OnceLock<Services>, init: fn() -> Services, content_type: &str, data: &[u8]) {
    let services = services.get_or_init(init);
    let [pick, status, body @ ..] = data else { return };
    let all: Vec<(&Service, &str)> =
        services.0.iter().flat_map(|(s, ops)| ops.iter().map(move |o| (s, *o))).collect();
    let (service, op_name) = all[*pick as usize % all.len()];
    let Some(op) = service.model.operation(op_name) else { panic!("{op_name} not in the model") };
    let status = match status % 4 {
        0 | 1 => 200,
        2 => 400,
        _ => 500,
    };
    let response = Response {
        status,
        headers: vec![
            ("content-type".into(), content_type.into()),
            ("x-amzn-requestid".into(), "r".into()),
            ("smithy-protocol".into(), "rpc-v2-cbor".into()),
        ],
        body: body.to_vec(),
    };
    let _ = nubo_protocol::de::parse_response(&service.model, op, &response);
}
