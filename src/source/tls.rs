//! TLS as reqwest would set it up (rustls, the platform's verifier, HTTP/1.1),
//! except that the system's root certificates load on a thread of their own
//! instead of before the client exists. Reading them (the bundle, then each of
//! some 145 files of /etc/ssl/certs here) takes some 6-8 ms, and a cold `once`
//! waited 2-4 ms of it after its cache was open, plain-HTTP feeds or not. Now only
//! a TLS handshake that comes before they are loaded waits for them.
//!
//! They start loading with the first HTTPS request ([`Warm::start`]), not at
//! once: a run with plain-HTTP sources only (a local feed server, the benches)
//! spent 3-4% of its CPU on them for nothing. Over a real network the request's
//! TCP connect takes about as long as the loading, so the handshake rarely waits.
//! A plain-HTTP request redirected to HTTPS loads them at its handshake.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use rustls_platform_verifier::Verifier;

/// The client configuration for reqwest, and what starts its roots loading.
pub fn client_config() -> Result<(rustls::ClientConfig, Warm), rustls::Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let roots = Arc::new(Roots::new(Arc::clone(&provider)));
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(Arc::clone(&roots) as Arc<dyn ServerCertVerifier>)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok((config, Warm(roots)))
}

/// Starts the roots loading, the first time it is asked.
#[derive(Debug, Clone)]
pub struct Warm(Arc<Roots>);

impl Warm {
    pub fn start(&self) {
        if !self.0.loading.swap(true, Ordering::Relaxed) {
            self.0.load_beside();
        }
    }
}

/// The platform's verifier, made when first needed.
#[derive(Debug)]
struct Roots {
    provider: Arc<CryptoProvider>,
    verifier: OnceLock<Result<Verifier, rustls::Error>>,
    /// Whether their thread was started.
    loading: AtomicBool,
}

impl Roots {
    fn new(provider: Arc<CryptoProvider>) -> Self {
        Self {
            provider,
            verifier: OnceLock::new(),
            loading: AtomicBool::new(false),
        }
    }

    /// Starts loading on a thread; whoever needs the verifier meanwhile waits for
    /// that thread (a `OnceLock` lets one initializer run). Without a thread, the
    /// first handshake loads.
    fn load_beside(self: &Arc<Self>) {
        let roots = Arc::clone(self);
        let _ = std::thread::Builder::new()
            .name("tickwire-roots".into())
            .spawn(move || {
                let _ = roots.verifier();
            });
    }

    /// A machine without root certificates fails each TLS handshake with the
    /// reason, and plain-HTTP sources still work.
    fn verifier(&self) -> Result<&Verifier, rustls::Error> {
        self.verifier
            .get_or_init(|| Verifier::new(Arc::clone(&self.provider)))
            .as_ref()
            .map_err(Clone::clone)
    }
}

impl ServerCertVerifier for Roots {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        self.verifier()?
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.verifier()?.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.verifier()?.verify_tls13_signature(message, cert, dss)
    }

    /// Offered in the hello, before any certificate: the provider's algorithms,
    /// which are what the platform's verifier offers too.
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provider() -> Arc<CryptoProvider> {
        Arc::new(rustls::crypto::ring::default_provider())
    }

    #[test]
    fn a_certificate_no_root_vouches_for_is_refused() {
        let roots = Roots::new(provider());
        let cert = CertificateDer::from(include_bytes!("../../tests/fixtures/tls/self-signed.der").to_vec());
        let name = ServerName::try_from("localhost").unwrap();
        // 2030: inside the certificate's hundred years.
        let now = UnixTime::since_unix_epoch(std::time::Duration::from_secs(1_900_000_000));
        let refused = roots.verify_server_cert(&cert, &[], &name, &[], now);
        // Which reason webpki gives depends on the roots it tried; a refusal it must be.
        assert!(
            matches!(refused, Err(rustls::Error::InvalidCertificate(_))),
            "{refused:?}"
        );
        assert!(
            roots.verifier.get().is_some_and(Result::is_ok),
            "the roots were loaded"
        );
    }

    #[test]
    fn the_hello_offers_what_the_platform_verifier_offers_before_any_root_is_read() {
        let roots = Roots::new(provider());
        let offered = roots.supported_verify_schemes();
        assert!(roots.verifier.get().is_none());
        assert!(!offered.is_empty());
        if let Ok(platform) = Verifier::new(provider()) {
            assert_eq!(offered, platform.supported_verify_schemes());
        }
    }

    #[test]
    fn the_roots_load_on_their_own_thread_when_first_asked() {
        let (_, warm) = client_config().unwrap();
        let roots = Arc::clone(&warm.0);
        std::thread::sleep(std::time::Duration::from_millis(50));
        assert!(roots.verifier.get().is_none(), "loaded before anyone asked");
        warm.start();
        warm.start();
        for _ in 0..500 {
            if roots.verifier.get().is_some() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        panic!("the roots did not load within 5 s");
    }
}
