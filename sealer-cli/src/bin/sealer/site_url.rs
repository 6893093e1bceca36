//! `sealer verify URL`: the opener site as its web server serves it, read
//! over HTTPS (plain HTTP only from this machine's loopback, for testing):
//! each of its files, what the address itself serves, and the types the
//! browser needs (a service worker must be served as JavaScript).

use std::time::Duration;

use sealer::opener::SITE_FILES;
use sealer::verify::SiteFiles;

use crate::failure::{Code, Failure};

/// Reads the opener site at `url`: its files, and what the server does
/// wrong (a file missing, a redirect, a wrong type), one sentence each.
pub(crate) fn fetch(url: &str) -> Result<(SiteFiles, Vec<String>), Failure> {
    let base = base_url(url)?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .user_agent(concat!("sealer-verify/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut site = SiteFiles::default();
    let mut problems = Vec::new();
    // What the address itself serves: recipients open it, so it must be
    // the page.
    let mut itself = None;
    for name in std::iter::once("").chain(SITE_FILES) {
        let address = format!("{base}{name}");
        let mut response = agent
            .get(&address)
            .call()
            .map_err(|err| Failure::new(Code::Failed, format!("cannot fetch {address}: {err}")))?;
        let status = response.status().as_u16();
        if status != 200 {
            problems.push(format!("{address} answers {status}, not the file"));
            continue;
        }
        let kind = response
            .headers()
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let bytes = response
            .body_mut()
            .with_config()
            .limit(crate::verify::MAX_SITE_FILE)
            .read_to_vec()
            .map_err(|err| Failure::new(Code::Failed, format!("cannot read {address}: {err}")))?;
        if let Some(expected) = expected_type(name)
            && !expected.contains(&kind.as_str())
        {
            problems.push(format!(
                "{address} is served as {kind:?}, not {}",
                expected.join(" or ")
            ));
        }
        if name.is_empty() {
            itself = Some(bytes);
        } else {
            site.files.insert(name.to_owned(), bytes);
        }
    }
    if let Some(itself) = itself
        && site.files.get("index.html") != Some(&itself)
    {
        problems.push(format!("{base} does not serve index.html"));
    }
    Ok((site, problems))
}

/// The types a browser accepts a site file as.
fn expected_type(name: &str) -> Option<&'static [&'static str]> {
    match name {
        "" | "index.html" => Some(&["text/html"]),
        "sw.js" => Some(&["text/javascript", "application/javascript"]),
        "manifest.webmanifest" => Some(&["application/manifest+json", "application/json"]),
        "icon-192.png" | "icon-512.png" => Some(&["image/png"]),
        _ => None,
    }
}

/// The site's address, ending in `/`: `https://` anywhere, `http://` only
/// on loopback; no query, fragment or user name.
fn base_url(url: &str) -> Result<String, Failure> {
    let refuse =
        |why: &str| Failure::input(format!("{url} is not an opener address to verify: {why}"));
    let (scheme, rest) = url.split_once("://").ok_or_else(|| refuse("no scheme"))?;
    if url.contains(['?', '#']) || url.chars().any(|c| !c.is_ascii_graphic()) {
        return Err(refuse(
            "give the site's address alone, without query or fragment",
        ));
    }
    let host_port = rest.split('/').next().unwrap_or_default();
    if host_port.is_empty() || host_port.contains('@') {
        return Err(refuse("it has no host name, or holds a user name"));
    }
    let host = host_port
        .rsplit_once(':')
        .filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit()))
        .map_or(host_port, |(host, _)| host);
    let loopback = ["localhost", "127.0.0.1", "[::1]"].contains(&host);
    match scheme.to_ascii_lowercase().as_str() {
        "https" => {}
        "http" if loopback => {}
        _ => {
            return Err(refuse(
                "only https:// (plain http:// only on this machine's loopback): what is served \
                 over plain HTTP can be changed on the way",
            ));
        }
    }
    let mut base = url.strip_suffix("index.html").unwrap_or(url).to_owned();
    if !base.ends_with('/') {
        base.push('/');
    }
    Ok(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_or_loopback_addresses_are_read() {
        assert_eq!(
            base_url("https://open.clinic.example").ok().as_deref(),
            Some("https://open.clinic.example/")
        );
        assert_eq!(
            base_url("http://127.0.0.1:8080/opener/index.html")
                .ok()
                .as_deref(),
            Some("http://127.0.0.1:8080/opener/")
        );
        for bad in [
            "http://open.clinic.example/",
            "ftp://open.clinic.example/",
            "https://user@open.clinic.example/",
            "https://open.clinic.example/?x",
            "https:///",
        ] {
            assert!(base_url(bad).is_err(), "{bad}");
        }
    }
}
