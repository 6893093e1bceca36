//! `sealer opener`: writes the opener site (see `sealer::opener`).

use std::path::PathBuf;

use sealer::opener::render_opener;

use crate::args::OpenerArgs;
use crate::failure::{Code, Failure};

pub(crate) fn run(args: OpenerArgs) -> Result<(), Failure> {
    let options = crate::seal::look(&args.branding)?;
    let site = render_opener(&options).map_err(|err| Failure::about(&args.output, &err))?;
    std::fs::create_dir_all(&args.output).map_err(|err| {
        Failure::new(
            Code::Failed,
            format!("cannot create {}: {err}", args.output.display()),
        )
    })?;
    let paths: Vec<PathBuf> = site
        .files
        .iter()
        .map(|(name, _)| args.output.join(name))
        .collect();
    let files: Vec<(&std::path::Path, &[u8])> = paths
        .iter()
        .zip(&site.files)
        .map(|(path, (_, bytes))| (path.as_path(), bytes.as_slice()))
        .collect();
    sealer::files::write_files(&files, args.force).map_err(|err| {
        let code = match err.kind() {
            std::io::ErrorKind::AlreadyExists => Code::Input,
            _ => Code::Failed,
        };
        Failure::new(
            code,
            format!(
                "cannot write the opener into {}: {err}{}",
                args.output.display(),
                if code == Code::Input {
                    " (--force replaces the site's files)"
                } else {
                    ""
                }
            ),
        )
    })?;
    let [(wasm_sha256, _), ..] = sealer::decryptor_digests();
    let names: Vec<&str> = site.files.iter().map(|(name, _)| *name).collect();
    println!(
        "Wrote the opener site into {} ({}).\nIt runs decryptor release {} (WebAssembly SHA-256 \
         {wasm_sha256}).\nServe the folder as it is over HTTPS; recipients open its address and \
         choose the envelope. Check a copy with: sealer verify {}",
        args.output.display(),
        names.join(", "),
        sealer::verify::known_releases()
            .last()
            .map_or("(unknown)", |release| release.name.as_str()),
        args.output.display(),
    );
    Ok(())
}
