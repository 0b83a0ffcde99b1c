//! Tables of figures for the command line: markdown for slides, CSV for a
//! spreadsheet (JSON is the typed figures themselves, serialized).

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
