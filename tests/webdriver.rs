//! A WebDriver session with a headless browser (Chromium through
//! chromedriver, Firefox through geckodriver, WebKitGTK's MiniBrowser
//! through WebKitWebDriver on its own Xvfb display), for the browser tests
//! and the browser benchmark.
//!
//! This is harness code: a failed unwrap is a failed test or benchmark run.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use tokio::process::{Child, Command};

/// A browser under test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Browser {
    /// Debian's Chromium, through chromedriver.
    Chromium,
    /// Firefox ESR, through geckodriver.
    Firefox,
    /// WebKitGTK (the engine of Safari): Debian's MiniBrowser through
    /// WebKitWebDriver, in an Xvfb display (it has no headless mode).
    WebKit,
}

/// Where Debian's libwebkit2gtk-4.1-0 puts MiniBrowser.
const MINIBROWSER: &str = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

impl Browser {
    /// The driver command.
    pub fn driver(self) -> &'static str {
        match self {
            Browser::Chromium => "chromedriver",
            Browser::Firefox => "geckodriver",
            Browser::WebKit => "WebKitWebDriver",
        }
    }

    /// How to install what it needs.
    pub fn install_hint(self) -> &'static str {
        match self {
            Browser::Chromium => "apt-get install chromium chromium-driver",
            Browser::Firefox => "apt-get install firefox-esr && cargo install geckodriver",
            Browser::WebKit => "apt-get install webkit2gtk-driver xvfb",
        }
    }

    /// The capabilities of a headless session with scripts turned off, as
    /// in a mail program's preview.
    pub fn capabilities_without_scripts(self, downloads: &Path) -> serde_json::Map<String, Value> {
        let mut capabilities = self.capabilities(downloads);
        if let Browser::WebKit = self {
            // MiniBrowser takes WebKitSettings on its command line.
            capabilities["webkitgtk:browserOptions"]["args"] =
                json!(["--automation", "--enable-javascript=false"]);
            return capabilities;
        }
        let (options, pref, value) = match self {
            Browser::Chromium => (
                "goog:chromeOptions",
                "profile.managed_default_content_settings.javascript",
                json!(2),
            ),
            Browser::Firefox => ("moz:firefoxOptions", "javascript.enabled", json!(false)),
            Browser::WebKit => unreachable!("handled above"),
        };
        if let Some(prefs) = capabilities
            .get_mut(options)
            .and_then(|o| o.get_mut("prefs"))
            .and_then(Value::as_object_mut)
        {
            prefs.insert(pref.to_owned(), value);
        }
        capabilities
    }

    /// The WebDriver capabilities of a headless session.
    pub fn capabilities(self, downloads: &Path) -> serde_json::Map<String, Value> {
        let downloads = downloads.display().to_string();
        let value = match self {
            Browser::Chromium => json!({
                "browserName": "chrome",
                "goog:chromeOptions": {
                    "binary": "/usr/bin/chromium",
                    "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                             "--no-first-run", "--disable-background-networking",
                             "--disable-component-update", "--disable-sync",
                             "--disable-dev-shm-usage"],
                    "prefs": {
                        "download.default_directory": downloads,
                        "download.prompt_for_download": false,
                        "profile.default_content_setting_values.automatic_downloads": 1,
                        "safebrowsing.enabled": false
                    }
                }
            }),
            Browser::Firefox => json!({
                "browserName": "firefox",
                "moz:firefoxOptions": {
                    "binary": "/usr/bin/firefox-esr",
                    "args": ["-headless"],
                    "prefs": {
                        "browser.download.folderList": 2,
                        "browser.download.dir": downloads,
                        "browser.download.useDownloadDir": true,
                        "browser.download.always_ask_before_handling_new_types": false,
                        "browser.helperApps.neverAsk.saveToDisk": "application/octet-stream,text/plain,text/csv,application/pdf",
                        "network.captive-portal-service.enabled": false,
                        "app.update.enabled": false
                    }
                }
            }),
            // MiniBrowser saves no downloads under WebDriver: see
            // `Session::download`.
            Browser::WebKit => json!({
                "browserName": "MiniBrowser",
                "webkitgtk:browserOptions": {
                    "binary": MINIBROWSER,
                    "args": ["--automation"]
                }
            }),
        };
        value.as_object().cloned().unwrap()
    }
}

/// An Xvfb display of its own, for a browser without a headless mode.
struct Display {
    number: u32,
    server: Child,
}

impl Display {
    /// Starts Xvfb on the first free display number from 90. A number whose
    /// lock names a process that is gone (an Xvfb killed without cleaning
    /// up, as `kill_on_drop` does) is free again: its lock and socket are
    /// removed first.
    async fn start() -> Display {
        let free = |n: u32| {
            let lock = format!("/tmp/.X{n}-lock");
            let socket = format!("/tmp/.X11-unix/X{n}");
            let owner = std::fs::read_to_string(&lock)
                .ok()
                .and_then(|pid| pid.trim().parse::<u32>().ok());
            match owner {
                Some(pid) if Path::new(&format!("/proc/{pid}")).exists() => false,
                Some(_) => {
                    let _ = std::fs::remove_file(&lock);
                    let _ = std::fs::remove_file(&socket);
                    true
                }
                None => !Path::new(&lock).exists() && !Path::new(&socket).exists(),
            }
        };
        let number = (90..400)
            .find(|&n| free(n))
            .expect("a free X display number");
        let server = Command::new("Xvfb")
            .args([
                format!(":{number}").as_str(),
                "-screen",
                "0",
                "1280x1024x24",
            ])
            .args(["-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|err| {
                panic!("cannot start Xvfb: {err}; install it (apt-get install xvfb)")
            });
        let socket = format!("/tmp/.X11-unix/X{number}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while !Path::new(&socket).exists() {
            assert!(Instant::now() < deadline, "Xvfb :{number} did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Display { number, server }
    }
}

/// A WebDriver session, with its driver process.
pub struct Session {
    /// The WebDriver client.
    pub client: Client,
    /// The browser it drives.
    pub browser: Browser,
    driver: Child,
    display: Option<Display>,
    /// Where the browser saves downloads.
    pub downloads: PathBuf,
}

impl Session {
    /// Starts the driver and a headless browser session.
    pub async fn start(browser: Browser, scratch: &Path) -> Session {
        Session::start_with(browser, scratch, true).await
    }

    /// The same, with scripts on or off.
    pub async fn start_with(browser: Browser, scratch: &Path, scripts: bool) -> Session {
        Session::launch(browser, scratch, &[], |downloads| {
            if scripts {
                browser.capabilities(downloads)
            } else {
                browser.capabilities_without_scripts(downloads)
            }
        })
        .await
    }

    /// A session whose pages see `prefers-color-scheme: dark`: Chromium's
    /// `--force-dark-mode`, Firefox's content colour-scheme override, and
    /// for WebKitGTK a dark GTK theme (`GTK_THEME=Adwaita:dark`).
    pub async fn start_dark(browser: Browser, scratch: &Path) -> Session {
        Session::launch(browser, scratch, &[("GTK_THEME", "Adwaita:dark")], |downloads| {
            let mut capabilities = browser.capabilities(downloads);
            match browser {
                Browser::Chromium => {
                    let args = &mut capabilities["goog:chromeOptions"]["args"];
                    args.as_array_mut().unwrap().push(json!("--force-dark-mode"));
                }
                Browser::Firefox => {
                    capabilities["moz:firefoxOptions"]["prefs"]
                        ["layout.css.prefers-color-scheme.content-override"] = json!(0);
                }
                Browser::WebKit => {}
            }
            capabilities
        })
        .await
    }

    /// A session whose browser has no WebAssembly, as Safari's Lockdown
    /// Mode and some locked-down browsers: V8's `--jitless` in Chromium,
    /// Firefox's `javascript.options.wasm` off. (WebKitGTK has no such
    /// switch: the session has WebAssembly.)
    pub async fn start_without_webassembly(browser: Browser, scratch: &Path) -> Session {
        Session::launch(browser, scratch, &[], |downloads| {
            let mut capabilities = browser.capabilities(downloads);
            match browser {
                Browser::Chromium => {
                    let args = &mut capabilities["goog:chromeOptions"]["args"];
                    args.as_array_mut()
                        .unwrap()
                        .push(json!("--js-flags=--jitless"));
                }
                Browser::Firefox => {
                    capabilities["moz:firefoxOptions"]["prefs"]["javascript.options.wasm"] =
                        json!(false);
                }
                Browser::WebKit => {}
            }
            capabilities
        })
        .await
    }

    /// A session whose capabilities `edit` changes first (the benchmark's
    /// page-load strategy, a phone's emulation).
    pub async fn start_edited(
        browser: Browser,
        scratch: &Path,
        edit: impl Fn(&mut serde_json::Map<String, Value>),
    ) -> Session {
        Session::launch(browser, scratch, &[], |downloads| {
            let mut capabilities = browser.capabilities(downloads);
            edit(&mut capabilities);
            capabilities
        })
        .await
    }

    /// Runs a Chrome DevTools Protocol command through chromedriver
    /// (`goog/cdp/execute`): CPU throttling, for one. Chromium only.
    pub async fn cdp(&self, command: &str, params: Value) -> Value {
        assert_eq!(self.browser, Browser::Chromium, "DevTools is Chromium's");
        self.client
            .issue_cmd(DevTools {
                body: json!({ "cmd": command, "params": params }),
            })
            .await
            .unwrap_or_else(|err| panic!("{command}: {err}"))
    }

    /// Chromium emulating a phone: a touch screen of `width` × `height`
    /// CSS px at 3 device pixels per CSS px (390 × 844 is an iPhone 13's).
    pub async fn start_phone(scratch: &Path, width: u32, height: u32) -> Session {
        Session::launch(Browser::Chromium, scratch, &[], |downloads| {
            let mut capabilities = Browser::Chromium.capabilities(downloads);
            capabilities["goog:chromeOptions"]["mobileEmulation"] = json!({
                "deviceMetrics": { "width": width, "height": height, "pixelRatio": 3.0, "touch": true }
            });
            capabilities
        })
        .await
    }

    /// Starts the driver (and a display, for WebKit, in a dark GTK theme
    /// when `dark`) and a session with the capabilities `capabilities`
    /// gives for the download folder.
    async fn launch(
        browser: Browser,
        scratch: &Path,
        webkit_env: &[(&str, &str)],
        capabilities: impl Fn(&Path) -> serde_json::Map<String, Value>,
    ) -> Session {
        let port = free_port();
        let display = match browser {
            Browser::WebKit => Some(Display::start().await),
            Browser::Chromium | Browser::Firefox => None,
        };
        let mut command = Command::new(browser.driver());
        if let Some(display) = &display {
            command.env("DISPLAY", format!(":{}", display.number));
            command.envs(webkit_env.iter().copied());
        }
        command
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true);
        let driver = command.spawn().unwrap_or_else(|err| {
            panic!(
                "cannot start {}: {err}; install it ({}) or set SKIP_BROWSER_TESTS=1",
                browser.driver(),
                browser.install_hint()
            )
        });
        let downloads = scratch.join(format!("downloads-{browser:?}"));
        std::fs::create_dir_all(&downloads).unwrap();
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        let client = loop {
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(capabilities(&downloads))
                .connect(&url)
                .await
            {
                Ok(client) => break client,
                Err(err) if Instant::now() > deadline => panic!("{browser:?}: {err}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        };
        Session {
            client,
            browser,
            driver,
            display,
            downloads,
        }
    }

    /// Ends the session and the driver.
    pub async fn close(mut self) {
        let _ = self.client.close().await;
        let _ = self.driver.kill().await;
        if let Some(mut display) = self.display.take() {
            let _ = display.server.kill().await;
            // Killed, Xvfb leaves its lock and socket: the number is free.
            let _ = std::fs::remove_file(format!("/tmp/.X{}-lock", display.number));
            let _ = std::fs::remove_file(format!("/tmp/.X11-unix/X{}", display.number));
        }
    }

    /// Runs a script and returns its value.
    pub async fn js(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.unwrap()
    }

    /// Waits (60 s at most) until `script` returns true.
    pub async fn wait_for(&self, what: &str, script: &str) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.js(script).await != json!(true) {
            if Instant::now() >= deadline {
                let page = self.describe().await;
                panic!("timed out waiting for {what}; the page: {page}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Clicks `css` and waits for `script` to hold. A click synthesised
    /// while the page's layout moves (a download's bar appearing in
    /// WebKit's MiniBrowser, a frame fitted to its content) can land beside
    /// its target: the element is clicked once it stands still, and, if
    /// nothing came of it, again (at most three times, each said).
    pub async fn click_then_wait(&self, css: &str, what: &str, script: &str) {
        for attempt in 1..=3 {
            self.wait_until_still(css).await;
            self.click(css).await;
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if self.js(script).await == json!(true) {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            let page = self.describe().await;
            eprintln!(
                "{:?}: click {attempt} on {css} gave no {what}; the page: {page}",
                self.browser
            );
        }
        panic!("three clicks on {css} gave no {what}");
    }

    /// Waits until the element `css` has kept its place and size for
    /// 200 ms.
    async fn wait_until_still(&self, css: &str) {
        let place = format!(
            "var e = document.querySelector({}); if (!e) return null; \
             var r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height];",
            json!(css)
        );
        let mut last = self.js(&place).await;
        let mut still_since = Instant::now();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline && still_since.elapsed() < Duration::from_millis(200) {
            tokio::time::sleep(Duration::from_millis(50)).await;
            let now = self.js(&place).await;
            if now != last {
                last = now;
                still_since = Instant::now();
            }
        }
    }

    /// What the page shows, for a failure's message: the ids of its
    /// elements, the focused one, the status and error lines.
    pub async fn describe(&self) -> String {
        self.js(
            "return JSON.stringify({ url: location.href, \
               ids: [...document.querySelectorAll('[id]')].map(e => e.id + (e.hidden ? '(hidden)' : '')), \
               focused: document.activeElement && document.activeElement.id, \
               status: (document.getElementById('status') || {}).textContent, \
               error: (document.getElementById('error') || {}).textContent })",
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }

    /// Opens a page from disk without waiting for its form (a page that
    /// refuses at once never enables it).
    pub async fn goto_page(&self, page: &Path) {
        self.client
            .goto(&format!("file://{}", page.display()))
            .await
            .unwrap();
    }

    /// Opens a page from disk and waits until its decryptor is ready.
    pub async fn open_page(&self, page: &Path) {
        self.open_page_at(page, "").await;
    }

    /// The same with `#fragment` in the URL (the page's fallback switches,
    /// e.g. `wasm-aes,no-worker`; empty for none).
    pub async fn open_page_at(&self, page: &Path, fragment: &str) {
        let hash = if fragment.is_empty() {
            String::new()
        } else {
            format!("#{fragment}")
        };
        self.client
            .goto(&format!("file://{}{hash}", page.display()))
            .await
            .unwrap();
        if !fragment.is_empty() {
            // Going to the same page with another fragment does not reload it.
            self.client.refresh().await.unwrap();
        }
        self.wait_for(
            "the decryptor to start",
            "var open = document.getElementById('open-button'); \
             return open !== null && !open.disabled",
        )
        .await;
        // Any script that runs from the content sets this canary.
        self.js("window.canary = 0; return true").await;
    }

    /// Types a passphrase, submits, and waits for the outcome.
    pub async fn submit(&self, passphrase: &str) {
        let input = self.client.find(Locator::Id("passphrase")).await.unwrap();
        input.clear().await.unwrap();
        input.send_keys(passphrase).await.unwrap();
        self.client
            .find(Locator::Id("open-button"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        self.wait_for(
            "the decryptor to finish",
            "var open = document.getElementById('open-button'); \
             return document.getElementById('message') !== null \
             || (open !== null && !open.disabled)",
        )
        .await;
    }

    /// Clicks the download button at `css` and returns the SHA-256 of what
    /// is downloaded. Chromium and Firefox save the file, which is read
    /// back; WebKitGTK's MiniBrowser saves nothing under WebDriver, so there
    /// it is the Blob the page hands the browser to save, caught as the page
    /// makes its URL.
    pub async fn downloaded_digest(&self, css: &str, expected_len: usize) -> String {
        if !matches!(self.browser, Browser::WebKit) {
            self.click(css).await;
            return sha256_hex(&wait_for_download(&self.downloads, expected_len).await);
        }
        let script = "const [css, done] = arguments; const original = URL.createObjectURL; \
            URL.createObjectURL = function (blob) { URL.createObjectURL = original; \
              blob.arrayBuffer().then(b => crypto.subtle.digest('SHA-256', b)).then(d => \
                done([blob.size, [...new Uint8Array(d)].map(x => x.toString(16).padStart(2, '0')).join('')]), \
                e => done(String(e))); \
              return original.call(URL, blob); }; \
            document.querySelector(css).click();";
        let got = self
            .client
            .execute_async(script, vec![json!(css)])
            .await
            .unwrap();
        assert_eq!(got[0], json!(expected_len), "{got}");
        got[1].as_str().unwrap().to_owned()
    }

    /// Clicks the first element matching a CSS selector.
    pub async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }

    /// An element's text (empty when there is no such element: the page
    /// builds no empty sections).
    pub async fn text(&self, id: &str) -> String {
        self.js(&format!(
            "var e = document.getElementById('{id}'); return e ? e.textContent : ''"
        ))
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }

    /// Whether an element is there and shown.
    pub async fn shown(&self, id: &str) -> bool {
        self.js(&format!(
            "var e = document.getElementById('{id}'); return e !== null && !e.hidden"
        ))
        .await
            == json!(true)
    }
}

/// chromedriver's own endpoint for DevTools commands.
#[derive(Debug)]
struct DevTools {
    body: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for DevTools {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

/// Peak memory of the browser's tab (content) processes, from Linux's
/// `/proc`: `VmHWM`, the most resident memory each process has had.
impl Session {
    /// The browser's tab processes: descendants of the driver that render
    /// pages (Chromium's `--type=renderer`, Firefox's `-contentproc …
    /// tab`).
    fn tab_processes(&self) -> Vec<u32> {
        let Some(root) = self.driver.id() else {
            return Vec::new();
        };
        let mut parents: Vec<(u32, u32)> = Vec::new();
        for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                continue;
            };
            // "pid (comm) state ppid …": comm may hold spaces; split after ')'.
            let after = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
            if let Some(ppid) = after.split_whitespace().nth(1).and_then(|p| p.parse().ok()) {
                parents.push((pid, ppid));
            }
        }
        let mut family = vec![root];
        let mut at = 0;
        while at < family.len() {
            let parent = family[at];
            family.extend(
                parents
                    .iter()
                    .filter(|&&(_, p)| p == parent)
                    .map(|&(c, _)| c),
            );
            at += 1;
        }
        family
            .into_iter()
            .filter(|pid| {
                // Chromium rewrites its children's argv into one string, so
                // match on the whole command line.
                let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
                let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
                let cmdline = cmdline.trim_end();
                (cmdline.contains("--type=renderer") && !cmdline.contains("--top-chrome-webui"))
                    || (cmdline.contains("-contentproc") && cmdline.ends_with(" tab"))
                    || cmdline.contains("WebKitWebProcess")
            })
            .collect()
    }

    /// Resets the peak of every tab process (Linux `clear_refs` 5), so the
    /// next [`Session::tab_peak_bytes`] covers only what follows.
    pub fn reset_tab_peaks(&self) {
        for pid in self.tab_processes() {
            let _ = std::fs::write(format!("/proc/{pid}/clear_refs"), "5");
        }
    }

    /// The largest peak resident memory of any tab process, in bytes.
    pub fn tab_peak_bytes(&self) -> u64 {
        self.tab_processes()
            .into_iter()
            .filter_map(|pid| {
                let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
                let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
                let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
                Some(kib * 1024)
            })
            .max()
            .unwrap_or(0)
    }
}

/// SHA-256 of `bytes`, in lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The one file downloaded into `dir` once it has `expected_len` bytes
/// (removed, for the next download), within 60 s.
pub async fn wait_for_download(dir: &Path, expected_len: usize) -> Vec<u8> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let files: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                !name.ends_with(".crdownload") && !name.ends_with(".part") && !name.starts_with('.')
            })
            .collect();
        if let [file] = files.as_slice() {
            let bytes = std::fs::read(file).unwrap();
            if bytes.len() == expected_len {
                std::fs::remove_file(file).unwrap();
                return bytes;
            }
        }
        assert!(
            Instant::now() < deadline,
            "no download of {expected_len} bytes in {dir:?}; it holds {:?}",
            std::fs::read_dir(dir)
                .unwrap()
                .map(|e| {
                    let e = e.unwrap();
                    (
                        e.file_name(),
                        e.metadata().map(|m| m.len()).unwrap_or_default(),
                    )
                })
                .collect::<Vec<_>>()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
