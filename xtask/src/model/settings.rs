//! Setting keys: every scalar of `guide.yaml` under a dotted name the markdown can refer to.
//!
//! Maps contribute their field names, lists of items with an `id` contribute the id, other lists
//! of items their 1-based position, and a list of words (a menu path) is one value joined with
//! " → ", the way the guide prints menu paths.

use std::collections::BTreeMap;

use serde_yaml::Value;

/// The separator between the words of a menu path, as printed in the guide.
pub const MENU_SEPARATOR: &str = " → ";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    values: BTreeMap<String, String>,
}

impl Settings {
    /// Every scalar of the document, except the evidence (`facts`, `documents`), which is
    /// about the settings rather than settings of its own.
    pub fn from_yaml(document: &Value) -> Settings {
        let mut values = BTreeMap::new();
        match document {
            Value::Mapping(mapping) => {
                for (key, child) in mapping {
                    match scalar_text(key) {
                        Some(key)
                            if key == "facts"
                                || key == "documents"
                                || key == "profile"
                                || key == "reader_words" => {}
                        Some(key) => flatten(&key, child, &mut values),
                        None => {}
                    }
                }
            }
            other => flatten("", other, &mut values),
        }
        Settings { values }
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.values.keys().map(String::as_str)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.values.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

fn flatten(prefix: &str, value: &Value, out: &mut BTreeMap<String, String>) {
    let join = |segment: &str| {
        if prefix.is_empty() {
            segment.to_string()
        } else {
            format!("{prefix}.{segment}")
        }
    };
    match value {
        Value::Mapping(mapping) => {
            for (key, child) in mapping {
                if let Some(key) = scalar_text(key) {
                    flatten(&join(&key), child, out);
                }
            }
        }
        Value::Sequence(items) if items.iter().all(|item| scalar_text(item).is_some()) => {
            let words: Vec<String> = items.iter().filter_map(scalar_text).collect();
            out.insert(prefix.to_string(), words.join(MENU_SEPARATOR));
        }
        Value::Sequence(items) => {
            for (position, item) in items.iter().enumerate() {
                let segment = item
                    .get("id")
                    .and_then(scalar_text)
                    .unwrap_or_else(|| (position + 1).to_string());
                flatten(&join(&segment), item, out);
            }
        }
        Value::Tagged(tagged) => flatten(prefix, &tagged.value, out),
        scalar => {
            if let Some(text) = scalar_text(scalar) {
                out.insert(prefix.to_string(), text);
            }
        }
    }
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(yaml: &str) -> Vec<(String, String)> {
        let value: Value = serde_yaml::from_str(yaml).unwrap();
        Settings::from_yaml(&value)
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn maps_lists_with_ids_and_menu_paths() {
        let yaml = "service:\n  server: a.example\neditions:\n  - id: current\n    path: [Settings, Apps]\n    steps:\n      - title: One\n";
        assert_eq!(
            settings(yaml),
            [
                ("editions.current.id".into(), "current".into()),
                ("editions.current.path".into(), "Settings → Apps".into()),
                ("editions.current.steps.1.title".into(), "One".into()),
                ("service.server".into(), "a.example".into()),
            ]
        );
    }
}
