//! Compares how a URL answered with what `guide.yaml` says it should do.

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
        Expectation::Ok | Expectation::LoginRedirect | Expectation::Report => Verdict::Pass,
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
