//! The administrators' configuration profile: generated from guide.yaml, deterministic, read
//! back by two independent readers (the plist crate and Python's plistlib), and held against
//! Apple's schema, which catches each kind of mistake with a clear message.

mod common;

use plist::{Dictionary, Value};
use xtask::model::load::{load_guide, parse_guide};
use xtask::profile::{self, schema};

fn repository_profile() -> Dictionary {
    let guide = load_guide(&xtask::project_root()).unwrap().guide;
    profile::generate(&guide).expect("guide.yaml has a profile")
}

#[test]
fn the_profile_snapshot() {
    let xml = String::from_utf8(profile::to_xml(&repository_profile())).unwrap();
    let listed = xtask::snapshots::of_guide(&load_guide(&xtask::project_root()).unwrap().guide)
        .into_iter()
        .find(|s| s.test == "profile")
        .expect("the profile is in the list verify reads");
    assert_eq!(listed.contents, xml);
    insta::assert_snapshot!(listed.name, listed.contents);
}

#[test]
fn the_profile_carries_the_guides_values_and_no_credential() {
    let profile = repository_profile();
    let account = profile["PayloadContent"].as_array().unwrap()[0]
        .as_dictionary()
        .unwrap()
        .clone();
    let guide = load_guide(&xtask::project_root()).unwrap().guide;
    assert_eq!(
        account["PayloadType"].as_string(),
        Some("com.apple.eas.account")
    );
    assert_eq!(
        account["Host"].as_string(),
        Some(guide.service.exchange_server.as_str())
    );
    assert_eq!(account["SSL"].as_boolean(), Some(true));
    assert_eq!(account["OAuth"].as_boolean(), Some(true));
    assert_eq!(account["EnableCalendars"].as_boolean(), Some(true));
    for absent in [
        "Password",
        "EmailAddress",
        "UserName",
        "CertificatePassword",
    ] {
        assert!(!account.contains_key(absent), "{absent} must be left out");
    }
    assert_eq!(profile["PayloadVersion"].as_unsigned_integer(), Some(1));
    assert_eq!(
        profile["PayloadRemovalDisallowed"].as_boolean(),
        Some(false)
    );
    assert!(schema::check(&profile, &schema::apple_schema(), (18, 0)).is_empty());
}

#[test]
fn two_builds_give_the_same_bytes_and_the_site_publishes_it() {
    let first = common::copy_of_repository_guide();
    let second = common::copy_of_repository_guide();
    let mut files = Vec::new();
    for tree in [&first, &second] {
        let (code, output) = common::xtask(&["build", "--root", tree.path().to_str().unwrap()]);
        assert_eq!(code, 0, "{output}");
        files.push(
            std::fs::read(
                tree.path()
                    .join("target/book")
                    .join(profile::PUBLISHED_PATH),
            )
            .unwrap(),
        );
    }
    assert_eq!(files[0], files[1]);
    assert_eq!(files[0], profile::to_xml(&repository_profile()));
}

#[test]
fn the_plist_crate_reads_it_back_as_written() {
    let profile = repository_profile();
    let read: Value = plist::from_bytes(&profile::to_xml(&profile)).unwrap();
    assert_eq!(read, Value::Dictionary(profile));
}

#[test]
fn python_plistlib_reads_it_too() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("profile.mobileconfig");
    std::fs::write(&file, profile::to_xml(&repository_profile())).unwrap();
    let script = "import json, plistlib, sys\n\
                  with open(sys.argv[1], 'rb') as f:\n    p = plistlib.load(f)\n\
                  a = p['PayloadContent'][0]\n\
                  print(json.dumps({'type': p['PayloadType'], 'version': p['PayloadVersion'], 'removal': p['PayloadRemovalDisallowed'], \
                  'payload': a['PayloadType'], 'host': a['Host'], 'ssl': a['SSL'], 'oauth': a['OAuth'], 'calendars': a['EnableCalendars'], \
                  'password': 'Password' in a, 'keys': sorted(a)}))";
    let output = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(&file)
        .output()
        .expect("python3 runs (CI has it)");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let read: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(read["type"], "Configuration");
    assert_eq!(read["version"], 1);
    assert_eq!(read["removal"], false);
    assert_eq!(read["payload"], "com.apple.eas.account");
    assert_eq!(read["host"], "outlook.office365.com");
    assert_eq!(
        (
            read["ssl"].clone(),
            read["oauth"].clone(),
            read["calendars"].clone()
        ),
        (true.into(), true.into(), true.into())
    );
    assert_eq!(read["password"], false);
}

#[test]
fn a_new_server_in_the_yaml_changes_host_and_nothing_else() {
    let yaml = std::fs::read_to_string(xtask::project_root().join("guide.yaml")).unwrap();
    let moved = yaml.replacen(
        "  exchange_server: outlook.office365.com",
        "  exchange_server: mail.contoso.com",
        1,
    );
    assert_ne!(yaml, moved);
    let before = String::from_utf8(profile::to_xml(
        &profile::generate(&parse_guide(&yaml).unwrap().guide).unwrap(),
    ))
    .unwrap();
    let after = String::from_utf8(profile::to_xml(
        &profile::generate(&parse_guide(&moved).unwrap().guide).unwrap(),
    ))
    .unwrap();
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(
        changed,
        [(
            "\t\t\t<string>outlook.office365.com</string>",
            "\t\t\t<string>mail.contoso.com</string>"
        )]
    );
    assert_eq!(before.lines().count(), after.lines().count());
}

/// The repository's profile with its account payload changed by `edit`, checked for `min_ios`.
fn problems_after(edit: impl Fn(&mut Dictionary), min_ios: (u32, u32)) -> Vec<String> {
    let mut profile = repository_profile();
    let mut payloads = profile["PayloadContent"].as_array().unwrap().clone();
    let mut account = payloads[0].as_dictionary().unwrap().clone();
    edit(&mut account);
    payloads[0] = Value::Dictionary(account);
    profile.insert("PayloadContent".into(), Value::Array(payloads));
    schema::check(&profile, &schema::apple_schema(), min_ios)
}

#[test]
fn each_kind_of_mistake_is_caught_with_a_clear_message() {
    let misspelt = problems_after(
        |a| {
            a.insert("EnableCalendar".into(), Value::from(true));
        },
        (18, 0),
    );
    assert_eq!(misspelt, ["payload com.apple.eas.account: `EnableCalendar` is not a key of Apple's schema (did you mean `EnableCalendars`?)"]);

    let wrong_type = problems_after(
        |a| {
            a.insert("SSL".into(), Value::from("yes"));
        },
        (18, 0),
    );
    assert_eq!(
        wrong_type,
        ["payload com.apple.eas.account: `SSL` must be a boolean, found string"]
    );

    let too_new = problems_after(
        |a| {
            a.insert(
                "VPNUUID".into(),
                Value::from("00000000-0000-0000-0000-000000000000"),
            );
        },
        (13, 0),
    );
    assert_eq!(too_new, ["payload com.apple.eas.account: `VPNUUID` needs iOS 14.0, newer than iOS 13.0 this profile is for"]);

    let password = problems_after(
        |a| {
            a.insert("Password".into(), Value::from("hunter2"));
        },
        (18, 0),
    );
    assert_eq!(password.len(), 1);
    assert!(password[0].starts_with("payload com.apple.eas.account: `Password` is never written: a password in a profile is a credential"), "{password:?}");

    let missing = problems_after(
        |a| {
            a.remove("PayloadUUID");
        },
        (18, 0),
    );
    assert_eq!(
        missing,
        ["payload com.apple.eas.account: the required key `PayloadUUID` is missing"]
    );
}

#[test]
fn verify_reports_a_profile_for_an_edition_older_than_its_keys() {
    let tree = common::copy_of_repository_guide();
    let yaml_path = tree.path().join("guide.yaml");
    let yaml = std::fs::read_to_string(&yaml_path).unwrap();
    // The legacy edition starts at iOS 12; EnableCalendars (iOS 13) is too new for it.
    std::fs::write(
        &yaml_path,
        yaml.replace(
            "profile:\n  edition: current",
            "profile:\n  edition: legacy-2018",
        ),
    )
    .unwrap();
    let (code, output) = common::verify(tree.path(), &["--no-build"]);
    assert_eq!(code, 1, "{output}");
    assert!(output.contains("error[profile]: payload com.apple.eas.account: `EnableCalendars` needs iOS 13.0, newer than iOS 12.0 this profile is for"), "{output}");
}
