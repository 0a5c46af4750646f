//! Apple's published schema for profiles, as data (`apple-schema.yaml`), and the check that holds
//! a profile against it: every key known, every value of the right type and allowed, every key
//! supported by the oldest iOS the profile is for, every required key present, no forbidden key.

use serde::Deserialize;

/// The schema data, compiled in: it describes Apple's format, not this guide.
const SCHEMA_YAML: &str = include_str!("apple-schema.yaml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppleSchema {
    pub repository: String,
    pub commit: String,
    pub top_level: PayloadSpec,
    pub common: Vec<KeySpec>,
    pub payloads: Vec<TypedPayloadSpec>,
    pub forbidden: Vec<Forbidden>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PayloadSpec {
    pub introduced: String,
    pub keys: Vec<KeySpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypedPayloadSpec {
    #[serde(rename = "type")]
    pub payload_type: String,
    pub introduced: String,
    pub keys: Vec<KeySpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeySpec {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: Kind,
    #[serde(default)]
    pub required: bool,
    /// The iOS version that introduced the key, when later than its payload.
    #[serde(default)]
    pub introduced: Option<String>,
    /// The only values allowed, as text.
    #[serde(default)]
    pub allowed: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Forbidden {
    pub name: String,
    pub why: String,
}

/// Property list value types, as Apple's schema names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    String,
    Boolean,
    Integer,
    Real,
    Data,
    Date,
    Array,
    Dictionary,
}

impl Kind {
    fn of(value: &plist::Value) -> Option<Kind> {
        Some(match value {
            plist::Value::String(_) => Kind::String,
            plist::Value::Boolean(_) => Kind::Boolean,
            plist::Value::Integer(_) => Kind::Integer,
            plist::Value::Real(_) => Kind::Real,
            plist::Value::Data(_) => Kind::Data,
            plist::Value::Date(_) => Kind::Date,
            plist::Value::Array(_) => Kind::Array,
            plist::Value::Dictionary(_) => Kind::Dictionary,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Kind::String => "string",
            Kind::Boolean => "boolean",
            Kind::Integer => "integer",
            Kind::Real => "real",
            Kind::Data => "data",
            Kind::Date => "date",
            Kind::Array => "array",
            Kind::Dictionary => "dictionary",
        }
    }
}

/// The schema data shipped with the tool.
pub fn apple_schema() -> AppleSchema {
    serde_yaml::from_str(SCHEMA_YAML).expect("the built-in schema data is valid")
}

/// `major.minor` as numbers, for comparing iOS versions.
pub fn version(text: &str) -> (u32, u32) {
    let mut parts = text.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

/// Every way `profile` departs from the schema, for a profile that must work from iOS `min_ios`.
pub fn check(
    profile: &plist::Dictionary,
    schema: &AppleSchema,
    min_ios: (u32, u32),
) -> Vec<String> {
    let mut problems = Vec::new();
    check_dictionary(
        "the profile",
        profile,
        &schema.top_level.keys,
        &schema.top_level.introduced,
        schema,
        min_ios,
        &mut problems,
    );
    let payloads = profile
        .get("PayloadContent")
        .and_then(plist::Value::as_array)
        .cloned()
        .unwrap_or_default();
    for (index, payload) in payloads.iter().enumerate() {
        let Some(payload) = payload.as_dictionary() else {
            problems.push(format!(
                "PayloadContent item {} is not a dictionary",
                index + 1
            ));
            continue;
        };
        let payload_type = payload
            .get("PayloadType")
            .and_then(plist::Value::as_string)
            .unwrap_or("");
        let Some(spec) = schema
            .payloads
            .iter()
            .find(|p| p.payload_type == payload_type)
        else {
            problems.push(format!(
                "payload {}: type `{payload_type}` is not one this tool knows the schema of",
                index + 1
            ));
            continue;
        };
        let keys: Vec<KeySpec> = schema.common.iter().chain(&spec.keys).cloned().collect();
        check_dictionary(
            &format!("payload {payload_type}"),
            payload,
            &keys,
            &spec.introduced,
            schema,
            min_ios,
            &mut problems,
        );
    }
    problems
}

fn check_dictionary(
    what: &str,
    dictionary: &plist::Dictionary,
    keys: &[KeySpec],
    introduced: &str,
    schema: &AppleSchema,
    min_ios: (u32, u32),
    problems: &mut Vec<String>,
) {
    for (name, value) in dictionary {
        if let Some(forbidden) = schema.forbidden.iter().find(|f| &f.name == name) {
            problems.push(format!(
                "{what}: `{name}` is never written: {}",
                forbidden.why
            ));
            continue;
        }
        let Some(spec) = keys.iter().find(|k| &k.name == name) else {
            let hint = crate::suggest::closest(name, keys.iter().map(|k| k.name.as_str()))
                .map(|best| format!(" (did you mean `{best}`?)"))
                .unwrap_or_default();
            problems.push(format!(
                "{what}: `{name}` is not a key of Apple's schema{hint}"
            ));
            continue;
        };
        match Kind::of(value) {
            Some(kind) if kind == spec.kind => {}
            found => problems.push(format!(
                "{what}: `{name}` must be a {}, found {}",
                spec.kind.name(),
                found.map_or("an unknown type", Kind::name)
            )),
        }
        if !spec.allowed.is_empty() {
            let text = match value {
                plist::Value::String(text) => text.clone(),
                plist::Value::Integer(number) => number.to_string(),
                other => format!("{other:?}"),
            };
            if !spec.allowed.contains(&text) {
                problems.push(format!(
                    "{what}: `{name}` is `{text}`; Apple's schema allows only {}",
                    spec.allowed.join(", ")
                ));
            }
        }
        let since = spec.introduced.as_deref().unwrap_or(introduced);
        if version(since) > min_ios {
            problems.push(format!(
                "{what}: `{name}` needs iOS {since}, newer than iOS {}.{} this profile is for",
                min_ios.0, min_ios.1
            ));
        }
    }
    for spec in keys.iter().filter(|k| k.required) {
        if !dictionary.contains_key(&spec.name) {
            problems.push(format!(
                "{what}: the required key `{}` is missing",
                spec.name
            ));
        }
    }
}
