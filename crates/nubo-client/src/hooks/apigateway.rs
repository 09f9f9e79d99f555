//! API Gateway: every request says it accepts JSON (`Accept: application/json`) unless it already
//! names a type, as botocore's `add_accept_header` does; without it the control plane may answer in
//! HAL+JSON, which the response parser does not expect.

use super::has_header;

/// Adds `Accept: application/json` when the request has no `Accept` header.
pub(super) fn add_accept(headers: &mut Vec<(String, String)>) {
    if !has_header(headers, "Accept") {
        headers.push(("Accept".into(), "application/json".into()));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn accept_is_added_once() {
        let mut h = Vec::new();
        super::add_accept(&mut h);
        assert_eq!(h, [("Accept".to_string(), "application/json".to_string())]);
        let mut given = vec![("accept".to_string(), "application/hal+json".to_string())];
        super::add_accept(&mut given);
        assert_eq!(given.len(), 1);
    }
}
