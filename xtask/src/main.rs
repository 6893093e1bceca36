//! Build helper. `cargo xtask build-decryptor [--check]`
//!
//! Builds the browser decryptor reproducibly: `envelope-wasm` for
//! `wasm32-unknown-unknown` with the pinned toolchain and the `decryptor`
//! profile (opt-level "z", LTO, one codegen unit, `panic = "abort"`,
//! no debug info), every build path remapped, then `wasm-bindgen --target
//! no-modules` (pinned version) for the JavaScript glue, without the
//! module's name and producers sections; the glue is re-flowed into the
//! page's short lines; the module and the glue are then deflated (zlib
//! streams, by Zopfli) into the form pages carry, which the page's loader
//! inflates with the browser's `DecompressionStream("deflate")`. The four
//! files go to
//! `sealer-cli/decryptor/`, which the sealer embeds byte for byte, and
//! their SHA-256 to `sealer-cli/decryptor/SHA256SUMS`.
//!
//! `--check` builds into a scratch folder and fails unless the result is
//! identical to the committed files: the reproducibility test CI runs.
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use sha2::{Digest, Sha256};

/// The wasm-bindgen CLI must match the `wasm-bindgen` crate exactly.
const WASM_BINDGEN_VERSION: &str = "0.2.130";
const WASM_FILE: &str = "envelope_wasm_bg.wasm";
const JS_FILE: &str = "envelope_wasm.js";
const DEFLATED_FILE: &str = "envelope_wasm_bg.wasm.zlib";
const GLUE_DEFLATED_FILE: &str = "envelope_wasm.js.zlib";

fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

fn run(command: &mut Command) -> Result<(), String> {
    let status = command
        .status()
        .map_err(|err| format!("cannot run {command:?}: {err}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{command:?} failed with {status}"))
    }
}

fn check_wasm_bindgen() -> Result<(), String> {
    let output = Command::new("wasm-bindgen")
        .arg("--version")
        .output()
        .map_err(|_| {
            format!(
                "wasm-bindgen is not installed: cargo install wasm-bindgen-cli --version {WASM_BINDGEN_VERSION}"
            )
        })?;
    let version = String::from_utf8_lossy(&output.stdout);
    if !version.contains(WASM_BINDGEN_VERSION) {
        return Err(format!(
            "wasm-bindgen {WASM_BINDGEN_VERSION} is needed, found {}: cargo install wasm-bindgen-cli --version {WASM_BINDGEN_VERSION}",
            version.trim()
        ));
    }
    Ok(())
}

/// Builds the decryptor into `out_dir`, returning the four file paths.
fn build(root: &Path, out_dir: &Path) -> Result<[PathBuf; 4], String> {
    check_wasm_bindgen()?;
    let target_dir = root.join("target").join("decryptor");
    let home = |var: &str, fallback: &str| {
        std::env::var(var).unwrap_or_else(|_| {
            let user_home = std::env::var("HOME").unwrap_or_default();
            format!("{user_home}/{fallback}")
        })
    };
    let remaps = [
        (root.display().to_string(), "/sealer"),
        (home("CARGO_HOME", ".cargo"), "/cargo"),
        (home("RUSTUP_HOME", ".rustup"), "/rustup"),
    ];
    let rustflags: Vec<String> = remaps
        .iter()
        .map(|(from, to)| format!("--remap-path-prefix={from}={to}"))
        .collect();
    run(
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .current_dir(root)
            .env("CARGO_ENCODED_RUSTFLAGS", rustflags.join("\u{1f}"))
            .env_remove("RUSTFLAGS")
            .env("CARGO_TARGET_DIR", &target_dir)
            .env("SOURCE_DATE_EPOCH", "0")
            .args([
                "build",
                "--locked",
                "--package",
                "envelope-wasm",
                "--lib",
                "--target",
                "wasm32-unknown-unknown",
                "--profile",
                "decryptor",
            ]),
    )?;
    let wasm = target_dir
        .join("wasm32-unknown-unknown")
        .join("decryptor")
        .join("envelope_wasm.wasm");
    std::fs::create_dir_all(out_dir).map_err(|e| e.to_string())?;
    // The `name` section (function names, a third of the module) and the
    // `producers` section (tool versions, pinned anyway) serve nothing at
    // run time.
    run(Command::new("wasm-bindgen")
        .arg("--target")
        .arg("no-modules")
        .arg("--no-typescript")
        .arg("--remove-name-section")
        .arg("--remove-producers-section")
        .arg("--out-dir")
        .arg(out_dir)
        .arg(&wasm))?;
    let glue = out_dir.join(JS_FILE);
    prepare_glue(&glue)?;
    let module = out_dir.join(WASM_FILE);
    let deflated = out_dir.join(DEFLATED_FILE);
    deflate(&module, &deflated)?;
    let glue_deflated = out_dir.join(GLUE_DEFLATED_FILE);
    deflate(&glue, &glue_deflated)?;
    Ok([module, glue, deflated, glue_deflated])
}

/// Writes `from` as a zlib stream (RFC 1950: DEFLATE with an Adler-32
/// checksum, what `DecompressionStream("deflate")` reads in every engine
/// that has one) to `to`: Zopfli with its default 15 iterations, the same
/// bytes on every machine.
fn deflate(from: &Path, to: &Path) -> Result<(), String> {
    let bytes = std::fs::read(from).map_err(|e| format!("{}: {e}", from.display()))?;
    let mut deflated = Vec::with_capacity(bytes.len() / 2);
    zopfli::compress(
        zopfli::Options::default(),
        zopfli::Format::Zlib,
        bytes.as_slice(),
        &mut deflated,
    )
    .map_err(|e| format!("deflating {}: {e}", from.display()))?;
    std::fs::write(to, deflated).map_err(|e| format!("{}: {e}", to.display()))
}

/// Re-flows the glue into the lines the page holds (at most 76
/// characters, comments dropped; `sealer::seven_bit::wrap_javascript`), so
/// the page embeds the file as it is and its published SHA-256 is that of
/// the script a recipient's page runs.
fn prepare_glue(path: &Path) -> Result<(), String> {
    let raw = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let folded = sealer::seven_bit::wrap_javascript(&raw)
        .map_err(|err| format!("the glue cannot be folded into short lines: {err}"))?;
    std::fs::write(path, folded).map_err(|e| format!("{}: {e}", path.display()))
}

fn sha256_hex(path: &Path) -> Result<(String, usize), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let digest = Sha256::digest(&bytes);
    Ok((
        digest.iter().map(|b| format!("{b:02x}")).collect(),
        bytes.len(),
    ))
}

fn sums(files: &[PathBuf]) -> Result<String, String> {
    let mut out = String::new();
    for file in files {
        let (hex, _) = sha256_hex(file)?;
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        out.push_str(&format!("{hex}  {name}\n"));
    }
    Ok(out)
}

fn build_decryptor(check: bool) -> Result<(), String> {
    let root = workspace_root();
    let committed = root.join("sealer-cli").join("decryptor");
    let out_dir = if check {
        root.join("target").join("decryptor").join("check")
    } else {
        committed.clone()
    };
    let files = build(&root, &out_dir)?;
    let sums = sums(&files)?;
    for file in &files {
        let (hex, len) = sha256_hex(file)?;
        println!("{hex}  {} ({len} bytes)", file.display());
    }
    if check {
        let expected = std::fs::read_to_string(committed.join("SHA256SUMS"))
            .map_err(|e| format!("sealer-cli/decryptor/SHA256SUMS: {e}"))?;
        for name in [WASM_FILE, JS_FILE, DEFLATED_FILE, GLUE_DEFLATED_FILE] {
            let built = std::fs::read(out_dir.join(name)).map_err(|e| e.to_string())?;
            let kept = std::fs::read(committed.join(name)).map_err(|e| e.to_string())?;
            if built != kept {
                return Err(format!(
                    "the rebuilt {name} differs from sealer-cli/decryptor/{name}: the build is not reproducible, or the committed decryptor is stale (run cargo xtask build-decryptor)"
                ));
            }
        }
        if expected != sums {
            return Err("sealer-cli/decryptor/SHA256SUMS is stale".into());
        }
        println!("reproducible: the rebuilt decryptor is byte-identical to the committed one");
    } else {
        std::fs::write(committed.join("SHA256SUMS"), sums).map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["build-decryptor"] => build_decryptor(false),
        ["build-decryptor", "--check"] => build_decryptor(true),
        _ => Err("usage: cargo xtask build-decryptor [--check]".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("xtask: {err}");
            ExitCode::FAILURE
        }
    }
}
