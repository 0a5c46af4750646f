//! Compares how a URL answered with what `guide.yaml` says it should do. Each `expect` means
//! exactly what the schema says: `ok` a 2xx (redirects allowed), `login-redirect` at least one
//! redirect and then a 2xx, `redirect` a final address starting with `redirect_to`, `report`
//! never a failure.

use super::{Outcome, UrlReport};
use crate::model::schema::Expectation;

/// The judgement on one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    /// Passes, but someone should look (a permanent redirect, a `report` URL's behaviour).
    Note(String),
    Fail(String),
}

pub fn judge(report: &UrlReport, expectation: Expectation, redirect_to: Option<&str>) -> Verdict {
    let ended_at = report.final_url.as_deref().unwrap_or(&report.url);
    let what_happened = || match report.outcome {
        Outcome::Ok => format!("answers {}", report.http_status.unwrap_or(200)),
        Outcome::Redirected => format!("redirects to {ended_at}"),
        other => format!(
            "is {}: {}",
            other.label(),
            report.error.as_deref().unwrap_or("no detail")
        ),
    };
    if report.outcome == Outcome::Excluded {
        return Verdict::Pass;
    }
    if expectation == Expectation::Report {
        return Verdict::Note(format!("now {} (report only)", what_happened()));
    }
    if report.outcome.is_failure() {
        return Verdict::Fail(
            report
                .error
                .clone()
                .unwrap_or_else(|| report.outcome.label().to_string()),
        );
    }
    match expectation {
        Expectation::Ok | Expectation::LoginRedirect if report.permanent_redirect => Verdict::Note(
            format!("moved permanently to {ended_at}: update the url in guide.yaml"),
        ),
        Expectation::Ok | Expectation::Report => Verdict::Pass,
        // A sign-in page that answers directly is no longer behind a sign-in: say so.
        Expectation::LoginRedirect if report.outcome == Outcome::Redirected => Verdict::Pass,
        Expectation::LoginRedirect => Verdict::Fail(format!(
            "expected a redirect to a sign-in page, but it {} without one",
            what_happened()
        )),
        Expectation::Redirect => {
            let prefix = redirect_to.unwrap_or("");
            if report.outcome == Outcome::Redirected && ended_at.starts_with(prefix) {
                Verdict::Pass
            } else {
                Verdict::Fail(format!(
                    "expected a redirect to {prefix}…, but it {}",
                    what_happened()
                ))
            }
        }
    }
}
