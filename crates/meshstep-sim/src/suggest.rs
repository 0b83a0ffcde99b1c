//! "Did you mean …?": the nearest valid name to a misspelt one.

/// The candidate closest to `given` by edit distance, if it is close enough to
/// be a plausible typo.
pub fn nearest<'a>(given: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let given_l = given.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&given_l, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.len().max(given.len()) / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::nearest;

    #[test]
    fn finds_close_names_only() {
        let names = ["result", "action", "notes", "state_change"];
        assert_eq!(nearest("resut", names), Some("result"));
        assert_eq!(nearest("Notes", names), Some("notes"));
        assert_eq!(nearest("statechange", names), Some("state_change"));
        assert_eq!(nearest("zzzzzzz", names), None);
    }
}
