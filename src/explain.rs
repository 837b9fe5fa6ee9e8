//! `policyweb explain TOPIC`: the part of the reference about one file or
//! topic (`people.yaml`, `front-matter`, `references`), printed from
//! docs/reference.md as built into the binary. A school's repository has no
//! docs/ folder, so every help line points here instead; and since the text
//! is the reference itself, it cannot drift from it.

/// The reference, as the binary was built with it.
const REFERENCE: &str = include_str!("../docs/reference.md");

/// One part of the reference: a `##` or `###` heading and what follows it
/// up to the next heading at its level or above.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    /// What `explain` takes: `people.yaml`, `front-matter`, `data`.
    pub name: String,
    pub text: &'static str,
}

/// Every topic, in the reference's order.
pub fn topics() -> Vec<Topic> {
    let mut headings = Vec::new();
    let mut offset = 0;
    let mut fenced = false;
    for line in REFERENCE.split_inclusive('\n') {
        if line.starts_with("```") {
            fenced = !fenced;
        }
        let level = line.chars().take_while(|c| *c == '#').count();
        if !fenced && (2..=3).contains(&level) && line[level..].starts_with(' ') {
            headings.push((offset, level, name_of(&line[level..])));
        }
        offset += line.len();
    }
    headings
        .iter()
        .enumerate()
        .map(|(i, (start, level, name))| {
            let end = headings[i + 1..]
                .iter()
                .find(|(_, other, _)| other <= level)
                .map_or(REFERENCE.len(), |(end, _, _)| *end);
            Topic {
                name: name.clone(),
                text: REFERENCE[*start..end].trim_end(),
            }
        })
        .collect()
}

/// `content/: one Markdown file per section` → `content`;
/// `Front matter` → `front-matter`; `Flowchart {#flowchart}` → `flowchart`.
fn name_of(heading: &str) -> String {
    let heading = heading.split(" {#").next().unwrap_or(heading);
    let heading = heading.split(": ").next().unwrap_or(heading);
    heading
        .trim()
        .trim_end_matches('/')
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("-")
}

/// The topic `wanted` names: its name, or a file's name without `.yaml`
/// (`people`), in any case.
pub fn find(wanted: &str) -> Option<Topic> {
    let wanted = name_of(wanted);
    let all = topics();
    all.iter()
        .find(|t| t.name == wanted)
        .or_else(|| {
            all.iter()
                .find(|t| t.name.strip_suffix(".yaml") == Some(wanted.as_str()))
        })
        .cloned()
}

/// The command a help line gives for a file (`people.yaml`) or a topic
/// (`front matter`), written as the lead types it.
pub fn command(topic: &str) -> String {
    match find(topic) {
        Some(found) => format!("`policyweb explain {}`", found.name),
        None => "`policyweb explain`".into(),
    }
}

/// Help for a topic `explain` does not know: the nearest one, and all.
pub fn unknown(wanted: &str) -> String {
    let names: Vec<String> = topics().into_iter().map(|t| t.name).collect();
    let near = crate::ids::closest(&name_of(wanted), names.iter().map(String::as_str))
        .map(|near| format!("did you mean `{near}`? "))
        .unwrap_or_default();
    format!("{near}the topics are {}", names.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_data_file_and_front_matter_is_a_topic() {
        for file in [
            "site.yaml",
            "roles.yaml",
            "people.yaml",
            "organisations.yaml",
            "documents.yaml",
            "reviews.yaml",
            "strands.yaml",
            "curriculum.yaml",
            "versions.yaml",
            "trust.yaml",
            "front matter",
            "references",
            "audience blocks",
            "markdown",
        ] {
            let topic = find(file).unwrap_or_else(|| panic!("no topic for {file}"));
            assert!(topic.text.starts_with('#'), "{file}: {}", topic.text);
        }
        let people = find("People").expect("people.yaml by its short name");
        assert!(people.text.starts_with("### people.yaml"));
        assert!(!people.text.contains("### organisations.yaml"));
        let data = find("data").expect("data/");
        assert!(data.text.contains("### organisations.yaml"));
    }

    #[test]
    fn an_unknown_topic_gets_the_nearest() {
        assert!(unknown("peple.yaml").starts_with("did you mean `people.yaml`?"));
    }
}
