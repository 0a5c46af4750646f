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
    /// Every external address the book may link to, and every page a fact cites.
    pub urls: Vec<UrlEntry>,
    /// Sources that have no public address (the 2018 post), cited by id like a URL.
    #[serde(default)]
    pub documents: Vec<Document>,
    /// The editions, newest first; the first is the one the site opens on.
    pub editions: Vec<Edition>,
    /// The configuration profile for administrators (`cargo xtask profile`), if the guide has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<Profile>,
    /// The evidence: every fact a reader acts on or is told, with the sources that support it.
    /// See `Fact`; `cargo xtask sources` checks it offline and re-reads the pages online.
    #[serde(default)]
    pub facts: Vec<Fact>,
    /// The groups troubleshooting is arranged in, in the order pages show them.
    #[serde(default)]
    pub problem_kinds: Vec<ProblemKind>,
    /// What goes wrong after set-up, and the answer: generated into each edition's
    /// troubleshooting page and its "What does your screen say?" index (`snippets`).
    #[serde(default)]
    pub problems: Vec<Problem>,
    /// What an organisation's IT team checks and changes for the problems only it can fix;
    /// generated into the administrators' chapter, and linked from each such answer.
    #[serde(default)]
    pub admin_checks: Vec<AdminCheck>,
    /// Living with the work calendar once it syncs: everyday questions, what the iPhone's
    /// Calendar, the Outlook app and Outlook on the web each do, and the iPhone's steps per
    /// edition; generated into each edition's "Day to day" chapter and its side-by-side table.
    #[serde(default)]
    pub day_to_day: Vec<DailyQuestion>,
    /// The words readers use, per answer (a problem id) or page (a chapter's path under the
    /// book's folder, e.g. `current/add-account.md`): copied from public questions and help
    /// pages (`at`), never invented. The site's search index finds the answer by them.
    #[serde(default)]
    pub reader_words: std::collections::BTreeMap<String, Vec<ReaderWords>>,
}

/// How a reader put it, and where.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReaderWords {
    /// The reader's words, as written there (lowercase; contractions and misspellings kept).
    pub said: String,
    /// The public page they were read on.
    pub at: String,
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
    /// The page's own title, shown in the Sources section of every page that cites it.
    /// Required for an address a fact cites.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// The Exchange ActiveSync configuration profile built from this guide. Its account uses the
/// guide's server, OAuth and the guide's services; these fields name and describe it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// The edition whose steps it replaces; its oldest iOS is the oldest the profile must support.
    pub edition: String,
    /// Reverse-DNS identifier of the profile; its payload adds `.eas`, and both UUIDs derive from it.
    pub identifier: String,
    /// The profile's name, shown when it is installed.
    pub display_name: String,
    /// What the profile does, shown when it is installed.
    pub description: String,
    /// What the account payload does.
    pub account_description: String,
}

/// A source without a public address, such as the 2018 post this guide grew from.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// Stable name, cited as `document: <id>`.
    pub id: String,
    pub title: String,
    /// Where a copy can be read to check its quotes offline, relative to the guide root. It
    /// is never published; when it is absent the quotes are checked for shape only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_copy: Option<String>,
}

/// One fact of the guide and its evidence.
///
/// A fact names the setting keys that show it (`service.exchange_server`, a menu path) or,
/// for a statement made in prose, one `claims.<name>` key with the `claim` it makes; the prose
/// marks such a statement with `<!-- fact: claims.<name> -->`. It then has at least one
/// `sources` entry, or an `unsourced` reason (and the prose says less). A fact about a date still
/// to come gets `review_by`, after which `verify` reports every place that shows it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    /// The setting keys, or the one `claims.<name>` key, this evidence is for.
    pub keys: Vec<String>,
    /// For a `claims.` key: what the prose states, in one sentence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Source>,
    /// Why no source is given; the prose must hedge the fact or leave it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unsourced: Option<String>,
    /// YYYY-MM-DD: after this day the fact must be checked again (a date still to come).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_by: Option<String>,
    /// The last time a person read the claim (or the setting's value) against every quote and
    /// found that the quotes say all of it, for its edition, today. `verify` reports a fact
    /// whose claim, values or quotes changed since (their digest no longer matches).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read: Option<Reading>,
}

/// A recorded reading of a fact against its quotes.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Reading {
    /// YYYY-MM-DD.
    pub on: String,
    /// `model::facts::reading_digest` of what was read: the keys, the claim or the settings'
    /// values, and each source's page and quote.
    pub digest: String,
}

/// Words copied exactly from a page (or document) that support a fact.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The id of a declared URL (`urls:`); or use `document`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The id of a `documents:` entry, for a source without a public address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// Copied character for character from the page's own text; at most 300 characters.
    pub quote: String,
    /// The day the quote was copied (YYYY-MM-DD).
    pub retrieved: String,
    /// A second-hand page (a university IT guide, an admin blog), used only where no primary
    /// page says it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub secondary: bool,
    /// Where the quote was copied from, when not from the live page itself (a repository's
    /// markdown source of the page, a stored copy); the online check confirms it on the page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_in: Option<String>,
    /// The quote's language, when it is not English (an Apple guide read in Japanese): with
    /// `translation`, the contributor's English beside the original words, which stay the quote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translation: Option<String>,
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
    /// The last day an online `cargo xtask sources` run found every quote this edition's pages
    /// cite (YYYY-MM-DD). Written by the weekly workflow's pull request, never typed by hand.
    pub sources_checked: String,
    /// When someone last followed the steps on a real iPhone, and on which iOS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_checked: Option<DeviceCheck>,
    pub add_account_path: Vec<String>,
    pub accounts_path: Vec<String>,
    pub mail_accounts_path: Vec<String>,
    /// Further menu paths the answers to problems send readers to, by name
    /// (`default_calendar: [Settings, Apps, Calendar, Default Calendar]`). A problem's step
    /// names one (`menu: default_calendar`) and each edition prints its own. Each is a fact:
    /// sourced, or unsourced and then printed with a hedge.
    #[serde(default)]
    pub menus: std::collections::BTreeMap<String, Vec<String>>,
    pub steps: Vec<Step>,
}

impl Edition {
    /// The menu path a problem's step names, with its setting key: one of the three paths every
    /// edition has, or one of its `menus`. `None` when this edition has no such menu.
    pub fn menu(&self, name: &str) -> Option<(&[String], String)> {
        let path = match name {
            "accounts_path" => &self.accounts_path,
            "mail_accounts_path" => &self.mail_accounts_path,
            "add_account_path" => &self.add_account_path,
            other => self.menus.get(other)?,
        };
        let key = if matches!(
            name,
            "accounts_path" | "mail_accounts_path" | "add_account_path"
        ) {
            format!("editions.{}.{name}", self.id)
        } else {
            format!("editions.{}.menus.{name}", self.id)
        };
        Some((path.as_slice(), key))
    }
}

/// A walk through an edition's steps on a real iPhone.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceCheck {
    /// YYYY-MM-DD.
    pub date: String,
    /// The iOS version of the iPhone, as Settings → General → About shows it.
    pub ios: String,
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
    /// A button to tap on the screen the step shows (drawn highlighted in its picture).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tap: Option<String>,
    /// Switches the reader turns on (drawn on, and highlighted, in its picture).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub turn_on: Vec<String>,
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

/// A heading of the troubleshooting page: problems of one kind.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProblemKind {
    /// Stable name; problems refer to it as `kind:`, and it is the section's anchor.
    pub id: String,
    pub title: String,
}

/// One thing readers report going wrong, and its answer. Its `cause`, its messages and its
/// steps are facts (`problems.<id>.cause`, `problems.<id>.messages.N.text`,
/// `problems.<id>.steps.N.text`): each is covered by an entry under `facts:`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Problem {
    /// Stable name: the anchor (`troubleshooting.html#<id>`) in every edition, so the edition
    /// switcher and old links land on the same answer. Never rename one.
    pub id: String,
    /// A `problem_kinds` id.
    pub kind: String,
    /// The heading, in the reader's words ("Old meetings are missing").
    pub title: String,
    /// What the reader sees, in one or two sentences.
    pub symptom: String,
    /// Words shown on the screen (or in an email), exactly as iOS or Microsoft shows them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<Message>,
    /// Why it happens, as the sources say it.
    pub cause: String,
    /// Who can fix it.
    pub fixed_by: FixedBy,
    /// The answer, in order.
    pub steps: Vec<FixStep>,
    /// For problems IT must fix: what to tell them, in one sentence the reader can send.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tell_it: Option<String>,
    /// An `admin_checks` id: where the administrators' chapter says what IT checks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin: Option<String>,
}

/// Words a screen shows.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Message {
    /// Exactly as shown, copied from a source that shows it.
    pub text: String,
    /// Where it appears: "iPhone", "Microsoft sign-in page", "email".
    pub shown_in: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FixedBy {
    /// The reader, on the iPhone or in Outlook.
    Reader,
    /// Only the organisation's IT team.
    It,
    /// The reader first; IT if that does not help.
    ReaderThenIt,
}

/// One step of an answer.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FixStep {
    /// A menu the step starts from: a name under the edition's `menus`, or `accounts_path`,
    /// `mail_accounts_path` or `add_account_path`. Printed before the text, per edition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub menu: Option<String>,
    pub text: String,
    /// A problem id whose answer this step sends the reader to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub see: Option<String>,
}

/// What IT checks and changes, in the administrators' chapter.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AdminCheck {
    /// Stable name: the anchor in the administrators' chapter.
    pub id: String,
    pub title: String,
    /// What to look at and why.
    pub text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<AdminStep>,
}

/// One thing IT does: a sentence, and the command or admin-centre path when there is one.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AdminStep {
    pub text: String,
    /// An Exchange Online PowerShell command, printed as code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
}

/// One everyday question, answered for each of the three ways to reach a work calendar on an
/// iPhone. Each cell's `text` and each step's `text` is a fact
/// (`day_to_day.<id>.iphone.text`, `day_to_day.<id>.steps.N.text`), covered under `facts:`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DailyQuestion {
    /// Stable name: the answer's anchor (`day-to-day.html#<id>`) in every edition. Never rename
    /// one. It may not be a problem's id, so reader words name one or the other.
    pub id: String,
    /// The heading, as a reader asks it ("Can I set my out-of-office reply from the iPhone?").
    pub question: String,
    /// The side-by-side table's row, in a few words ("Out-of-office reply").
    pub row: String,
    /// The iPhone's own Calendar (and Mail) with the Exchange account: the guide's subject,
    /// so its answer comes first.
    pub iphone: AppAnswer,
    /// Microsoft Outlook for iPhone.
    pub outlook_app: AppAnswer,
    /// Outlook on the web, in the iPhone's browser.
    pub outlook_web: AppAnswer,
    /// How to do it on the iPhone, in order; a step's `menu` is printed per edition, as in an
    /// answer to a problem.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<FixStep>,
}

impl DailyQuestion {
    /// The three answers with their field names (a setting key's segment), in the order pages
    /// print them: the iPhone's Calendar first.
    pub fn cells(&self) -> [(&'static str, &AppAnswer); 3] {
        [
            ("iphone", &self.iphone),
            ("outlook_app", &self.outlook_app),
            ("outlook_web", &self.outlook_web),
        ]
    }
}

/// What one app does for a question.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AppAnswer {
    /// The table's cell.
    pub can: Can,
    /// The answer in a sentence or two, within its fact's quotes. Required unless `can` is
    /// `not-said`, which prints "No page we could read says" and needs no fact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// A cell of the side-by-side table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Can {
    Yes,
    No,
    /// Some of it, or with a condition the text says.
    Partly,
    /// No page we could read says: never guessed.
    NotSaid,
}

impl Can {
    /// The cell's words: short, since three cells share a phone's width.
    pub fn cell(self) -> &'static str {
        match self {
            Can::Yes => "Yes",
            Can::No => "No",
            Can::Partly => "Partly",
            Can::NotSaid => "Not known",
        }
    }
}
