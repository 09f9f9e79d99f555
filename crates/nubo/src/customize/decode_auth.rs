//! Decoding of encoded authorization failures: when a call is denied with `Encoded authorization failure
//! message: …`, nubo asks STS (`DecodeAuthorizationMessage`, same credentials) what it says and prints a
//! readable account after the usual error line. Off with `cli_decode_authorization_messages = false` or
//! `NUBO_DECODE_AUTHORIZATION_MESSAGES=false`.

use nubo_session::Session;
use serde_json::{Value, json};

const MARKER: &str = "Encoded authorization failure message: ";

/// Whether decoding is on for this command.
pub fn enabled(ctx: &Session) -> bool {
    let off = |v: &str| v.eq_ignore_ascii_case("false");
    if ctx.env.get("NUBO_DECODE_AUTHORIZATION_MESSAGES").is_some_and(off) {
        return false;
    }
    let Ok(r) = ctx.resolver() else { return true };
    !r.from_profile("cli_decode_authorization_messages").is_some_and(|s| off(&s.value))
}

/// The encoded message inside an error message, if there is one.
pub fn encoded_message(message: &str) -> Option<&str> {
    let start = message.find(MARKER)? + MARKER.len();
    let rest = &message[start..];
    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let m = &rest[..end];
    (!m.is_empty()).then_some(m)
}

/// What goes below an error whose message holds an encoded authorization failure: the decoded
/// reason, or one line saying why it could not be decoded; `None` for other errors.
pub fn note(ctx: &Session, message: &str) -> Option<String> {
    let encoded = encoded_message(message).filter(|_| enabled(ctx))?;
    Some(match decode(ctx, encoded) {
        Ok(text) => text,
        Err(why) => format!("Could not decode the authorization failure message: {why}"),
    })
}

fn decode(ctx: &Session, encoded: &str) -> Result<String, String> {
    let sts = ctx.service("sts").map_err(|e| e.to_string())?;
    let op =
        sts.model.operations.get("DecodeAuthorizationMessage").ok_or("the STS model lacks the operation")?;
    let input = json!({ "EncodedMessage": encoded });
    let out = ctx.call(&sts, op, &input).map_err(|e| e.to_string())?;
    let decoded =
        out.output.get("DecodedMessage").and_then(Value::as_str).ok_or("STS returned no DecodedMessage")?;
    let doc: Value =
        serde_json::from_str(decoded).map_err(|e| format!("the decoded message is not JSON: {e}"))?;
    Ok(render(&doc))
}

/// `sts decode-authorization-message` output in `--output text|table`, or on a terminal: the readable
/// account instead of the JSON (which the `json` output to a pipe keeps, as the CLI prints it).
pub fn render_decode_output(ctx: &Session, output: &Value) -> Option<String> {
    use std::io::IsTerminal;
    let format = ctx.output_format().map(|s| s.value).unwrap_or_else(|_| "json".into());
    let readable = matches!(format.as_str(), "text" | "table") || std::io::stdout().is_terminal();
    if !readable {
        return None;
    }
    let doc: Value = serde_json::from_str(output.get("DecodedMessage")?.as_str()?).ok()?;
    Some(render(&doc) + "\n")
}

/// A readable account of a decoded authorization message, then the document itself.
pub fn render(doc: &Value) -> String {
    let s = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => "-".into(),
        other => other.to_string(),
    };
    let ctx = &doc["context"];
    let mut out = String::from("Decoded authorization failure message:\n");
    out.push_str(&format!("  allowed:        {}\n", s(&doc["allowed"])));
    out.push_str(&format!("  explicit deny:  {}\n", s(&doc["explicitDeny"])));
    out.push_str(&format!("  action:         {}\n", s(&ctx["action"])));
    out.push_str(&format!("  resource:       {}\n", s(&ctx["resource"])));
    let principal =
        ctx["principal"].get("arn").or(ctx["principal"].get("id")).cloned().unwrap_or(Value::Null);
    out.push_str(&format!("  principal:      {}\n", s(&principal)));
    let items = |v: &Value| v.get("items").and_then(Value::as_array).cloned().unwrap_or_default();
    let statements = items(&doc["matchedStatements"]);
    if statements.is_empty() {
        out.push_str("  matched statements: none (no policy statement allows this)\n");
    } else {
        out.push_str("  matched statements:\n");
        for st in statements {
            let effect = s(&st["effect"]);
            let sid = st.get("statementId").map(s).unwrap_or_default();
            let src = st["source"].get("arn").or(st["source"].get("policyId")).map(s).unwrap_or_default();
            out.push_str(&format!("    {effect} {sid} {src}\n"));
        }
    }
    let conditions = items(&ctx["conditions"]);
    if !conditions.is_empty() {
        out.push_str("  conditions:\n");
        for c in conditions {
            let values: Vec<String> = items(&c["values"]).iter().map(|v| s(&v["value"])).collect();
            out.push_str(&format!("    {} = {}\n", s(&c["key"]), values.join(", ")));
        }
    }
    out.push_str("  decoded document:\n");
    for line in serde_json::to_string_pretty(doc).unwrap_or_default().lines() {
        out.push_str("    ");
        out.push_str(line);
        out.push('\n');
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_encoded_message() {
        assert_eq!(
            encoded_message("You are not authorized. Encoded authorization failure message: abc-DEF_123"),
            Some("abc-DEF_123")
        );
        assert_eq!(encoded_message("Access denied"), None);
        assert_eq!(encoded_message("Encoded authorization failure message: "), None);
    }

    #[test]
    fn renders_the_decision() {
        let doc = json!({"allowed": false, "explicitDeny": true,
            "matchedStatements": {"items": [{"statementId": "DenyAll", "effect": "DENY", "source": {"arn": "arn:aws:iam::1:policy/p"}}]},
            "context": {"principal": {"id": "AID", "arn": "arn:aws:iam::1:user/u"}, "action": "ec2:RunInstances",
                        "resource": "arn:aws:ec2:us-east-1:1:instance/*",
                        "conditions": {"items": [{"key": "aws:Region", "values": {"items": [{"value": "us-east-1"}]}}]}}});
        let text = render(&doc);
        assert!(text.contains("explicit deny:  true"));
        assert!(text.contains("DENY DenyAll arn:aws:iam::1:policy/p"));
        assert!(text.contains("aws:Region = us-east-1"));
        assert!(text.contains("principal:      arn:aws:iam::1:user/u"));
    }
}
