//! One operation call end to end: serialize, resolve the endpoint, sign, send with retries, parse.
//! Credentials are an input, so the credential providers can call STS and SSO through it.
