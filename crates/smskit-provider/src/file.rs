//! The file provider: an outbox directory with one JSON file per message.

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use smskit_phone::E164;

use crate::error::{Error, ErrorKind, Result};
use crate::message::{OutboundMessage, Receipt, Sender};
use crate::provider::Provider;
use crate::status::TraceStatus;

const PREFIX: &str = "file-";
const EXTENSION: &str = ".json";
/// How many taken ids a writer skips before giving up (another process writing the same
/// directory at the same time takes ids too).
const MAX_ID_TRIES: u32 = 10_000;

/// A provider that writes each message as a JSON file into a directory — the outbox of the
/// demo and of development — and reads them back.
///
/// Files are named `file-00000001.json`, `file-00000002.json`, ...; the name without the
/// extension is the message id of the receipt. A file appears complete or not at all (it is
/// written under a temporary name and linked into place), and an existing file is never
/// overwritten, also when several processes share the directory.
///
/// The file holds `{"id", "to", "from", "body", "client_ref", "status_callback", "validity"}`
/// (absent fields omitted; validity in seconds). The format does not depend on the `serde`
/// feature.
///
/// ```
/// use smskit_phone::E164;
/// use smskit_provider::{FileProvider, OutboundMessage, Provider};
///
/// let dir = std::env::temp_dir().join(format!("smskit-doc-outbox-{}", std::process::id()));
/// let outbox = FileProvider::new(&dir).unwrap();
/// let to = E164::parse("+32470123456").unwrap();
/// let receipt = outbox.send(&OutboundMessage::new(to, "Hello")).unwrap();
/// let stored = outbox.read_all().unwrap();
/// assert_eq!(stored[0].id, receipt.message_id);
/// assert_eq!(stored[0].message.body, "Hello");
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
#[derive(Debug)]
pub struct FileProvider {
    dir: PathBuf,
    next: AtomicU64,
}

/// A message read back from the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct StoredMessage {
    /// The id the receipt carried (the file name without `.json`).
    pub id: String,
    /// The message as it was sent.
    pub message: OutboundMessage,
}

impl FileProvider {
    /// An outbox in `dir`, created if needed.
    ///
    /// # Errors
    /// [`ErrorKind::Io`] when the directory cannot be created or listed.
    pub fn new(dir: impl Into<PathBuf>) -> Result<Self> {
        let dir = dir.into();
        fs::create_dir_all(&dir).map_err(|error| io_error("cannot create", &dir, &error))?;
        let last = list_ids(&dir)?.into_iter().max().unwrap_or(0);
        Ok(Self {
            dir,
            next: AtomicU64::new(last.saturating_add(1)),
        })
    }

    /// The outbox directory.
    #[must_use]
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Every message in the outbox, by id.
    ///
    /// # Errors
    /// [`ErrorKind::Io`] when the directory or a file cannot be read,
    /// [`ErrorKind::InvalidResponse`] for a file that is not a message (naming the file).
    pub fn read_all(&self) -> Result<Vec<StoredMessage>> {
        let mut ids = list_ids(&self.dir)?;
        ids.sort_unstable();
        ids.into_iter().map(|n| self.read(&format_id(n))).collect()
    }

    /// The message with that id.
    ///
    /// # Errors
    /// As [`FileProvider::read_all`]; [`ErrorKind::Io`] for an unknown id.
    pub fn read(&self, id: &str) -> Result<StoredMessage> {
        if parse_id(id).is_none() {
            return Err(Error::permanent(
                ErrorKind::InvalidRequest,
                format!("`{id}` is not a file provider message id"),
            ));
        }
        let path = self.dir.join(format!("{id}{EXTENSION}"));
        let text =
            fs::read_to_string(&path).map_err(|error| io_error("cannot read", &path, &error))?;
        let record: Record = serde_json::from_str(&text).map_err(|error| {
            Error::permanent(
                ErrorKind::InvalidResponse,
                format!("{} is not a message: {error}", path.display()),
            )
        })?;
        let message = record.into_message().map_err(|why| {
            Error::permanent(
                ErrorKind::InvalidResponse,
                format!("{} is not a message: {why}", path.display()),
            )
        })?;
        Ok(StoredMessage {
            id: id.to_owned(),
            message,
        })
    }

    fn write(&self, message: &OutboundMessage) -> Result<String> {
        // Built once; each try only sets its id.
        let mut record = Record::from_message(message);
        for _ in 0..MAX_ID_TRIES {
            let n = self.next.fetch_add(1, Ordering::Relaxed);
            let id = format_id(n);
            let path = self.dir.join(format!("{id}{EXTENSION}"));
            if path.exists() {
                continue;
            }
            record.id.clone_from(&id);
            let text = serde_json::to_string_pretty(&record).unwrap_or_default();
            match self.publish(&path, &id, text.as_bytes()) {
                Ok(()) => return Ok(id),
                Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {}
                Err(error) => return Err(io_error("cannot write", &path, &error)),
            }
        }
        Err(Error::retryable(
            ErrorKind::Io,
            format!(
                "no free message id in {} after {MAX_ID_TRIES} tries",
                self.dir.display()
            ),
        ))
    }

    /// Writes `bytes` under a temporary name and links it to `path`, which fails with
    /// `AlreadyExists` instead of overwriting.
    fn publish(&self, path: &Path, id: &str, bytes: &[u8]) -> io::Result<()> {
        let temp = self.dir.join(format!(".{id}{EXTENSION}.tmp"));
        let written = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .and_then(|mut file| {
                file.write_all(bytes)?;
                file.sync_all()
            });
        if let Err(error) = written {
            if error.kind() != io::ErrorKind::AlreadyExists {
                let _ = fs::remove_file(&temp);
            }
            return Err(error);
        }
        let linked = fs::hard_link(&temp, path);
        let _ = fs::remove_file(&temp);
        match linked {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => Err(error),
            // File systems without hard links: create the final file directly (still never
            // overwriting).
            Err(_) => fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
                .and_then(|mut file| {
                    file.write_all(bytes)?;
                    file.sync_all()
                }),
        }
    }
}

impl Provider for FileProvider {
    fn name(&self) -> &str {
        "file"
    }

    fn submit(&self, message: &OutboundMessage) -> Result<Receipt> {
        let id = self.write(message)?;
        Ok(Receipt::new("file", id, TraceStatus::Pending, "written"))
    }
}

fn io_error(what: &str, path: &Path, error: &io::Error) -> Error {
    // Nothing was published when writing fails, so a retry cannot duplicate the message.
    Error::retryable(ErrorKind::Io, format!("{what} {}: {error}", path.display()))
}

fn format_id(n: u64) -> String {
    format!("{PREFIX}{n:08}")
}

fn parse_id(id: &str) -> Option<u64> {
    let digits = id.strip_prefix(PREFIX)?;
    if digits.len() < 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn list_ids(dir: &Path) -> Result<Vec<u64>> {
    let entries = fs::read_dir(dir).map_err(|error| io_error("cannot list", dir, &error))?;
    let mut ids = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|error| io_error("cannot list", dir, &error))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if let Some(id) = name.strip_suffix(EXTENSION).and_then(parse_id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// One outbox file. Numbers and senders are kept as text and checked when read back, so the
/// format does not depend on the `serde` feature of the public types.
#[derive(serde::Serialize, serde::Deserialize)]
struct Record {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    id: String,
    to: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    from: Option<String>,
    body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    client_ref: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status_callback: Option<String>,
    /// Seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    validity: Option<u64>,
}

impl Record {
    fn from_message(message: &OutboundMessage) -> Self {
        Self {
            id: String::new(),
            to: message.to.as_str().to_owned(),
            from: message.from.as_ref().map(|from| from.as_str().to_owned()),
            body: message.body.clone(),
            client_ref: message.client_ref.clone(),
            status_callback: message.status_callback.clone(),
            validity: message.validity_secs(),
        }
    }

    fn into_message(self) -> Result<OutboundMessage, String> {
        let to = E164::parse(&self.to).map_err(|error| format!("`to`: {error}"))?;
        let mut message = OutboundMessage::new(to, self.body);
        if let Some(from) = &self.from {
            message.from = Some(Sender::parse(from).map_err(|error| error.message().to_owned())?);
        }
        message.client_ref = self.client_ref;
        message.status_callback = self.status_callback;
        message.validity = self.validity.map(Duration::from_secs);
        Ok(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("smskit-file-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn write_read_round_trip_and_resume_numbering() {
        let dir = temp_dir("roundtrip");
        let outbox = FileProvider::new(&dir).unwrap();
        let message = OutboundMessage::new(E164::parse("+32470123456").unwrap(), "Hi \"you\"\n€")
            .with_from(Sender::parse("ACME").unwrap())
            .with_client_ref("t-1")
            .with_status_callback("https://example.com/cb")
            .with_validity(Duration::from_millis(1001));
        let first = outbox.send(&message).unwrap();
        assert_eq!(first.message_id, "file-00000001");
        let stored = outbox.read(&first.message_id).unwrap();
        assert_eq!(stored.message.body, message.body);
        assert_eq!(stored.message.from, message.from);
        assert_eq!(stored.message.validity, Some(Duration::from_secs(2)));

        // A new provider on the same directory continues the numbering.
        let again = FileProvider::new(&dir).unwrap();
        let second = again.send(&message).unwrap();
        assert_eq!(second.message_id, "file-00000002");
        let all = again.read_all().unwrap();
        assert_eq!(all.len(), 2);
        // No temporary files are left behind.
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 2);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn concurrent_writers_never_collide() {
        let dir = temp_dir("concurrent");
        let a = FileProvider::new(&dir).unwrap();
        let b = FileProvider::new(&dir).unwrap();
        let message = OutboundMessage::new(E164::parse("+32470123456").unwrap(), "x");
        let ids: Vec<String> = std::thread::scope(|scope| {
            let handles: Vec<_> = [&a, &b, &a, &b]
                .into_iter()
                .map(|outbox| {
                    let message = &message;
                    scope.spawn(move || {
                        (0..25)
                            .map(|_| outbox.send(message).unwrap().message_id)
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap())
                .collect()
        });
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 100);
        assert_eq!(a.read_all().unwrap().len(), 100);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn bad_files_are_named() {
        let dir = temp_dir("bad");
        let outbox = FileProvider::new(&dir).unwrap();
        fs::write(dir.join("file-00000007.json"), "{\"to\": 5}").unwrap();
        fs::write(dir.join("notes.txt"), "ignored").unwrap();
        let error = outbox.read_all().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidResponse);
        assert!(error.message().contains("file-00000007.json"), "{error}");
        assert_eq!(
            outbox.read("../etc/passwd").unwrap_err().kind(),
            ErrorKind::InvalidRequest
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn ids_have_at_least_eight_digits_and_nothing_else() {
        let dir = temp_dir("ids");
        let outbox = FileProvider::new(&dir).unwrap();
        for id in ["file-1234567", "file-1234567a", "file-", "msg-00000001"] {
            assert_eq!(
                outbox.read(id).unwrap_err().kind(),
                ErrorKind::InvalidRequest,
                "{id}"
            );
        }
        // Past 99,999,999 an id grows a digit: a well-formed id, just not in the outbox.
        assert_eq!(
            outbox.read("file-123456789").unwrap_err().kind(),
            ErrorKind::Io
        );
        // Files with other names do not move the numbering.
        fs::write(dir.join("file-99.json"), "{}").unwrap();
        let again = FileProvider::new(&dir).unwrap();
        let message = OutboundMessage::new(E164::parse("+32470123456").unwrap(), "x");
        assert_eq!(again.send(&message).unwrap().message_id, "file-00000001");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_write_that_fails_says_so_at_once() {
        let dir = temp_dir("vanished");
        let outbox = FileProvider::new(&dir).unwrap();
        fs::remove_dir_all(&dir).unwrap();
        let message = OutboundMessage::new(E164::parse("+32470123456").unwrap(), "x");
        let error = outbox.send(&message).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Io);
        assert!(error.message().starts_with("cannot write"), "{error}");
    }

    #[test]
    fn another_writers_temporary_file_is_left_alone() {
        let dir = temp_dir("temp");
        let outbox = FileProvider::new(&dir).unwrap();
        // Another process is writing id 1 right now.
        let theirs = dir.join(".file-00000001.json.tmp");
        fs::write(&theirs, "half a message").unwrap();
        let message = OutboundMessage::new(E164::parse("+32470123456").unwrap(), "x");
        assert_eq!(outbox.send(&message).unwrap().message_id, "file-00000002");
        assert_eq!(fs::read_to_string(&theirs).unwrap(), "half a message");
        fs::remove_dir_all(&dir).unwrap();
    }
}
