//! A snapshot of the environment variables, taken once, so that every setting's chain reads the same
//! values and tests can supply their own.

use std::collections::BTreeMap;

/// Environment variables by name. An empty value counts as unset (as the AWS CLI treats most of
/// them), so [`Env::get`] never returns `Some("")`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Env {
    vars: BTreeMap<String, String>,
}

impl Env {
    /// The current process's environment. Variables whose name or value is not valid Unicode are
    /// left out: a lossy conversion would name a different file or value than the user meant.
    pub fn from_process() -> Self {
        let vars = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .collect();
        Env { vars }
    }

    /// An environment made of the given pairs (later pairs replace earlier ones of the same name).
    pub fn from_pairs<I, K, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Env { vars: pairs.into_iter().map(|(k, v)| (k.into(), v.into())).collect() }
    }

    /// This environment with one more variable set (handy in tests).
    pub fn with(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.vars.insert(name.into(), value.into());
        self
    }

    /// The value of `name`, or `None` when it is unset or empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str).filter(|v| !v.is_empty())
    }

    /// A variable as set, empty values included (where "set but empty" means something, such as
    /// `AWS_PAGER=""` turning the pager off).
    pub fn get_raw(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    /// Every variable, sorted by name (empty values included).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.vars.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_values_are_unset() {
        let env = Env::from_pairs([("A", ""), ("B", "x")]);
        assert_eq!(env.get("A"), None);
        assert_eq!(env.get("B"), Some("x"));
        assert_eq!(env.get("C"), None);
        assert_eq!(Env::default().get("HOME"), None);
    }

    #[test]
    fn later_pairs_win_and_with_sets() {
        let env = Env::from_pairs(vec![("A".to_string(), "1".to_string()), ("A".into(), "2".into())]);
        assert_eq!(env.get("A"), Some("2"));
        assert_eq!(env.with("B", "3").get("B"), Some("3"));
    }

    #[test]
    fn process_snapshot_reads_path() {
        // PATH is set in every test environment we run in; the snapshot must see what std sees.
        let env = Env::from_process();
        assert_eq!(env.get("PATH").map(str::to_string), std::env::var("PATH").ok().filter(|v| !v.is_empty()));
    }
}
