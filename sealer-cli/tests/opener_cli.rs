//! `sealer opener` and `sealer verify` of its folder, run as an
//! organisation's administrator runs them.

// A failed unwrap here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fs;

use common::{run, scratch, sealer, stderr, stdout};
use sealer::opener::SITE_FILES;

#[test]
fn the_opener_is_written_once_verifies_and_any_changed_byte_is_refused() {
    let dir = scratch("opener");
    let written = run(
        sealer(&dir).args([
            "opener",
            "--output",
            "site",
            "--organisation",
            "Example Clinic",
            "--accent-colour",
            "#7a1f5c",
            "--lang",
            "ar",
        ]),
        0,
    );
    assert!(
        stdout(&written).contains("sealer verify site"),
        "{written:?}"
    );
    let mut names: Vec<String> = fs::read_dir(dir.join("site"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let mut expected: Vec<&str> = SITE_FILES.to_vec();
    expected.sort_unstable();
    assert_eq!(names, expected);
    let index = fs::read_to_string(dir.join("site/index.html")).unwrap();
    assert!(index.contains("lang=\"ar\" dir=\"rtl\""));

    let verified = run(sealer(&dir).args(["verify", "site"]), 0);
    assert!(
        stdout(&verified).contains("is exactly the opener site sealer release"),
        "{verified:?}"
    );

    // Written again: refused, nothing touched; --force replaces it.
    let before = fs::read(dir.join("site/index.html")).unwrap();
    let again = run(sealer(&dir).args(["opener", "--output", "site"]), 3);
    assert!(stderr(&again).contains("already exists"), "{again:?}");
    assert_eq!(fs::read(dir.join("site/index.html")).unwrap(), before);
    run(
        sealer(&dir).args(["opener", "--output", "site", "--force"]),
        0,
    );
    assert_ne!(fs::read(dir.join("site/index.html")).unwrap(), before);
    run(sealer(&dir).args(["verify", "site"]), 0);

    // One changed byte of any file, a file missing or one added: refused.
    for name in SITE_FILES {
        let path = dir.join("site").join(name);
        let original = fs::read(&path).unwrap();
        let mut changed = original.clone();
        let at = changed.len() / 2;
        changed[at] ^= 0x01;
        fs::write(&path, &changed).unwrap();
        let refused = run(sealer(&dir).args(["verify", "site", "--json"]), 5);
        let verdict: serde_json::Value = serde_json::from_slice(&refused.stdout).unwrap();
        assert_eq!(verdict["genuine"], false, "{name}");
        assert!(
            !verdict["problems"].as_array().unwrap().is_empty(),
            "{name}"
        );
        fs::remove_file(&path).unwrap();
        let missing = run(sealer(&dir).args(["verify", "site"]), 5);
        assert!(stderr(&missing).contains("NOT VERIFIED"), "{name}");
        fs::write(&path, &original).unwrap();
    }
    run(sealer(&dir).args(["verify", "site"]), 0);
    fs::write(dir.join("site/other.html"), "<p>hello</p>").unwrap();
    let crowded = run(sealer(&dir).args(["verify", "site"]), 5);
    assert!(stderr(&crowded).contains("other.html"), "{crowded:?}");
}
