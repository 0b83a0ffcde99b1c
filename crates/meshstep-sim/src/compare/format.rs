//! Tables of figures for the command line: markdown for slides, CSV for a
//! spreadsheet, JSON (the typed figures, serialized) for a script or a test.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Markdown,
    Json,
    Csv,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Markdown, Format::Json, Format::Csv];

    pub fn key(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::Json => "json",
            Format::Csv => "csv",
        }
    }

    pub fn from_key(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.key() == s)
    }
}

/// A titled grid of text cells; the first column names each row.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn markdown(&self) -> String {
        let line = |cells: &[String]| format!("| {} |\n", cells.join(" | "));
        let mut out = line(&self.columns);
        let rule: Vec<String> = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, _)| if i == 0 { "---".into() } else { "---:".into() })
            .collect();
        out += &line(&rule);
        for r in &self.rows {
            out += &line(r);
        }
        out
    }

    pub fn csv(&self) -> String {
        let cell = |c: &String| {
            if c.contains([',', '"', '\n']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c.clone()
            }
        };
        let line = |cells: &[String]| cells.iter().map(cell).collect::<Vec<_>>().join(",") + "\n";
        let mut out = line(&self.columns);
        for r in &self.rows {
            out += &line(r);
        }
        out
    }
}

/// Renders `value` as `table` (markdown, CSV) or as itself (JSON).
pub fn render<T: Serialize>(format: Format, table: &Table, value: &T) -> String {
    match format {
        Format::Markdown => table.markdown(),
        Format::Csv => table.csv(),
        Format::Json => {
            serde_json::to_string_pretty(value).expect("figures serialize to JSON") + "\n"
        }
    }
}
