//! The configuration profile for administrators: an Exchange ActiveSync account that signs in
//! with Microsoft (OAuth), generated from `guide.yaml` so it cannot disagree with the guide, and
//! checked against Apple's published schema (`schema`).
//!
//! It is an unsigned XML property list written with the plist crate. It never carries a
//! password, an email address or a user name: the iPhone asks for the address when the profile
//! is installed, and Microsoft's sign-in page does the rest. Identifiers and UUIDs are derived
//! from the profile's identifier in the YAML, so the same YAML always gives the same bytes.

pub mod schema;

use std::path::{Path, PathBuf};

use plist::{Dictionary, Value};

use crate::console::Console;
use crate::diagnostic::Diagnostic;
use crate::exit;
use crate::model::load::GUIDE_FILE;
use crate::model::schema::Guide;

/// Where the profile is published, relative to the site's root.
pub const PUBLISHED_PATH: &str = "downloads/calsync-exchange.mobileconfig";

const CHECK: &str = "profile";

/// Fixed namespace for the profile's name-based UUIDs (a UUID v5 of this project's URL).
fn namespace() -> uuid::Uuid {
    uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_URL,
        b"https://github.com/calsync-guide/calsync-guide",
    )
}

fn uuid_for(name: &str) -> String {
    uuid::Uuid::new_v5(&namespace(), name.as_bytes())
        .hyphenated()
        .to_string()
        .to_uppercase()
}

/// The oldest iOS of the edition the profile is for: the smallest "iOS N" its `ios` names.
pub fn min_ios(guide: &Guide) -> Option<(u32, u32)> {
    let profile = guide.profile.as_ref()?;
    let edition = guide.editions.iter().find(|e| e.id == profile.edition)?;
    edition
        .ios
        .split(|c: char| !c.is_ascii_digit() && c != '.')
        .filter(|part| !part.is_empty())
        .map(schema::version)
        .filter(|v| v.0 > 0)
        .min()
}

/// The profile as a property list dictionary; `None` when guide.yaml has no `profile:`.
pub fn generate(guide: &Guide) -> Option<Dictionary> {
    let profile = guide.profile.as_ref()?;
    let payload_identifier = format!("{}.eas", profile.identifier);
    let mut account = Dictionary::new();
    account.insert("PayloadType".into(), Value::from("com.apple.eas.account"));
    account.insert("PayloadVersion".into(), Value::from(1u64));
    account.insert(
        "PayloadIdentifier".into(),
        Value::from(payload_identifier.clone()),
    );
    account.insert(
        "PayloadUUID".into(),
        Value::from(uuid_for(&payload_identifier)),
    );
    account.insert(
        "PayloadDisplayName".into(),
        Value::from(guide.service.example_description.clone()),
    );
    account.insert(
        "PayloadDescription".into(),
        Value::from(profile.account_description.clone()),
    );
    account.insert(
        "Host".into(),
        Value::from(guide.service.exchange_server.clone()),
    );
    account.insert("SSL".into(), Value::from(true));
    account.insert("OAuth".into(), Value::from(true));
    // The guide turns Calendars on and leaves the other services to the reader: at their defaults.
    account.insert("EnableCalendars".into(), Value::from(true));

    let mut top = Dictionary::new();
    top.insert("PayloadType".into(), Value::from("Configuration"));
    top.insert("PayloadVersion".into(), Value::from(1u64));
    top.insert(
        "PayloadIdentifier".into(),
        Value::from(profile.identifier.clone()),
    );
    top.insert(
        "PayloadUUID".into(),
        Value::from(uuid_for(&profile.identifier)),
    );
    top.insert(
        "PayloadDisplayName".into(),
        Value::from(profile.display_name.clone()),
    );
    top.insert(
        "PayloadDescription".into(),
        Value::from(profile.description.clone()),
    );
    top.insert("PayloadRemovalDisallowed".into(), Value::from(false));
    top.insert(
        "PayloadContent".into(),
        Value::Array(vec![Value::Dictionary(account)]),
    );
    Some(top)
}

/// The profile as XML property list bytes.
pub fn to_xml(profile: &Dictionary) -> Vec<u8> {
    let mut bytes = Vec::new();
    plist::to_writer_xml(&mut bytes, &Value::Dictionary(profile.clone()))
        .expect("a dictionary of plain values always serialises");
    bytes.push(b'\n');
    bytes
}

/// The profile held against Apple's schema, as diagnostics at guide.yaml's `profile:`.
pub fn check(guide: &Guide, yaml: &str) -> Vec<Diagnostic> {
    let Some(profile) = generate(guide) else {
        return Vec::new();
    };
    let offset = yaml.find("\nprofile:").map_or(0, |at| at + 1);
    let at = |message: String| {
        Diagnostic::error(CHECK, message)
            .at_span(GUIDE_FILE, yaml, offset..offset + "profile:".len())
            .hint("the profile is built from guide.yaml; Apple's schema is in xtask/src/profile/apple-schema.yaml")
    };
    let Some(min_ios) = min_ios(guide) else {
        return vec![at(
            "the profile's edition is not one of editions:, or names no iOS version".into(),
        )];
    };
    let mut problems: Vec<Diagnostic> = written_problems(guide, &profile)
        .into_iter()
        .map(&at)
        .collect();
    problems.extend(
        schema::check(&profile, &schema::apple_schema(), min_ios)
            .into_iter()
            .map(&at),
    );
    problems
}

/// What Apple's schema data cannot say about the written file: that it is well-formed XML
/// (read back with the plist crate and found equal to what was meant), that the identifier is
/// reverse-DNS and the server a host name. iOS refuses a file that fails any of these.
fn written_problems(guide: &Guide, profile: &Dictionary) -> Vec<String> {
    let mut problems = Vec::new();
    let xml = to_xml(profile);
    match plist::from_bytes::<Value>(&xml) {
        Ok(Value::Dictionary(read)) if &read == profile => {}
        Ok(_) => {
            problems.push("the written profile does not read back as the same dictionary".into())
        }
        Err(error) => problems.push(format!(
            "the written profile is not a well-formed property list: {error}"
        )),
    }
    if let Some(identifier) = guide.profile.as_ref().map(|p| p.identifier.as_str()) {
        if !is_reverse_dns(identifier) {
            problems.push(format!(
                "the identifier `{}` is not reverse-DNS (letters, digits and dashes, in two or more parts joined by dots, e.g. org.example.calendar)",
                crate::escape::terminal(identifier)
            ));
        }
    }
    if !is_host_name(&guide.service.exchange_server) {
        problems.push(format!(
            "the server `{}` (service.exchange_server, the profile's Host) is not a host name",
            crate::escape::terminal(&guide.service.exchange_server)
        ));
    }
    problems
}

/// `org.example.calendar`: two or more parts of ASCII letters, digits and dashes.
pub fn is_reverse_dns(identifier: &str) -> bool {
    let parts: Vec<&str> = identifier.split('.').collect();
    parts.len() >= 2
        && parts.iter().all(|part| {
            !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// A DNS host name: dot-separated labels of letters, digits and dashes, 1 to 63 characters,
/// not starting or ending with a dash; at least two labels; at most 253 characters.
pub fn is_host_name(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    host.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|label| {
            (1..=63).contains(&label.len())
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// Writes the profile into the built site; returns where, or `None` without a `profile:`.
pub fn write_into(html_dir: &Path, guide: &Guide) -> std::io::Result<Option<PathBuf>> {
    let Some(profile) = generate(guide) else {
        return Ok(None);
    };
    let path = html_dir.join(PUBLISHED_PATH);
    crate::fsutil::write_in(html_dir, Path::new(PUBLISHED_PATH), &to_xml(&profile))?;
    Ok(Some(path))
}

/// `cargo xtask profile`: checks the profile and writes it into `target/book/`.
pub fn command(root: &Path, console: &mut Console<'_>) -> u8 {
    let loaded = match crate::model::load::load_guide(root) {
        Ok(loaded) => loaded,
        Err(problem) => {
            crate::report::human::print_all(console.err, &[problem], console.colour);
            return exit::CANNOT_RUN;
        }
    };
    let problems = check(&loaded.guide, &loaded.text);
    if !problems.is_empty() {
        crate::report::human::print_all(console.out, &problems, console.colour);
        return exit::FINDINGS;
    }
    let html_dir = match crate::model::book::load_config(root) {
        Ok(config) => root.join(config.build.build_dir),
        Err(problems) => {
            crate::report::human::print_all(console.err, &problems, console.colour);
            return exit::CANNOT_RUN;
        }
    };
    match write_into(&html_dir, &loaded.guide) {
        Ok(Some(path)) => {
            let _ = writeln!(console.out, "profile: wrote {}", path.display());
            exit::CLEAN
        }
        Ok(None) => {
            let _ = writeln!(console.out, "profile: guide.yaml has no profile: section");
            exit::CLEAN
        }
        Err(error) => {
            let _ = writeln!(console.err, "profile: cannot write it: {error}");
            exit::CANNOT_RUN
        }
    }
}
