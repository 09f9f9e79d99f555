//! The rustls configuration: the `ring` provider, HTTP/1.1 ALPN, and one of three ways to trust a
//! server: the system roots (through the platform verifier, loaded on first use), a CA bundle
//! that replaces them, or no verification at all for `--no-verify-ssl`.
//!
//! The two small verifiers here are hand-written because rustls leaves them to the application:
//! one that accepts any certificate (yet still checks handshake signatures, as OpenSSL does with
//! verification off), and one that defers loading the system roots until an HTTPS connection
//! needs them, so that plain-HTTP commands do not pay for reading the system store.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};

use crate::config::ClientConfig;
use crate::error::HttpError;

/// Builds the TLS configuration for `config`.
pub(crate) fn client_tls_config(config: &ClientConfig) -> Result<rustls::ClientConfig, HttpError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| HttpError::Config(format!("TLS set-up failed: {e}")))?;
    let roots = if !config.verify_ssl {
        Roots::Any
    } else if let Some(path) = &config.ca_bundle {
        // Checked now so that a wrong path fails at once; read and parsed on the first TLS handshake,
        // so commands that never open one (and plain-HTTP ones) do not pay for a large bundle.
        std::fs::metadata(path)
            .map_err(|e| HttpError::CaBundle { path: path.to_path_buf(), reason: e.to_string() })?;
        Roots::Bundle(path.to_path_buf())
    } else {
        Roots::System
    };
    let verifier = Arc::new(LazyRoots { provider, roots, verifier: OnceLock::new() });
    let mut tls = builder.dangerous().with_custom_certificate_verifier(verifier).with_no_client_auth();
    tls.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(tls)
}

/// Reads a PEM file of CA certificates into a root store.
pub fn load_ca_bundle(path: &Path) -> Result<RootCertStore, HttpError> {
    let fail = |reason: String| HttpError::CaBundle { path: path.to_path_buf(), reason };
    let pem = std::fs::read(path).map_err(|e| fail(e.to_string()))?;
    let certs = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| fail(format!("invalid PEM: {e}")))?;
    let mut store = RootCertStore::empty();
    let (added, _ignored) = store.add_parsable_certificates(certs);
    if added == 0 {
        return Err(fail("no usable certificate in the file".to_string()));
    }
    Ok(store)
}

/// Where trusted roots come from.
#[derive(Debug)]
enum Roots {
    /// `--no-verify-ssl`: any certificate chain is accepted for any name (signatures are still checked).
    Any,
    /// The platform verifier (system roots).
    System,
    /// A PEM bundle (`--ca-bundle`, `AWS_CA_BUNDLE`, `ca_bundle`).
    Bundle(std::path::PathBuf),
}

/// A verifier built on the first certificate it has to check.
#[derive(Debug)]
struct LazyRoots {
    provider: Arc<CryptoProvider>,
    roots: Roots,
    verifier: OnceLock<Result<Arc<dyn ServerCertVerifier>, rustls::Error>>,
}

impl LazyRoots {
    fn verifier(&self) -> Result<&Arc<dyn ServerCertVerifier>, rustls::Error> {
        self.verifier
            .get_or_init(|| match &self.roots {
                Roots::Any => Err(rustls::Error::General("no verifier when verification is off".into())),
                Roots::System => rustls_platform_verifier::Verifier::new(self.provider.clone())
                    .map(|v| Arc::new(v) as Arc<dyn ServerCertVerifier>),
                Roots::Bundle(path) => {
                    let store = load_ca_bundle(path).map_err(|e| rustls::Error::General(e.to_string()))?;
                    rustls::client::WebPkiServerVerifier::builder_with_provider(
                        Arc::new(store),
                        self.provider.clone(),
                    )
                    .build()
                    .map(|v| v as Arc<dyn ServerCertVerifier>)
                    .map_err(|e| rustls::Error::General(e.to_string()))
                }
            })
            .as_ref()
            .map_err(Clone::clone)
    }
}

impl ServerCertVerifier for LazyRoots {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if matches!(self.roots, Roots::Any) {
            return Ok(ServerCertVerified::assertion());
        }
        self.verifier()?.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_bundle_is_an_error() {
        let err = load_ca_bundle(Path::new("definitely/not/here.pem")).unwrap_err();
        assert!(matches!(err, HttpError::CaBundle { .. }), "{err}");
    }

    #[test]
    fn bundle_without_certificates_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("empty.pem");
        std::fs::write(&file, "not a certificate\n").unwrap();
        let err = load_ca_bundle(&file).unwrap_err();
        assert!(err.to_string().contains("no usable certificate"), "{err}");
    }

    #[test]
    fn every_mode_builds() {
        for verify_ssl in [true, false] {
            let config = ClientConfig { verify_ssl, ..ClientConfig::default() };
            let tls = client_tls_config(&config).unwrap();
            assert_eq!(tls.alpn_protocols, vec![b"http/1.1".to_vec()]);
        }
    }
}
