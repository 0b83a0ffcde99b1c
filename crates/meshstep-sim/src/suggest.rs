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

/// The one "did you mean …?" hint: the nearest name when one is close, else
/// the names there are when they are few enough to list.
pub fn did_you_mean<'a>(
    given: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let all: Vec<&str> = candidates.into_iter().collect();
    match nearest(given, all.iter().copied()) {
        Some(n) => Some(format!("did you mean `{n}`?")),
        None if !all.is_empty() && all.len() <= 12 => {
            Some(format!("known names: {}", all.join(", ")))
        }
        None => None,
    }
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

    #[test]
    fn did_you_mean_suggests_or_lists() {
        use super::did_you_mean;
        assert_eq!(
            did_you_mean("paymnts", ["payments", "orders"]).as_deref(),
            Some("did you mean `payments`?")
        );
        assert_eq!(
            did_you_mean("zzzzzzz", ["payments", "orders"]).as_deref(),
            Some("known names: payments, orders")
        );
        assert_eq!(did_you_mean("x", std::iter::empty()), None);
    }
}
