//! axe-core, Deque's accessibility checker, run on a page through WebDriver:
//! the version is pinned and its file checked by SHA-256; it comes from npm
//! into `target/npm-axe` on first use (`scripts/install-test-deps.sh`
//! installs npm).
//!
//! This is harness code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::json;

use crate::webdriver::Session;

/// The axe-core release the tests run.
pub const VERSION: &str = "4.14.1";
/// SHA-256 of its `axe.min.js`.
const SHA256: &str = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c";
/// The rules that count: WCAG 2.0, 2.1 and 2.2, levels A and AA.
const TAGS: &str = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']";

/// The pinned `axe.min.js`, installed with npm on first use.
pub fn source() -> &'static str {
    static SOURCE: OnceLock<String> = OnceLock::new();
    SOURCE.get_or_init(|| {
        let prefix = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/npm-axe");
        let file = prefix.join("node_modules/axe-core/axe.min.js");
        if !file.exists() {
            let status = std::process::Command::new("npm")
                .args([
                    "install",
                    "--no-save",
                    "--no-audit",
                    "--no-fund",
                    "--prefix",
                ])
                .arg(&prefix)
                .arg(format!("axe-core@{VERSION}"))
                .status()
                .expect("npm (apt-get install npm), to install axe-core");
            assert!(status.success(), "npm install axe-core@{VERSION} failed");
        }
        let text = std::fs::read_to_string(&file).unwrap();
        use sha2::Digest;
        let digest: String = sha2::Sha256::digest(text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            digest,
            SHA256,
            "{} is not axe-core {VERSION}",
            file.display()
        );
        text
    })
}

/// The WCAG A and AA violations axe finds on the page as it is now, one
/// line each: the rule, its help, and the elements.
pub async fn violations(session: &Session) -> Vec<String> {
    session
        .client
        .execute(source(), vec![])
        .await
        .expect("injecting axe-core");
    let script = format!(
        "const done = arguments[0]; \
         axe.run(document, {{ runOnly: {{ type: 'tag', values: {TAGS} }}, \
           resultTypes: ['violations'] }}) \
         .then(r => done(r.violations.map(v => `${{v.id}} (${{v.help}}): ` + \
           v.nodes.map(n => n.target.join(' ') + ' ' + (n.failureSummary || '').replace(/\\s+/g, ' ')) \
           .join('; '))), e => done([`axe failed: ${{e}}`]));"
    );
    let found = session.client.execute_async(&script, vec![]).await.unwrap();
    serde_json::from_value(found.clone()).unwrap_or_else(|_| vec![json!(found).to_string()])
}
