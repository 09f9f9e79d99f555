//! Console credentials of `login` (AWS CLI v2 2.32+): the profile's `login_session` names a sign-in
//! session whose token sits in the login cache (`~/.aws/login/cache`, or
//! `AWS_LOGIN_CACHE_DIRECTORY`), one `<sha256 hex of the session>.json` file holding the temporary
//! credentials, the refresh token, the client id and the P-256 key (SEC1 PEM) that proves
//! possession. The link returns the cached credentials and, when they are within five minutes of
//! expiry, calls the sign-in service's `CreateOAuth2Token` with the refresh token and a DPoP proof
//! (an ES256 JWT over the method and URL) and writes the refreshed token back. The same module runs
//! the `login` flow itself (PKCE authorization code, same-device callback or `--remote` code) and
//! `logout`.

use super::Fetched;
use crate::aws::{self, Api, Failure, str_of};
use crate::cache::FileCache;
use crate::error::CredentialsError;
use crate::input::Input;
use crate::link::LinkKind;
use crate::timefmt;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};
use nubo_settings::location;
use nubo_sign::Credentials;
use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{Signature, SigningKey};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::time::Duration;

const LINK: LinkKind = LinkKind::Login;

/// Credentials this close to expiry are refreshed (the provider's threshold).
const REFRESH_THRESHOLD_SECS: f64 = 5.0 * 60.0;

/// The client of the same-device (callback) flow.
pub const CLIENT_SAME_DEVICE: &str = "arn:aws:signin:::devtools/same-device";
/// The client of the `--remote` (paste the code) flow.
pub const CLIENT_CROSS_DEVICE: &str = "arn:aws:signin:::devtools/cross-device";

/// The login cache directory: `AWS_LOGIN_CACHE_DIRECTORY` (with `~` expanded), else
/// `~/.aws/login/cache`.
pub fn cache_dir(env: &nubo_settings::env::Env) -> Option<PathBuf> {
    if let Some(d) = env.get("AWS_LOGIN_CACHE_DIRECTORY") {
        if let Some(rest) = d.strip_prefix("~/")
            && let Some(home) = location::aws_dir(env).and_then(|a| a.parent().map(PathBuf::from))
        {
            return Some(home.join(rest));
        }
        return Some(PathBuf::from(d));
    }
    location::aws_dir(env).map(|d| d.join("login").join("cache"))
}

/// The cache key of a session: the lower-case hex SHA-256 of its name.
pub fn cache_key(session: &str) -> String {
    hex(&Sha256::digest(session.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn cache(env: &nubo_settings::env::Env) -> Result<FileCache, CredentialsError> {
    cache_dir(env).map(FileCache::new).ok_or_else(|| {
        CredentialsError::broken(Some(LINK), "login needs a home directory or AWS_LOGIN_CACHE_DIRECTORY")
    })
}

/// The key that signs DPoP proofs.
#[derive(Clone)]
pub struct DpopKey(SigningKey);

impl std::fmt::Debug for DpopKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DpopKey(..)")
    }
}

impl DpopKey {
    /// A new random key.
    pub fn generate() -> Self {
        use p256::elliptic_curve::Generate as _;
        DpopKey(SigningKey::generate_from_rng(&mut rand::rng()))
    }

    /// The key of a cache file's `dpopKey` (SEC1 PEM, `EC PRIVATE KEY`).
    pub fn from_pem(pem: &str) -> Result<Self, String> {
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect::<String>();
        let der = STANDARD.decode(body.trim()).map_err(|e| format!("the dpopKey is not base64: {e}"))?;
        let secret = p256::SecretKey::from_sec1_der(&der)
            .map_err(|e| format!("the dpopKey is not a P-256 private key: {e}"))?;
        Ok(DpopKey(SigningKey::from(secret)))
    }

    /// The key as SEC1 PEM, lines of 64 characters, as the CLI stores it.
    pub fn to_pem(&self) -> String {
        let secret = p256::SecretKey::from(&self.0);
        let der = secret.to_sec1_der().map(|d| d.to_vec()).unwrap_or_default();
        let b64 = STANDARD.encode(der);
        let lines: Vec<&str> =
            b64.as_bytes().chunks(64).map(|c| std::str::from_utf8(c).unwrap_or_default()).collect();
        format!("-----BEGIN EC PRIVATE KEY-----\n{}\n-----END EC PRIVATE KEY-----\n", lines.join("\n"))
    }

    /// The public key (for verifying in tests).
    pub fn verifying_key(&self) -> p256::ecdsa::VerifyingKey {
        *self.0.verifying_key()
    }

    /// A DPoP proof for `POST uri`: header `{"typ":"dpop+jwt","alg":"ES256","jwk":{…}}`, payload
    /// `{"htm":"POST","htu":uri,"iat":…,"jti":…}`, signature `r || s` (64 bytes), each part
    /// base64url without padding.
    pub fn proof(&self, uri: &str, iat: u64, jti: &str) -> String {
        let point = self.0.verifying_key().to_sec1_point(false);
        let bytes = point.as_bytes();
        let (x, y) = (&bytes[1..33], &bytes[33..65]);
        let header = json!({
            "typ": "dpop+jwt",
            "alg": "ES256",
            "jwk": {"kty": "EC", "x": URL_SAFE_NO_PAD.encode(x), "y": URL_SAFE_NO_PAD.encode(y), "crv": "P-256"},
        });
        let payload = json!({"htm": "POST", "htu": uri, "iat": iat, "jti": jti});
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(payload.to_string())
        );
        let sig: Signature = self.0.sign(input.as_bytes());
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig.to_bytes()))
    }
}

/// A random UUID v4 string (the DPoP `jti` and the OAuth `state`).
pub fn uuid4() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex(&b);
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

/// The profile's `login_session`, when it has one.
pub(crate) fn session_of(input: &Input) -> Option<String> {
    input.section()?.get("login_session").map(str::to_string)
}

/// The region the sign-in service is called in: the profile's (or the command's) region.
fn region(input: &Input) -> String {
    input
        .setting(&["AWS_REGION", "AWS_DEFAULT_REGION"], "region")
        .map(|s| s.value)
        .unwrap_or(input.region.clone())
}

/// Calls `CreateOAuth2Token` with `body`, the DPoP proof signed by `key` over the call's URL.
async fn token_call(input: &Input, region: &str, body: &Value, key: &DpopKey) -> Result<Value, Failure> {
    let iat = timefmt::epoch_secs(input.now());
    aws::call_with(input, Api::Signin, region, "CreateOAuth2Token", &json!({"tokenInput": body}), |url| {
        vec![("DPoP".to_string(), key.proof(url, iat, &uuid4()))]
    })
    .await
    .map(|mut out| out.get_mut("tokenOutput").map(Value::take).unwrap_or(Value::Null))
}

/// The base URL of the sign-in service (scheme and host of the token endpoint).
pub async fn base_uri(input: &Input, region: &str) -> Result<String, String> {
    let url = aws::url_of(input, Api::Signin, region, "CreateOAuth2Token", &json!({"tokenInput": {}}))
        .map_err(|e| e.to_string())?;
    let after = url.find("://").map_or(0, |i| i + 3);
    let end = url[after..].find('/').map_or(url.len(), |i| after + i);
    Ok(url[..end].to_string())
}

fn to_fetched(token: &Value) -> Result<Fetched, CredentialsError> {
    let fail = |m: &str| {
        CredentialsError::retrieval(LINK, format!("the cached login token {m}; run \"nubo login\""))
    };
    let at = token.get("accessToken").ok_or_else(|| fail("has no accessToken"))?;
    let (Some(a), Some(s)) = (str_of(at, "accessKeyId"), str_of(at, "secretAccessKey")) else {
        return Err(fail("has no access key"));
    };
    let expiry = str_of(at, "expiresAt").and_then(timefmt::parse).ok_or_else(|| fail("has no expiresAt"))?;
    Ok(Fetched {
        credentials: Credentials::new(a, s, str_of(at, "sessionToken").map(str::to_string)),
        expiry: Some(expiry),
        account_id: str_of(at, "accountId").map(str::to_string),
    })
}

/// The cache file of `session` (its LOCATION in `configure list`).
pub(crate) fn cache_file(input: &Input, session: &str) -> String {
    cache_dir(&input.env)
        .map(|d| input.display_path(&d.join(format!("{}.json", cache_key(session)))))
        .unwrap_or_default()
}

/// When the cached credentials of `session` expire (for `configure explain`; no refresh).
pub(crate) fn cached_expiry(input: &Input, session: &str) -> Option<std::time::SystemTime> {
    let token = cache_dir(&input.env).map(FileCache::new)?.get(&cache_key(session))?;
    to_fetched(&token).ok()?.expiry
}

/// The credentials of `session`: cached, or refreshed when within five minutes of expiry.
pub(crate) async fn fetch(input: &Input, session: &str) -> Result<Fetched, CredentialsError> {
    let cache = cache(&input.env)?;
    let key = cache_key(session);
    let Some(mut token) = cache.get(&key) else {
        return Err(CredentialsError::retrieval(
            LINK,
            format!(
                "Unable to load a existing login session for session {session}, Please reauthenticate with 'nubo login'."
            ),
        ));
    };
    for k in ["accessToken", "refreshToken", "dpopKey", "clientId"] {
        if token.get(k).is_none() {
            return Err(CredentialsError::retrieval(
                LINK,
                format!("the cached login token of {session} has no {k}; run \"nubo login\""),
            ));
        }
    }
    let cached = to_fetched(&token)?;
    let left = cached.expiry.map_or(0.0, |e| timefmt::seconds_until(e, input.now()));
    if left > REFRESH_THRESHOLD_SECS {
        return Ok(cached);
    }
    let dpop = DpopKey::from_pem(str_of(&token, "dpopKey").unwrap_or_default()).map_err(|e| {
        CredentialsError::retrieval(LINK, format!("Unable to load private key from cached token: {e}"))
    })?;
    let body = json!({
        "clientId": token["clientId"],
        "refreshToken": token["refreshToken"],
        "grantType": "refresh_token",
    });
    let out = token_call(input, &region(input), &body, &dpop).await.map_err(|e| refresh_error(&e))?;
    let (Some(at), Some(refresh)) = (out.get("accessToken"), str_of(&out, "refreshToken")) else {
        return Err(CredentialsError::retrieval(LINK, "Failed to refresh an access token."));
    };
    let expires_in = out.get("expiresIn").and_then(Value::as_u64).unwrap_or(900);
    let account = token["accessToken"].get("accountId").cloned().unwrap_or(Value::Null);
    token["accessToken"] = json!({
        "accessKeyId": at.get("accessKeyId"),
        "secretAccessKey": at.get("secretAccessKey"),
        "sessionToken": at.get("sessionToken"),
        "accountId": account,
        "expiresAt": timefmt::iso_z(input.now() + Duration::from_secs(expires_in)),
    });
    token["refreshToken"] = json!(refresh);
    cache.put(&key, &token).map_err(|e| CredentialsError::retrieval(LINK, e))?;
    to_fetched(&token)
}

fn refresh_error(e: &Failure) -> CredentialsError {
    let m = e.to_string();
    let code = e.error_member().unwrap_or_default();
    let why = if code == "TOKEN_EXPIRED" {
        "Your session has expired. Please reauthenticate using 'nubo login'.".to_string()
    } else if code == "USER_CREDENTIALS_CHANGED" {
        "Unable to refresh credentials because of a change in your password. Please reauthenticate with your new password using 'nubo login'.".to_string()
    } else if code == "INSUFFICIENT_PERMISSIONS" {
        "Unable to refresh credentials due to insufficient permissions. You may be missing permission for the 'CreateOAuth2Token' action.".to_string()
    } else {
        format!("cannot refresh the login session: {m}")
    };
    CredentialsError::retrieval(LINK, why)
}

/// How `login` gets the authorization code.
pub enum CodeSource<'a> {
    /// Same device: listen on 127.0.0.1 (a free port) for the browser's redirect.
    Callback,
    /// `--remote`: read the code the browser shows (base64 of `state=…&code=…`) from this reader.
    Paste(&'a mut (dyn BufRead + Send)),
}

/// What a login did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleLogin {
    /// The session (the id token's `sub`, an ARN), written to the profile as `login_session`.
    pub session: String,
    /// The cache file written.
    pub cache_file: PathBuf,
}

fn login_error(m: impl Into<String>) -> CredentialsError {
    CredentialsError::broken(Some(LINK), m)
}

fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn query_param(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == name).then(|| percent_decode(v))
    })
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(v) = u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16)
        {
            out.push(v);
            i += 3;
        } else {
            out.push(if b[i] == b'+' { b' ' } else { b[i] });
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The PKCE verifier (64 unreserved characters) and its S256 challenge (base64url of the SHA-256).
pub fn pkce() -> (String, String) {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    let verifier: String = (0..64).map(|_| ALPHABET[rand::random_range(0..ALPHABET.len())] as char).collect();
    (verifier.clone(), challenge_of(&verifier))
}

/// The S256 challenge of a verifier, without padding.
pub fn challenge_of(verifier: &str) -> String {
    URL_SAFE.encode(Sha256::digest(verifier.as_bytes())).trim_end_matches('=').to_string()
}

/// Waits for one GET on `listener` and returns its query string, answering with a short page.
async fn accept_callback(listener: tokio::net::TcpListener) -> Result<String, CredentialsError> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    loop {
        let (mut sock, _) =
            listener.accept().await.map_err(|e| login_error(format!("the login callback failed: {e}")))?;
        let mut buf = Vec::new();
        let mut chunk = [0u8; 2048];
        while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 65536 {
            match sock.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        let head = String::from_utf8_lossy(&buf).into_owned();
        let target = head.lines().next().and_then(|l| l.split(' ').nth(1)).unwrap_or("").to_string();
        let Some((_, query)) = target.split_once('?') else {
            let _ = sock
                .write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                .await;
            continue;
        };
        let page =
            "<html><body>Login complete. You may close this window and return to the terminal.</body></html>";
        let _ = sock
            .write_all(
                format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{page}",
                    page.len()
                )
                .as_bytes(),
            )
            .await;
        return Ok(query.to_string());
    }
}

/// Runs `login`: prints the authorization URL to `out`, gets the code (callback or pasted), checks
/// the state, exchanges the code with the PKCE verifier and a DPoP proof, and writes the cache.
pub async fn console_login(
    input: &Input,
    region: &str,
    source: CodeSource<'_>,
    out: &mut (dyn Write + Send),
) -> Result<ConsoleLogin, CredentialsError> {
    let cache = cache(&input.env)?;
    let base = base_uri(input, region).await.map_err(login_error)?;
    let (verifier, challenge) = pkce();
    let state = uuid4();
    let key = DpopKey::generate();
    let (client_id, redirect, listener) = match source {
        CodeSource::Callback => {
            let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.map_err(|e| {
                login_error(format!("cannot listen on 127.0.0.1 for the login callback: {e}"))
            })?;
            let port = l.local_addr().map_err(|e| login_error(e.to_string()))?.port();
            (CLIENT_SAME_DEVICE, format!("http://127.0.0.1:{port}/oauth/callback"), Some(l))
        }
        CodeSource::Paste(_) => (CLIENT_CROSS_DEVICE, format!("{base}/v1/sessions/confirmation"), None),
    };
    let url = format!(
        "{base}/v1/authorize?response_type=code&client_id={}&state={state}&code_challenge_method=SHA-256&scope=openid&redirect_uri={}&code_challenge={challenge}",
        percent(client_id),
        percent(&redirect)
    );
    let _ = writeln!(
        out,
        "Browser will not be automatically opened.\nPlease visit the following URL:\n\n{url}\n"
    );
    let _ = out.flush();
    let (code, got_state) = match (listener, source) {
        (Some(l), _) => {
            let q = accept_callback(l).await?;
            if let Some(err) = query_param(&q, "error") {
                return Err(login_error(format!("the sign-in page refused the login: {err}")));
            }
            (query_param(&q, "code"), query_param(&q, "state"))
        }
        (None, CodeSource::Paste(reader)) => {
            let _ = write!(out, "\nEnter the authorization code displayed in your browser: ");
            let _ = out.flush();
            let mut line = String::new();
            reader.read_line(&mut line).map_err(|e| login_error(format!("cannot read the code: {e}")))?;
            let decoded = STANDARD
                .decode(line.trim())
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .ok_or_else(|| login_error("Failed to decode the verification code."))?;
            (query_param(&decoded, "code"), query_param(&decoded, "state"))
        }
        (None, CodeSource::Callback) => unreachable!("a callback login always listens"),
    };
    let code = code.ok_or_else(|| login_error("Failed to retrieve an authorization code."))?;
    if got_state.as_deref() != Some(state.as_str()) {
        return Err(login_error(format!(
            "State parameter {} does not match expected value {state}.",
            got_state.unwrap_or_default()
        )));
    }
    let body = json!({
        "clientId": client_id,
        "grantType": "authorization_code",
        "code": code,
        "codeVerifier": verifier,
        "redirectUri": redirect,
    });
    let out_token = token_call(input, region, &body, &key).await.map_err(|e| {
        let m = e.to_string();
        if e.error_member() == Some("AUTHCODE_EXPIRED") {
            login_error("Unable to complete the login process due to an expired authorization code. Please reauthenticate using 'nubo login'.")
        } else {
            login_error(format!("login failed: {m}"))
        }
    })?;
    let fail = |m: &str| login_error(format!("login failed: the CreateOAuth2Token answer {m}"));
    let at = out_token.get("accessToken").ok_or_else(|| fail("has no accessToken"))?;
    let id_token = str_of(&out_token, "idToken").ok_or_else(|| fail("has no idToken"))?;
    let session = id_token
        .split('.')
        .nth(1)
        .and_then(|p| URL_SAFE_NO_PAD.decode(p.trim_end_matches('=')).ok())
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
        .and_then(|v| str_of(&v, "sub").map(str::to_string))
        .ok_or_else(|| fail("has an idToken without a subject"))?;
    let account = session.split(':').nth(4).unwrap_or_default().to_string();
    let expires_in = out_token.get("expiresIn").and_then(Value::as_u64).unwrap_or(900);
    let token = json!({
        "accessToken": {
            "accessKeyId": at.get("accessKeyId"),
            "secretAccessKey": at.get("secretAccessKey"),
            "sessionToken": at.get("sessionToken"),
            "accountId": account,
            "expiresAt": timefmt::iso_z(input.now() + Duration::from_secs(expires_in)),
        },
        "tokenType": out_token.get("tokenType"),
        "clientId": client_id,
        "refreshToken": out_token.get("refreshToken"),
        "idToken": id_token,
        "dpopKey": key.to_pem(),
    });
    let k = cache_key(&session);
    cache.put(&k, &token).map_err(login_error)?;
    Ok(ConsoleLogin { cache_file: cache.path(&k), session })
}

/// Removes the cached token of `session`; true when there was one.
pub fn console_logout(env: &nubo_settings::env::Env, session: &str) -> Result<bool, CredentialsError> {
    let path = cache(env)?.path(&cache_key(session));
    match std::fs::remove_file(&path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(login_error(format!("cannot remove {}: {e}", path.display()))),
    }
}

/// Removes every cached login token (`logout --all`); returns how many.
pub fn console_logout_all(env: &nubo_settings::env::Env) -> Result<usize, CredentialsError> {
    let mut n = 0;
    for (path, doc) in cache(env)?.entries() {
        if doc.get("accessToken").is_some_and(|a| a.get("accessKeyId").is_some()) {
            std::fs::remove_file(&path)
                .map_err(|e| login_error(format!("cannot remove {}: {e}", path.display())))?;
            n += 1;
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::signature::Verifier as _;

    #[test]
    fn dpop_proof_verifies_and_carries_the_public_key() {
        let key = DpopKey::generate();
        let jwt = key.proof("https://signin.example/v1/token", 1_700_000_000, "j-1");
        let parts: Vec<&str> = jwt.split('.').collect();
        assert_eq!(parts.len(), 3);
        let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
        let payload: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        assert_eq!(header["typ"], "dpop+jwt");
        assert_eq!(header["alg"], "ES256");
        assert_eq!(header["jwk"]["crv"], "P-256");
        assert_eq!(
            payload,
            json!({"htm": "POST", "htu": "https://signin.example/v1/token", "iat": 1_700_000_000u64, "jti": "j-1"})
        );
        // The key in the header verifies the signature (r || s, 64 bytes).
        let mut sec1 = vec![4u8];
        sec1.extend(URL_SAFE_NO_PAD.decode(header["jwk"]["x"].as_str().unwrap()).unwrap());
        sec1.extend(URL_SAFE_NO_PAD.decode(header["jwk"]["y"].as_str().unwrap()).unwrap());
        let vk = p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1).unwrap();
        assert_eq!(vk, key.verifying_key());
        let sig_bytes = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
        assert_eq!(sig_bytes.len(), 64);
        let sig = Signature::from_slice(&sig_bytes).unwrap();
        vk.verify(format!("{}.{}", parts[0], parts[1]).as_bytes(), &sig).unwrap();
        // A changed payload does not verify.
        assert!(vk.verify(format!("{}.{}x", parts[0], parts[1]).as_bytes(), &sig).is_err());
    }

    #[test]
    fn pem_round_trip_keeps_the_key() {
        let key = DpopKey::generate();
        let pem = key.to_pem();
        assert!(pem.starts_with("-----BEGIN EC PRIVATE KEY-----\n"));
        assert!(pem.lines().all(|l| l.len() <= 64));
        assert_eq!(DpopKey::from_pem(&pem).unwrap().verifying_key(), key.verifying_key());
        assert!(
            DpopKey::from_pem("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n")
                .is_err()
        );
    }

    #[test]
    fn pkce_and_keys() {
        let (v, c) = pkce();
        assert_eq!(v.len(), 64);
        assert_eq!(c, challenge_of(&v));
        // RFC 7636 appendix B.
        assert_eq!(
            challenge_of("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        assert_eq!(cache_key("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        let u = uuid4();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert_eq!(query_param("a=1&state=x%2Fy&code=c", "state").as_deref(), Some("x/y"));
    }
}
