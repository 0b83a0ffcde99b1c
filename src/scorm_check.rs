//! A check of a SCORM 1.2 manifest against the rules a learning platform
//! relies on, from the SCORM 1.2 Content Aggregation Model (ADL, 2001,
//! section 2.3): the XML is well-formed; the root is the IMS content
//! packaging `manifest` with an identifier; `metadata` says "ADL SCORM" 1.2;
//! `organizations` names an existing default organization, each with a
//! title and items; every item refers to a resource that exists; every
//! resource is `webcontent` with an `adlcp:scormtype` of `sco` or `asset`,
//! a launch page for a SCO, and files that are in the package; identifiers
//! are unique; a mastery score is 0–100. The official XSDs are not strictly
//! valid XML Schema, so this is our own check, not a schema validation.

use std::collections::{BTreeMap, BTreeSet};

use roxmltree::{Document, Node};

const IMSCP: &str = "http://www.imsproject.org/xsd/imscp_rootv1p1p2";
const ADLCP: &str = "http://www.adlnet.org/xsd/adlcp_rootv1p2";

/// Every problem found in `manifest` for a package holding `files`.
pub fn check(manifest: &str, files: &[String]) -> Vec<String> {
    let doc = match Document::parse(manifest) {
        Ok(d) => d,
        Err(e) => return vec![format!("imsmanifest.xml is not well-formed XML: {e}")],
    };
    let mut problems = Vec::new();
    let at = |n: Node| {
        let p = doc.text_pos_at(n.range().start);
        format!("line {}", p.row)
    };
    let root = doc.root_element();
    if root.tag_name().name() != "manifest" || root.tag_name().namespace() != Some(IMSCP) {
        problems.push(format!(
            "the root element is `{}`, not `manifest` in the IMS CP namespace {IMSCP}",
            root.tag_name().name()
        ));
        return problems;
    }
    let text = |n: Option<Node>| {
        n.and_then(|n| n.text())
            .map(str::trim)
            .unwrap_or("")
            .to_string()
    };

    // Identifiers are XML IDs: unique in the whole manifest.
    let mut ids = BTreeMap::new();
    for n in doc.descendants().filter(|n| n.is_element()) {
        if let Some(id) = n.attribute("identifier")
            && let Some(first) = ids.insert(id.to_string(), at(n))
        {
            problems.push(format!(
                "identifier `{id}` at {} is used before, at {first}",
                at(n)
            ));
        }
    }
    if root.attribute("identifier").is_none() {
        problems.push("`manifest` has no identifier".into());
    }

    // The sections, in the order CP requires.
    let order: Vec<&str> = (root.children().filter(|c| c.is_element()))
        .map(|c| c.tag_name().name())
        .collect();
    let want = ["metadata", "organizations", "resources"];
    let present: Vec<&str> = order.iter().copied().filter(|n| want.contains(n)).collect();
    let expected: Vec<&str> = want
        .iter()
        .copied()
        .filter(|n| present.contains(n))
        .collect();
    if present != expected {
        problems.push(format!(
            "sections are in the order {present:?}, not metadata, organizations, resources"
        ));
    }

    match child(root, "metadata") {
        None => problems.push("there is no `metadata` (it must say ADL SCORM 1.2)".into()),
        Some(m) => {
            let schema = text(child(m, "schema"));
            let version = text(child(m, "schemaversion"));
            if schema != "ADL SCORM" {
                problems.push(format!("metadata `schema` is `{schema}`, not `ADL SCORM`"));
            }
            if version != "1.2" {
                problems.push(format!(
                    "metadata `schemaversion` is `{version}`, not `1.2`"
                ));
            }
        }
    }

    let resources: BTreeMap<String, Node> = child(root, "resources")
        .map(|r| {
            (r.children())
                .filter(|c| c.is_element() && c.tag_name().name() == "resource")
                .filter_map(|c| Some((c.attribute("identifier")?.to_string(), c)))
                .collect()
        })
        .unwrap_or_default();

    match child(root, "organizations") {
        None => problems.push("there is no `organizations`".into()),
        Some(orgs) => {
            let list: Vec<Node> = (orgs.children())
                .filter(|c| c.is_element() && c.tag_name().name() == "organization")
                .collect();
            if list.is_empty() {
                problems.push("`organizations` has no `organization`".into());
            }
            if let Some(d) = orgs.attribute("default")
                && !list.iter().any(|o| o.attribute("identifier") == Some(d))
            {
                problems.push(format!("the default organization `{d}` does not exist"));
            }
            for o in &list {
                if text(child(*o, "title")).is_empty() {
                    problems.push(format!("the organization at {} has no title", at(*o)));
                }
                let items: Vec<Node> = (o.descendants())
                    .filter(|c| c.is_element() && c.tag_name().name() == "item")
                    .collect();
                if items.is_empty() {
                    problems.push(format!("the organization at {} has no item", at(*o)));
                }
                for item in items {
                    check_item(item, &resources, &mut problems, &at);
                }
            }
        }
    }

    if resources.is_empty() {
        problems.push("there are no resources".into());
    }
    let in_package: BTreeSet<&str> = files.iter().map(String::as_str).collect();
    let mut listed = BTreeSet::new();
    for (id, r) in &resources {
        if r.attribute("type") != Some("webcontent") {
            problems.push(format!("resource `{id}`: type must be `webcontent`"));
        }
        let kind = r.attribute((ADLCP, "scormtype"));
        if !matches!(kind, Some("sco" | "asset")) {
            problems.push(format!(
                "resource `{id}`: adlcp:scormtype must be `sco` or `asset`, not {kind:?}"
            ));
        }
        match r.attribute("href") {
            Some(h) if !in_package.contains(h) => {
                problems.push(format!(
                    "resource `{id}` launches `{h}`, which is not in the package"
                ));
            }
            None if kind == Some("sco") => problems.push(format!("the SCO `{id}` has no href")),
            _ => {}
        }
        for f in (r.children()).filter(|c| c.is_element() && c.tag_name().name() == "file") {
            match f.attribute("href") {
                Some(h) if in_package.contains(h) => {
                    listed.insert(h);
                }
                Some(h) => {
                    problems.push(format!("`{h}` is listed in `{id}` but not in the package"))
                }
                None => problems.push(format!("a file in `{id}` at {} has no href", at(f))),
            }
        }
    }
    for f in in_package.difference(&listed) {
        if *f != "imsmanifest.xml" {
            problems.push(format!("`{f}` is in the package but no resource lists it"));
        }
    }
    problems
}

/// The first child element called `name`.
fn child<'a, 'i>(n: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    n.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

fn check_item(
    item: Node,
    resources: &BTreeMap<String, Node>,
    problems: &mut Vec<String>,
    at: &dyn Fn(Node) -> String,
) {
    let name = item.attribute("identifier").unwrap_or("?");
    if item.attribute("identifier").is_none() {
        problems.push(format!("the item at {} has no identifier", at(item)));
    }
    let leaf = !item
        .children()
        .any(|c| c.is_element() && c.tag_name().name() == "item");
    match item.attribute("identifierref") {
        Some(r) if !resources.contains_key(r) => {
            problems.push(format!(
                "item `{name}` refers to resource `{r}`, which does not exist"
            ));
        }
        None if leaf => problems.push(format!("item `{name}` launches nothing (no identifierref)")),
        _ => {}
    }
    let title = item
        .children()
        .find(|c| c.is_element() && c.tag_name().name() == "title");
    if title
        .and_then(|t| t.text())
        .is_none_or(|t| t.trim().is_empty())
    {
        problems.push(format!("item `{name}` has no title"));
    }
    for m in (item.children()).filter(|c| c.is_element() && c.tag_name().name() == "masteryscore") {
        let v = m.text().unwrap_or("").trim();
        if m.tag_name().namespace() != Some(ADLCP) {
            problems.push(format!(
                "item `{name}`: masteryscore must be in the adlcp namespace"
            ));
        }
        if !v.parse::<u32>().is_ok_and(|n| n <= 100) {
            problems.push(format!(
                "item `{name}`: masteryscore `{v}` is not a whole number 0–100"
            ));
        }
    }
}
