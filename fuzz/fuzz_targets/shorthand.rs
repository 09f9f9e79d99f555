//! Fuzz target: the shorthand parser of nubo-args (`Key=k,Values=[a,b]`), text only.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = nubo_args::fuzzing::shorthand_to_json(text);
});
