//! Everything the command prints goes through here.
//!
//! Writes to stdout return their error, so a command stops as soon as its reader is gone
//! (`smskit ... | head`); [`Failure`](crate::failure::Failure) turns a broken pipe into the
//! conventional exit code 141 without a message. Messages on stderr are best effort: when stderr
//! itself is closed there is nowhere left to report to, and the exit code still tells.

use std::fmt::Display;
use std::io::{self, BufWriter, StdoutLock, Write};

/// Buffered standard output. Flush it before returning success: a write error found only when
/// the buffer is dropped would be lost.
pub(crate) fn stdout() -> BufWriter<StdoutLock<'static>> {
    BufWriter::new(io::stdout().lock())
}

/// Prints one line on standard output.
pub(crate) fn line(text: impl Display) -> io::Result<()> {
    let mut out = stdout();
    writeln!(out, "{text}")?;
    out.flush()
}

/// Prints `smskit: <message>` on standard error, ignoring a closed stderr.
pub(crate) fn error(message: impl Display) {
    // Locked for the one write so that the line is not interleaved with another thread's.
    let _ = writeln!(io::stderr().lock(), "smskit: {message}");
}

/// Prints `smskit: warning: <message>` on standard error, ignoring a closed stderr.
pub(crate) fn warning(message: impl Display) {
    error(format_args!("warning: {message}"));
}
