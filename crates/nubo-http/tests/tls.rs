//! HTTPS against a local server whose certificate comes from a CA made in the test: trusted
//! through `ca_bundle`, rejected by the system roots, accepted unverified with `--no-verify-ssl`
//! (which warns once per host).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on what it did not expect

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{Recorder, Reply, Server};
use nubo_http::{
    Client, ClientConfig, HttpError, HttpRequest, Proxies, RetryConfig, RetryMode, insecure_warning,
};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};

struct Pki {
    ca_pem: String,
    acceptor: common::Acceptor,
}

fn pki() -> Pki {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(DnType::CommonName, "nubo test CA");
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::from_params(&ca_params, &ca_key);

    let leaf_key = KeyPair::generate().unwrap();
    let leaf_params = CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).unwrap();
    let leaf = leaf_params.signed_by(&leaf_key, &issuer).unwrap();

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let server_config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf.der().clone(), ca_cert.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into()),
        )
        .unwrap();
    Pki { ca_pem: ca_cert.pem(), acceptor: tokio_rustls::TlsAcceptor::from(Arc::new(server_config)) }
}

fn config() -> ClientConfig {
    ClientConfig {
        retry: RetryConfig::new(RetryMode::Standard, Some(1)),
        proxies: Proxies::Disabled,
        read_timeout: Some(Duration::from_secs(5)),
        connect_timeout: Some(Duration::from_secs(5)),
        ..ClientConfig::default()
    }
}

#[tokio::test]
async fn ca_bundle_trusts_the_test_ca() {
    let pki = pki();
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("ca.pem");
    std::fs::write(&bundle, &pki.ca_pem).unwrap();
    let server = Server::start_tls(vec![Reply::body(200, "secure")], pki.acceptor).await;
    let rec = Recorder::new();
    let c =
        Client::with_hooks(ClientConfig { ca_bundle: Some(bundle), ..config() }, rec.hooks.clone()).unwrap();
    for host in ["localhost", "127.0.0.1"] {
        let resp = c.send(HttpRequest::new("GET", server.https_url(host, "/"))).await.unwrap();
        assert_eq!(&resp.body[..], b"secure", "{host}");
    }
    assert!(rec.warnings().is_empty());
}

#[tokio::test]
async fn system_roots_reject_the_test_ca() {
    let pki = pki();
    let server = Server::start_tls(vec![Reply::body(200, "secure")], pki.acceptor).await;
    let rec = Recorder::new();
    let c = Client::with_hooks(config(), rec.hooks.clone()).unwrap();
    let err = c.send(HttpRequest::new("GET", server.https_url("localhost", "/"))).await.unwrap_err();
    assert!(matches!(err, HttpError::Tls { .. }), "{err:?}");
    assert!(err.to_string().starts_with("SSL validation failed for https://localhost:"), "{err}");
    assert!(err.to_string().ends_with("/ invalid peer certificate: UnknownIssuer"), "{err}");
    assert_eq!(server.requests().len(), 0);
}

#[tokio::test]
async fn another_ca_bundle_is_rejected() {
    let pki = pki();
    let other = self::pki();
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("other.pem");
    std::fs::write(&bundle, &other.ca_pem).unwrap();
    let server = Server::start_tls(vec![Reply::body(200, "secure")], pki.acceptor).await;
    let rec = Recorder::new();
    let c =
        Client::with_hooks(ClientConfig { ca_bundle: Some(bundle), ..config() }, rec.hooks.clone()).unwrap();
    let err = c.send(HttpRequest::new("GET", server.https_url("localhost", "/"))).await.unwrap_err();
    assert!(matches!(err, HttpError::Tls { .. }), "{err:?}");
}

#[tokio::test]
async fn missing_ca_bundle_fails_the_client() {
    let dir = tempfile::tempdir().unwrap();
    let config = ClientConfig { ca_bundle: Some(dir.path().join("absent.pem")), ..config() };
    let err = Client::new(config).unwrap_err();
    assert!(matches!(err, HttpError::CaBundle { .. }), "{err:?}");
}

#[tokio::test]
async fn no_verify_ssl_connects_and_warns_on_every_request() {
    let pki = pki();
    let server = Server::start_tls(vec![Reply::body(200, "unverified")], pki.acceptor).await;
    let rec = Recorder::new();
    let c = Client::with_hooks(ClientConfig { verify_ssl: false, ..config() }, rec.hooks.clone()).unwrap();
    for _ in 0..2 {
        let resp = c.send(HttpRequest::new("GET", server.https_url("localhost", "/"))).await.unwrap();
        assert_eq!(&resp.body[..], b"unverified");
    }
    c.send(HttpRequest::new("GET", server.https_url("127.0.0.1", "/"))).await.unwrap();
    assert_eq!(
        rec.warnings(),
        vec![insecure_warning("localhost"), insecure_warning("localhost"), insecure_warning("127.0.0.1")]
    );
    // Plain HTTP needs no warning.
    let plain = Server::start(vec![Reply::status(200)]).await;
    c.send(HttpRequest::new("GET", plain.url("/"))).await.unwrap();
    assert_eq!(rec.warnings().len(), 3);
}
