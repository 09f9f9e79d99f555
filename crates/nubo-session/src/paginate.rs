//! Auto-pagination from the service's `paginators-1.json`, merged the way the AWS CLI merges pages
//! (result keys concatenated, other listed keys from the pages, `NextToken` when `--max-items` cuts
//! the result), with `--starting-token`, `--page-size` and `--max-items`.

use base64::Engine;
use nubo_client::Service;
use nubo_output::query::search;
use serde_json::{Map, Value};

/// One operation's paginator.
#[derive(Debug, Clone)]
pub struct Paginator {
    pub input_tokens: Vec<String>,
    pub output_tokens: Vec<String>,
    pub limit_key: Option<String>,
    pub more_results: Option<String>,
    pub result_keys: Vec<String>,
    pub non_aggregate_keys: Vec<String>,
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect(),
        _ => Vec::new(),
    }
}

/// The paginator of `op`, if the service has one for it.
pub fn paginator(service: &Service, op: &str) -> Option<Paginator> {
    let json: Value = serde_json::from_slice(service.paginators_json()?).ok()?;
    let p = json.get("pagination")?.get(op)?;
    Some(Paginator {
        input_tokens: strings(p.get("input_token")),
        output_tokens: strings(p.get("output_token")),
        limit_key: p.get("limit_key").and_then(Value::as_str).map(str::to_string),
        more_results: p.get("more_results").and_then(Value::as_str).map(str::to_string),
        result_keys: strings(p.get("result_key")),
        non_aggregate_keys: strings(p.get("non_aggregate_keys")),
    })
}

/// Sets a plain or dotted key (`A`, `A.B`) in `target`.
fn set_path(target: &mut Map<String, Value>, path: &str, value: Value) {
    let mut parts = path.split('.').peekable();
    let mut cur = target;
    while let Some(p) = parts.next() {
        if parts.peek().is_none() {
            cur.insert(p.to_string(), value);
            return;
        }
        let next = cur.entry(p.to_string()).or_insert_with(|| Value::Object(Map::new()));
        if !next.is_object() {
            *next = Value::Object(Map::new());
        }
        let Some(obj) = next.as_object_mut() else { return };
        cur = obj;
    }
}

/// Pagination options from the command line.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub max_items: Option<usize>,
    pub starting_token: Option<String>,
    pub page_size: Option<Value>,
}

/// Decodes a `--starting-token`: base64 JSON `{input token: value, "boto_truncate_amount": n}`, or a
/// bare token for a single-token paginator.
pub fn decode_token(p: &Paginator, token: &str) -> (Map<String, Value>, usize) {
    if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(token)
        && let Ok(Value::Object(mut m)) = serde_json::from_slice::<Value>(&bytes)
    {
        let skip = m.remove("boto_truncate_amount").and_then(|v| v.as_u64()).unwrap_or(0) as usize;
        // botocore writes every input token, `null` for those it has no value for; none is sent.
        m.retain(|_, v| !v.is_null());
        return (m, skip);
    }
    let mut m = Map::new();
    if let Some(first) = p.input_tokens.first() {
        m.insert(first.clone(), Value::String(token.to_string()));
    }
    (m, 0)
}

/// Encodes a resume token as botocore does, so that either CLI resumes from the other's: base64 of
/// Python's `json.dumps` of every input token of the paginator in order (`null` when it has no value;
/// botocore refuses a token whose keys differ), then `boto_truncate_amount` when a page was cut.
pub fn encode_token(p: &Paginator, tokens: &Map<String, Value>, truncate: usize) -> String {
    let mut m = Map::new();
    for key in &p.input_tokens {
        m.insert(key.clone(), tokens.get(key).cloned().unwrap_or(Value::Null));
    }
    for (k, v) in tokens {
        m.entry(k.clone()).or_insert_with(|| v.clone());
    }
    if truncate > 0 {
        m.insert("boto_truncate_amount".into(), Value::from(truncate));
    }
    let json = nubo_py::json::dumps(&Value::Object(m), nubo_py::json::Style::Default, false);
    base64::engine::general_purpose::STANDARD.encode(json)
}

/// Runs the pages: `call(input)` makes one call. Returns the merged result.
pub fn run<E>(
    p: &Paginator,
    mut input: Value,
    opts: &Options,
    mut call: impl FnMut(&Value) -> Result<Value, E>,
) -> Result<Value, E> {
    let mut complete = Map::new();
    let mut non_aggregate = Map::new();
    let mut skip = 0;
    let mut tokens = Map::new();
    if let Some(t) = &opts.starting_token {
        let (m, s) = decode_token(p, t);
        tokens = m;
        skip = s;
    }
    if let (Some(limit), Some(size)) = (&p.limit_key, &opts.page_size) {
        input[limit.as_str()] = size.clone();
    }
    let mut taken = 0usize;
    let mut resume: Option<String> = None;
    let mut previous: Option<Map<String, Value>> = None;
    loop {
        for (k, v) in &tokens {
            input[k.as_str()] = v.clone();
        }
        let page = call(&input)?;
        for key in &p.non_aggregate_keys {
            set_path(&mut non_aggregate, key, search(key, &page));
        }
        let mut page_items = 0usize;
        let mut truncated_at: Option<usize> = None;
        for (i, key) in p.result_keys.iter().enumerate() {
            let mut value = search(key, &page);
            if value.is_null() {
                continue;
            }
            if let Value::Array(items) = &mut value {
                if skip > 0 {
                    let n = skip.min(items.len());
                    items.drain(..n);
                }
                if i == 0 {
                    page_items = items.len();
                }
                if let Some(max) = opts.max_items {
                    let room = max.saturating_sub(taken);
                    if items.len() > room {
                        items.truncate(room);
                        truncated_at = Some(room + skip);
                    }
                }
            }
            match (search(key, &Value::Object(complete.clone())), value) {
                (Value::Null, v) => set_path(&mut complete, key, v),
                (Value::Array(mut old), Value::Array(new)) => {
                    old.extend(new);
                    set_path(&mut complete, key, Value::Array(old));
                }
                (Value::String(old), Value::String(new)) => {
                    set_path(&mut complete, key, Value::String(old + &new))
                }
                (Value::Number(old), Value::Number(new)) => {
                    let sum = match (old.as_i64(), new.as_i64()) {
                        (Some(a), Some(b)) => Value::from(a + b),
                        _ => Value::from(old.as_f64().unwrap_or(0.0) + new.as_f64().unwrap_or(0.0)),
                    };
                    set_path(&mut complete, key, sum)
                }
                (_, v) => set_path(&mut complete, key, v),
            }
        }
        if let Some(at) = truncated_at {
            resume = Some(encode_token(p, &tokens, at));
            break;
        }
        taken += page_items;
        skip = 0;
        let more = match &p.more_results {
            Some(expr) => search(expr, &page).as_bool().unwrap_or(false),
            None => true,
        };
        let mut next = Map::new();
        for (inp, out) in p.input_tokens.iter().zip(&p.output_tokens) {
            let v = search(out, &page);
            if !v.is_null() && v != Value::String(String::new()) {
                next.insert(inp.clone(), v);
            }
        }
        if !more || next.is_empty() || previous.as_ref() == Some(&next) {
            break;
        }
        if opts.max_items.is_some_and(|m| taken >= m) {
            resume = Some(encode_token(p, &next, 0));
            break;
        }
        previous = Some(next.clone());
        tokens = next;
    }
    for (k, v) in non_aggregate {
        complete.entry(k).or_insert(v);
    }
    if let Some(t) = resume {
        complete.insert("NextToken".into(), Value::String(t));
    }
    Ok(Value::Object(complete))
}

impl crate::Session {
    /// Calls a paginated operation page by page and merges the pages as the CLI does.
    pub fn paginate(
        &self,
        service: &Service,
        op: &nubo_model::Operation,
        paginator: &Paginator,
        input: Value,
        opts: &Options,
    ) -> crate::Result<Value> {
        run(paginator, input, opts, |i| self.call(service, op, i).map(|o| o.output))
    }

    /// Calls `op` page after page, handing each page to `each` as it arrives, until the last page or
    /// until `each` returns false (`logs tail`, commands that stop early or print as they go).
    pub fn for_each_page(
        &self,
        service: &Service,
        op: &nubo_model::Operation,
        input: &Value,
        overrides: &crate::Overrides,
        mut each: impl FnMut(&Value) -> crate::Result<bool>,
    ) -> crate::Result<()> {
        let pager = paginator(service, &op.name);
        let mut input = input.clone();
        loop {
            let page = self.call_with(service, op, &input, overrides)?.output;
            if !each(&page)? || !pager.as_ref().is_some_and(|p| advance(p, &mut input, &page)) {
                return Ok(());
            }
        }
    }

    /// [`Session::for_each_page`] from inside the runtime (the s3 commands' listings); credentials
    /// must have been resolved before entering it.
    pub async fn for_each_page_async(
        &self,
        service: &Service,
        op: &nubo_model::Operation,
        input: &Value,
        mut each: impl FnMut(&Value) -> crate::Result<bool>,
    ) -> crate::Result<()> {
        let pager = paginator(service, &op.name);
        let mut input = input.clone();
        loop {
            let page = self.call_async(service, op, &input).await?.output;
            if !each(&page)? || !pager.as_ref().is_some_and(|p| advance(p, &mut input, &page)) {
                return Ok(());
            }
        }
    }
}

/// Moves `input` on to the page after `page`, as the paginator says (its output tokens into its
/// input tokens, unless `more_results` says there is no more); false when there is no next page.
pub fn advance(p: &Paginator, input: &mut Value, page: &Value) -> bool {
    if let Some(expr) = &p.more_results
        && !search(expr, page).as_bool().unwrap_or(false)
    {
        return false;
    }
    let mut more = false;
    for (inp, out) in p.input_tokens.iter().zip(&p.output_tokens) {
        let token = search(out, page);
        if !token.is_null() && token != Value::String(String::new()) && token != input[inp.as_str()] {
            input[inp.as_str()] = token;
            more = true;
        }
    }
    more
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pager() -> Paginator {
        Paginator {
            input_tokens: vec!["Marker".into()],
            output_tokens: vec!["NextMarker".into()],
            limit_key: Some("MaxItems".into()),
            more_results: None,
            result_keys: vec!["Items".into()],
            non_aggregate_keys: vec!["Owner".into()],
        }
    }

    fn pages(input: &Value) -> Result<Value, ()> {
        Ok(match input.get("Marker").and_then(Value::as_str) {
            None => json!({"Items": [1, 2], "NextMarker": "a", "Owner": "me"}),
            Some("a") => json!({"Items": [3, 4], "NextMarker": "b", "Owner": "me"}),
            _ => json!({"Items": [5], "Owner": "me"}),
        })
    }

    #[test]
    fn merges_all_pages() {
        let r = run(&pager(), json!({}), &Options::default(), pages).unwrap();
        assert_eq!(r, json!({"Items": [1, 2, 3, 4, 5], "Owner": "me"}));
    }

    #[test]
    fn tokens_are_botocores() {
        let p = pager();
        // Python: base64.b64encode(json.dumps({"Marker": None, "boto_truncate_amount": 3}).encode())
        assert_eq!(
            encode_token(&p, &Map::new(), 3),
            "eyJNYXJrZXIiOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAzfQ=="
        );
        let mut t = Map::new();
        t.insert("Marker".into(), json!("a\"é😀\n"));
        // Python: base64.b64encode(json.dumps({"Marker": "a\"é😀\n"}).encode())
        assert_eq!(encode_token(&p, &t, 0), "eyJNYXJrZXIiOiAiYVwiXHUwMGU5XHVkODNkXHVkZTAwXG4ifQ==");
        let (m, skip) = decode_token(&p, "eyJNYXJrZXIiOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAzfQ==");
        assert_eq!((m, skip), (Map::new(), 3));
    }

    #[test]
    fn max_items_and_resume() {
        let opts = Options { max_items: Some(3), ..Default::default() };
        let r = run(&pager(), json!({}), &opts, pages).unwrap();
        assert_eq!(r["Items"], json!([1, 2, 3]));
        let token = r["NextToken"].as_str().unwrap().to_string();
        let opts = Options { starting_token: Some(token), ..Default::default() };
        let r = run(&pager(), json!({}), &opts, pages).unwrap();
        assert_eq!(r["Items"], json!([4, 5]));
    }
}
