//! The credential provider chain: each provider a module, each link named, with provenance for
//! `configure list` and `configure explain`.
