//! The schema of `guide.yaml`, the single source of truth. Unknown fields are errors.
//!
//! Field docs here are the reference for contributors; `book/contributing.md` shows examples.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Guide {
    /// The guide's release (semver), shown on every page.
    pub release: String,
    pub service: Service,
    pub history: History,
    pub app_passwords: AppPasswords,
    /// Every external address the book may link to.
    pub urls: Vec<UrlEntry>,
    /// The editions, newest first; the first is the one the site opens on.
    pub editions: Vec<Edition>,
}

/// Exchange Online as a reader meets it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub product: String,
    pub product_2018: String,
    /// The Exchange ActiveSync endpoint; readers only type it on the manual (legacy) path.
    pub exchange_server: String,
    pub username_rule: String,
    /// An address at a reserved example domain, never a real one.
    pub example_email: String,
    pub example_description: String,
    pub sync_delay: String,
    pub admin_wipe_warning: String,
}

/// Dates and versions of what changed since 2018, as the guide writes them.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct History {
    pub oauth_since_ios: String,
    pub oauth_migration_ios: String,
    pub basic_auth_disabling_began: String,
    pub basic_auth_reenable_ended: String,
    pub basic_auth_gone_for_good: String,
    pub office_renamed_year: String,
    pub entra_renamed_year: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AppPasswords {
    /// Microsoft documents no length; the guide says "a long generated password".
    pub length: String,
    pub max_per_user: String,
    pub menu_today: Vec<String>,
    pub menu_2018: Vec<String>,
    pub menu_2018_office: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UrlEntry {
    /// Stable name, used in setting keys: `urls.<id>.url`.
    pub id: String,
    pub url: String,
    pub purpose: String,
    /// What `cargo xtask urls` should see when it requests the address.
    pub expect: Expectation,
    /// With `expect: redirect`: the final address must start with this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_to: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Expectation {
    /// A 2xx answer (redirects allowed on the way).
    Ok,
    /// At least one redirect, then a 2xx: a page behind a sign-in. Any host may answer in the
    /// end (sign-in pages move between hosts), but a direct 2xx fails: the page is no longer
    /// behind a sign-in, so the guide's description of it may be wrong.
    LoginRedirect,
    /// A redirect whose final address starts with `redirect_to`.
    Redirect,
    /// Report whatever happens, never fail: for pages known to be retiring.
    Report,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Edition {
    /// Stable name, used in setting keys: `editions.<id>.…`.
    pub id: String,
    pub title: String,
    /// The folder under `book/`, and the published path.
    pub dir: String,
    /// The iOS versions it is for, as readers see them.
    pub ios: String,
    pub auth: String,
    pub status: EditionStatus,
    /// When someone last walked through it on a real device (YYYY-MM-DD).
    pub last_verified: String,
    pub add_account_path: Vec<String>,
    pub accounts_path: Vec<String>,
    pub mail_accounts_path: Vec<String>,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EditionStatus {
    Current,
    Legacy,
}

/// One numbered step of an edition's instructions.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub title: String,
    /// A menu path to follow, shown as `A → B → C`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub menu: Option<Vec<String>>,
    pub text: String,
    /// Fields the reader fills in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enter: Vec<Entry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

/// A form field and what to type into it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub field: String,
    /// What to type; absent when the reader types something of their own or nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}
