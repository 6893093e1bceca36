//! `sealer verify`: whether an envelope page (or each page an e-mail
//! carries) is exactly what a known sealer release renders (see
//! `sealer::verify`).

use serde_json::json;

use sealer::branding::Branding;
use std::path::Path;

use sealer::input::{Input, NamedPage};
use sealer::opener::SITE_FILES;
use sealer::templates::Templates;
use sealer::verify::{
    SiteFiles, Verification, VerifyOptions, verify_opener, verify_page, verify_page_from,
};

use crate::args::VerifyArgs;
use crate::failure::{Code, Failure};
use crate::open::{PageOrInput, read_page_or_input};
use crate::terminal::printable_line;

pub(crate) fn run(args: VerifyArgs) -> Result<(), Failure> {
    let options = options(&args)?;
    let given = args.envelope.to_string_lossy();
    if given.starts_with("https://") || given.starts_with("http://") {
        let (site, served) = crate::site_url::fetch(&given)?;
        return report_site(&args, &given, &site, served, &options);
    }
    if args.envelope.is_dir() {
        return verify_site(&args, &options);
    }
    let (verdicts, in_mail) = match read_page_or_input(&args.envelope)? {
        // A page is read as a stream: only its text without the payload's
        // data is held.
        PageOrInput::Page(page) => {
            let name = args
                .envelope
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            let verdict = verify_page_from(page, &options).map_err(|err| {
                Failure::input(format!("cannot read {}: {err}", args.envelope.display()))
            })?;
            (vec![(name, verdict)], false)
        }
        PageOrInput::Other(input) => {
            let verdicts: Vec<(String, Verification)> = pages(&input, &args.envelope)?
                .iter()
                .map(|page| (page.name.clone(), verify_page(&page.bytes, &options)))
                .collect();
            (verdicts, matches!(input, Input::Mail(_)))
        }
    };
    let genuine = verdicts.len() == 1 && verdicts[0].1.is_genuine();
    if args.json {
        print_json(&verdicts, genuine, in_mail);
    } else if genuine {
        print_verified(&verdicts[0], in_mail, &args.envelope);
    }
    if genuine {
        return Ok(());
    }
    Err(Failure::new(
        Code::Damaged,
        format!(
            "NOT VERIFIED: {} was changed after sealing or was not made by a known sealer: {}. \
             Do not type a passphrase into it; ask the sender for the message again.",
            args.envelope.display(),
            problems(&verdicts, in_mail).join("; ")
        ),
    ))
}

/// The largest file of an opener site read (its page is well under 1 MiB).
pub(crate) const MAX_SITE_FILE: u64 = 16 * 1024 * 1024;

/// `sealer verify DIR`: an opener site's folder.
fn verify_site(args: &VerifyArgs, options: &VerifyOptions) -> Result<(), Failure> {
    let dir = &args.envelope;
    let cannot_read = |err: std::io::Error| {
        Failure::input(format!("cannot read the folder {}: {err}", dir.display()))
    };
    let mut site = SiteFiles::default();
    for entry in std::fs::read_dir(dir).map_err(cannot_read)? {
        let entry = entry.map_err(cannot_read)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_file = entry.file_type().map_err(cannot_read)?.is_file();
        if !(is_file && SITE_FILES.contains(&name.as_str())) {
            site.others.push(printable_line(&name));
            continue;
        }
        let path = entry.path();
        let bytes = read_site_file(&path)?;
        site.files.insert(name, bytes);
    }
    site.others.sort();
    report_site(args, &dir.display().to_string(), &site, Vec::new(), options)
}

/// Verifies an opener site found at `place` (a folder or an address; what
/// its server did wrong in `served`) and prints the verdict.
fn report_site(
    args: &VerifyArgs,
    place: &str,
    site: &SiteFiles,
    served: Vec<String>,
    options: &VerifyOptions,
) -> Result<(), Failure> {
    let mut verification = verify_opener(site, options);
    verification.problems.extend(served);
    let genuine = verification.is_genuine();
    if args.json {
        println!(
            "{:#}",
            json!({
                "genuine": genuine,
                "kind": "opener",
                "release": if genuine { verification.release.clone() } else { None },
                "decryptor_sha256": verification.wasm_sha256,
                "organisation": verification.organisation,
                "problems": verification.problems,
            })
        );
    } else if genuine {
        let organisation = verification
            .organisation
            .as_deref()
            .map_or_else(String::new, |o| {
                format!(
                    " Its words, colour and logo are those it names: {}.",
                    printable_line(o)
                )
            });
        println!(
            "Verified: {place} is exactly the opener site sealer release {} writes (WebAssembly \
             SHA-256 {}): it runs that release's decryptor and nothing else, and fetches nothing \
             once loaded.{organisation}",
            verification.release.as_deref().unwrap_or_default(),
            verification.wasm_sha256.as_deref().unwrap_or_default(),
        );
    }
    if genuine {
        return Ok(());
    }
    Err(Failure::new(
        Code::Damaged,
        format!(
            "NOT VERIFIED: {place} is not an opener site a known sealer release writes: {}. Do \
             not publish it (or take it down); write it again with sealer opener.",
            verification.problems.join("; ")
        ),
    ))
}

/// A file of an opener site, at most [`MAX_SITE_FILE`] bytes.
fn read_site_file(path: &Path) -> Result<Vec<u8>, Failure> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(MAX_SITE_FILE + 1).read_to_end(&mut bytes))
        .map_err(|err| Failure::input(format!("cannot read {}: {err}", path.display())))?;
    if bytes.len() as u64 > MAX_SITE_FILE {
        return Err(Failure::input(format!(
            "{} is larger than any file of an opener site",
            path.display()
        )));
    }
    Ok(bytes)
}

/// The pages to verify: the file, or every HTML attachment of a mail.
fn pages<'a>(input: &'a Input, path: &Path) -> Result<Vec<NamedPage<'a>>, Failure> {
    if matches!(input, Input::Envelope(_)) {
        return Err(Failure::input(format!(
            "{} is a raw envelope: it has no page, so there is no decryptor to verify",
            path.display()
        )));
    }
    let file_name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let pages = input
        .pages_named(&file_name)
        .map_err(|err| Failure::about(path, &err))?;
    if pages.is_empty() {
        return Err(Failure::input(match input {
            Input::Mail(_) => format!(
                "{} is an e-mail with no page attached: there is nothing to verify",
                path.display()
            ),
            _ => format!("{} is not an envelope page", path.display()),
        }));
    }
    Ok(pages)
}

fn print_json(verdicts: &[(String, Verification)], genuine: bool, in_mail: bool) {
    let pages: Vec<_> = verdicts
        .iter()
        .map(|(name, v)| {
            json!({
                "name": name,
                "genuine": v.is_genuine(),
                "release": v.release,
                "decryptor_sha256": v.wasm_sha256,
                "organisation": v.organisation,
                "problems": v.problems,
            })
        })
        .collect();
    let first = &verdicts[0].1;
    println!(
        "{:#}",
        json!({
            "genuine": genuine,
            "release": if genuine { first.release.clone() } else { None },
            "decryptor_sha256": first.wasm_sha256,
            "problems": problems(verdicts, in_mail),
            "pages": pages,
        })
    );
}

fn print_verified((name, v): &(String, Verification), in_mail: bool, path: &Path) {
    let what = if in_mail {
        format!(
            "{}, the one page attached to {},",
            printable_line(name),
            path.display()
        )
    } else {
        path.display().to_string()
    };
    let organisation = v.organisation.as_deref().map_or_else(String::new, |o| {
        format!(
            " Its words, colour and logo are those it names: {}.",
            printable_line(o)
        )
    });
    println!(
        "Verified: {what} is exactly what sealer release {} renders (WebAssembly SHA-256 {}): \
         it runs that release's decryptor and nothing else, and reaches no network.{organisation}",
        v.release.as_deref().unwrap_or_default(),
        v.wasm_sha256.as_deref().unwrap_or_default(),
    );
}

/// Every problem, named by page when the file is a mail.
fn problems(verdicts: &[(String, Verification)], in_mail: bool) -> Vec<String> {
    let mut all = Vec::new();
    if verdicts.len() > 1 {
        let names: Vec<String> = verdicts
            .iter()
            .map(|(n, _)| format!("{:?}", printable_line(n)))
            .collect();
        all.push(format!(
            "the e-mail carries {} HTML attachments ({}), and which one a recipient opens cannot \
             be told",
            verdicts.len(),
            names.join(", ")
        ));
    }
    for (name, verification) in verdicts {
        for problem in &verification.problems {
            all.push(if in_mail {
                format!("attachment {:?}: {problem}", printable_line(name))
            } else {
                problem.clone()
            });
        }
    }
    all
}

/// The organisation's templates, when the page was sealed with them.
fn options(args: &VerifyArgs) -> Result<VerifyOptions, Failure> {
    let Some(dir) = &args.template_dir else {
        return Ok(VerifyOptions::default());
    };
    let templates = Templates::from_dir(dir)?;
    let branding = Branding::from_dir(dir)?;
    Ok(VerifyOptions {
        templates: Some((templates, branding)),
    })
}
