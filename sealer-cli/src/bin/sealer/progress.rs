//! Progress bars for large inputs, on standard error and only when it is a
//! terminal: a pipe or a log file gets nothing.

use std::io::{Read, Write};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Below this many bytes the work is too quick to need a bar.
const SHOW_FROM: u64 = 1 << 20;

/// A bar for `total` bytes of `what` ("Sealing", "Saving"), hidden when
/// small or when standard error is not a terminal.
pub(crate) fn bar(what: &'static str, total: u64) -> ProgressBar {
    if total < SHOW_FROM {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} ({eta})")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what);
    bar
}

/// A reader that advances a bar.
pub(crate) struct Reading<R> {
    pub(crate) inner: R,
    pub(crate) bar: ProgressBar,
}

impl<R: Read> Read for Reading<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bar.inc(n as u64);
        Ok(n)
    }
}

/// A writer that advances a bar.
pub(crate) struct Writing<W> {
    pub(crate) inner: W,
    pub(crate) bar: ProgressBar,
}

impl<W: Write> Write for Writing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bar.inc(n as u64);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
