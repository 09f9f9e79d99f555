//! Response parsers: turn an HTTP response into the operation's output (a `serde_json::Value` keyed by
//! member names, in the AWS CLI's output conventions) or into a [`ServiceError`], for each protocol.
//! Hand-written because no crate parses botocore's model format.
//!
//! Behaviour follows botocore's parsers as the AWS CLI v2 configures them (blobs stay base64,
//! timestamps become ISO 8601 strings), with the Smithy protocol tests' rules where botocore is
//! silent or errs: quoted list headers, dense maps without nulls, error codes from
//! `X-Amzn-Errortype` in every JSON protocol, no empty payload members for empty bodies.
//!
//! A status of 301 or more is an error, as for botocore; so is an S3 `200 OK` whose body is an
//! `<Error>` document or is not XML at all (then with status 500, so that it is retried). Error
//! codes lose namespace prefixes (`ns#Code`) and `:`-suffixes; a server error with an empty or HTML
//! body, or any error body that cannot be read, gives the HTTP status as the code and its reason
//! phrase as the message (S3's `HEAD` 404: code `404`, message `Not Found`). Where botocore's error
//! would carry no message (XML errors without `<Message>`) the message is `Unknown`, which is what the
//! CLI prints then. A success response that cannot be parsed gives a [`ServiceError`] with code
//! [`RESPONSE_PARSER_ERROR`].

// `ServiceError` is the error type the crate's interface names; it is returned by value.
#![allow(clippy::result_large_err)]

mod cbor_shape;
mod errors;
mod json_rpc;
mod json_shape;
mod query;
mod rest;
mod rest_json;
mod rest_xml;
mod rpc_cbor;
mod scalar;
pub mod timestamp;
mod xml;
mod xml_shape;

use crate::{Response, ServiceError};
use nubo_model::{Operation, ServiceModel, Shape, ShapeRef, ShapeType};
use serde_json::Value;

/// The code of the [`ServiceError`] returned when a success response's body cannot be parsed.
pub const RESPONSE_PARSER_ERROR: &str = "ResponseParserError";

/// Parse `resp`, the answer to `op`: the output on success, the service error otherwise.
///
/// The output leaves out the streaming payload member (see [`streaming_member`]): the caller writes
/// the body where it belongs. An operation without output gives `{}`.
pub fn parse_response(model: &ServiceModel, op: &Operation, resp: &Response) -> Result<Value, ServiceError> {
    let ctx = Ctx { model };
    match model.protocol() {
        "query" => query::parse(&ctx, op, resp, query::Dialect::Query),
        "ec2" => query::parse(&ctx, op, resp, query::Dialect::Ec2),
        "json" => json_rpc::parse(&ctx, op, resp),
        "rest-json" => rest_json::parse(&ctx, op, resp),
        "rest-xml" => rest_xml::parse(&ctx, op, resp),
        "smithy-rpc-v2-cbor" => rpc_cbor::parse(&ctx, op, resp),
        other => Err(errors::service_error(
            RESPONSE_PARSER_ERROR,
            &format!("unsupported protocol {other:?}"),
            resp.status,
            serde_json::Map::new(),
        )),
    }
}

/// The output member that carries a streaming body (S3 `GetObject`'s `Body`), if the operation has
/// one: [`parse_response`] leaves it out, and the caller writes the response body to a file.
pub fn streaming_member<'a>(model: &'a ServiceModel, op: &'a Operation) -> Option<&'a str> {
    let output = model.shapes.get(&op.output.as_ref()?.shape)?;
    let name = output.payload.as_deref()?;
    let mref = output.members.get(name)?;
    let shape = model.shapes.get(&mref.shape)?;
    let streams = (mref.streaming || shape.streaming) && !shape.eventstream;
    (streams && matches!(shape.type_, ShapeType::Blob | ShapeType::String)).then_some(name)
}

/// Model access for the parsers.
pub(crate) struct Ctx<'a> {
    pub model: &'a ServiceModel,
}

impl<'a> Ctx<'a> {
    pub fn shape(&self, name: &str) -> Parsed<&'a Shape> {
        self.model.shapes.get(name).ok_or_else(|| ParseError(format!("shape {name} is not in the model")))
    }

    /// The operation's output shape, if it has one.
    pub fn output(&self, op: &Operation) -> Parsed<Option<&'a Shape>> {
        op.output.as_ref().map(|r| self.shape(&r.shape)).transpose()
    }
}

/// Why a body could not be parsed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ParseError(pub String);

pub(crate) type Parsed<T> = Result<T, ParseError>;

/// Whether a member lives outside the body (headers or the status code).
pub(crate) fn is_located(mref: &ShapeRef) -> bool {
    matches!(mref.location.as_deref(), Some("header" | "headers" | "statusCode"))
}

/// A success response whose body could not be parsed.
pub(crate) fn unparseable(resp: &Response, err: ParseError) -> ServiceError {
    errors::service_error(
        RESPONSE_PARSER_ERROR,
        &format!("Unable to parse response ({})", err.0),
        resp.status,
        serde_json::Map::new(),
    )
}

#[cfg(test)]
mod robustness_tests {
    //! Malformed and truncated responses of every protocol must give a value or an error, never a
    //! panic.
    use super::*;

    const SHAPES: &str = r#"{
      "Out":{"type":"structure","members":{
        "H":{"shape":"Str","location":"header","locationName":"x-h"},
        "HL":{"shape":"TsList","location":"header","locationName":"x-list"},
        "HJ":{"shape":"Str","location":"header","locationName":"x-json","jsonvalue":true},
        "HM":{"shape":"StrMap","location":"headers","locationName":"x-meta-"},
        "S":{"shape":"Int","location":"statusCode"},
        "A":{"shape":"Str","locationName":"a","xmlAttribute":true},
        "N":{"shape":"Nested"},"L":{"shape":"NestedList"},"F":{"shape":"StrList","flattened":true},
        "M":{"shape":"StrMap"},"FM":{"shape":"StrMap","flattened":true},"U":{"shape":"Union"},
        "T":{"shape":"Ts"},"B":{"shape":"Blob"},"D":{"shape":"Dbl"},"Doc":{"shape":"Doc"},"Bool":{"shape":"Bool"}}},
      "Nested":{"type":"structure","members":{"Self":{"shape":"Nested"},"V":{"shape":"Int"}}},
      "NestedList":{"type":"list","member":{"shape":"Nested","locationName":"item"}},
      "StrList":{"type":"list","member":{"shape":"Str"}},
      "TsList":{"type":"list","member":{"shape":"Ts"}},
      "StrMap":{"type":"map","key":{"shape":"Str"},"value":{"shape":"Str"}},
      "Union":{"type":"structure","members":{"X":{"shape":"Str"},"Y":{"shape":"Int"}},"union":true},
      "Err":{"type":"structure","members":{"Message":{"shape":"Str"},"N":{"shape":"Nested"}},"exception":true},
      "Str":{"type":"string"},"Int":{"type":"integer"},"Ts":{"type":"timestamp"},"Blob":{"type":"blob"},
      "Dbl":{"type":"double"},"Bool":{"type":"boolean"},"Doc":{"type":"structure","members":{},"document":true}}"#;

    fn model(protocol: &str) -> ServiceModel {
        let doc = format!(
            r#"{{"metadata":{{"protocol":"{protocol}","serviceId":"S3"}},
            "operations":{{"Op":{{"name":"Op","output":{{"shape":"Out","resultWrapper":"OpResult"}},"errors":[{{"shape":"Err"}}]}}}},
            "shapes":{SHAPES}}}"#
        );
        ServiceModel::from_json(doc.as_bytes()).unwrap()
    }

    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    fn seeds(protocol: &str) -> Vec<Vec<u8>> {
        let xml = br#"<OpResponse a="x"><OpResult a="y"><N><Self><V>1</V></Self><V>2</V></N><L><item><V>3</V></item></L><F>a</F><F>b</F><M><entry><key>k</key><value>v</value></entry></M><FM><key>k</key><value>v</value></FM><U><Z>1</Z></U><T>2014-04-29T18:30:38Z</T><B>Zm9v</B><D>NaN</D><Bool>true</Bool></OpResult></OpResponse>"#.to_vec();
        let err_xml = b"<ErrorResponse><Error><Code>Err</Code><Message>m</Message><N><V>1</V></N></Error></ErrorResponse>".to_vec();
        let json = br#"{"N":{"Self":{"V":1}},"L":[{"V":2},null],"F":["a"],"M":{"k":"v","n":null},"U":{"Z":1},"T":1398796238.5,"B":"Zm9v","D":"Infinity","Doc":{"x":[1,{"y":null}]},"Bool":true,"__type":"ns#Err","message":"m"}"#.to_vec();
        let cbor = vec![
            0xbf, 0x61, b'N', 0xa1, 0x61, b'V', 0x01, 0x61, b'T', 0xc1, 0xfb, 0x41, 0xd4, 0xd7, 0xfb, 0xf3,
            0x80, 0, 0, 0x61, b'B', 0x5f, 0x41, b'a', 0xff, 0x66, b'_', b'_', b't', b'y', b'p', b'e', 0x63,
            b'E', b'r', b'r', 0xff,
        ];
        match protocol {
            "query" | "ec2" | "rest-xml" => vec![xml, err_xml],
            "smithy-rpc-v2-cbor" => vec![cbor],
            _ => vec![json],
        }
    }

    #[test]
    fn mangled_responses_never_panic() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for protocol in ["query", "ec2", "json", "rest-json", "rest-xml", "smithy-rpc-v2-cbor"] {
            let m = model(protocol);
            let op = m.operation("Op").unwrap();
            let seeds = seeds(protocol);
            for _ in 0..1500 {
                let mut body = seeds[rng.below(seeds.len())].clone();
                match rng.below(4) {
                    0 => body.truncate(rng.below(body.len() + 1)),
                    1 => {
                        for _ in 0..1 + rng.below(4) {
                            let i = rng.below(body.len());
                            body[i] = rng.next() as u8;
                        }
                    }
                    2 => {
                        let i = rng.below(body.len() + 1);
                        const JUNK: &[u8] = b"<>&;\"'#:{}[],\xff\x00ab";
                        let junk: Vec<u8> = (0..rng.below(8)).map(|_| JUNK[rng.below(JUNK.len())]).collect();
                        body.splice(i..i, junk);
                    }
                    _ => body = (0..rng.below(64)).map(|_| rng.next() as u8).collect(),
                }
                let status = [200, 200, 400, 404, 500, 503][rng.below(6)];
                let values = [
                    "",
                    "a, \"b",
                    "Mon, 16 Dec 2019 23:48:18 GMT, x",
                    "dHJ1ZQ==",
                    "\u{e9}\u{20ac}",
                    "1e999",
                    "Err;Sender",
                ];
                let headers = [
                    "x-h",
                    "x-list",
                    "x-json",
                    "x-meta-k",
                    "x-amzn-errortype",
                    "x-amzn-query-error",
                    "Expires",
                ]
                .iter()
                .map(|h| (h.to_string(), values[rng.below(values.len())].to_string()))
                .collect();
                let resp = Response { status, headers, body };
                let _ = parse_response(&m, op, &resp);
            }
        }
    }
}
