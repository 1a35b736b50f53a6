//! `smskit segment`: encoding, parts and units of a text, or of JSON lines.

use std::io::{self, BufRead, Read, Write};
use std::process::ExitCode;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use smskit::segment::{
    Concatenation, Encoding, EncodingChoice, LanguageSet, LineEndings, Segmentation, Segmenter,
    SplitPolicy, SubstitutionTally, Transliteration, gsm7_replacement,
};

use crate::failure::Failure;
use crate::output;

const SEGMENT_EXAMPLES: &str = "\
Examples:
  smskit segment \"Your text\"
  echo \"Don’t miss our sale — 20% off\" | smskit segment --smart
  smskit segment --shift tr \"Güzel bir gün: şimdi %20 indirim!\"
  smskit segment --json --part-capacity 152 \"$(cat message.txt)\"
  smskit segment --jsonl < messages.jsonl > counts.jsonl";

/// Count and split a text into SMS parts (GSM-7 / UCS-2, exact per 3GPP TS 23.038/23.040).
///
/// Reports the encoding, every part with its text and units, the characters that forced
/// UCS-2 with a hint to avoid them, and the units left in the last part.
#[derive(Debug, clap::Args)]
#[command(after_help = SEGMENT_EXAMPLES)]
pub(crate) struct SegmentArgs {
    /// The text to segment; read from stdin when absent (one trailing newline is dropped).
    #[arg(conflicts_with = "jsonl")]
    text: Option<String>,

    #[command(flatten)]
    options: SegmentOptions,

    /// Print the report as one JSON object.
    #[arg(long, conflicts_with = "jsonl")]
    json: bool,

    /// Read JSON lines `{"id": <any>, "text": "..."}` from stdin and write one JSON line per
    /// input, in order: `{"id", "encoding", "segments", "units", "parts": [{"text", "units"}],
    /// "non_gsm"}`. A malformed line gives `{"line": N, "error": "..."}` and the run goes on.
    #[arg(long)]
    jsonl: bool,
}

/// The segmentation options shared by `segment` and `price`.
#[derive(Debug, clap::Args)]
pub(crate) struct SegmentOptions {
    /// Encoding: `auto` (GSM-7 when every character fits, else UCS-2), `gsm7` (fail naming
    /// the characters that do not fit) or `ucs2`.
    #[arg(long, value_enum, default_value_t = EncodingArg::Auto)]
    encoding: EncodingArg,

    /// Keep grapheme clusters (flags, emoji sequences, letters with accents, CR LF) whole
    /// across parts; may cost a part more.
    #[arg(long)]
    graphemes: bool,

    /// Replace look-alike characters (curly quotes, dashes, ellipsis, special spaces,
    /// zero-width characters, fullwidth forms) with GSM-7 ones, as Twilio Smart Encoding does.
    #[arg(long)]
    smart: bool,

    /// Also fold accents (á → a, ç → c, ş → s, Greek → GSM capitals); implies --smart.
    #[arg(long)]
    fold_accents: bool,

    /// Allow national language shift tables (3GPP TS 23.038), e.g. `--shift tr,es`.
    /// Codes: tr, es, pt, bn, gu, hi, kn, ml, or, pa, ta, te, ur.
    #[arg(long, value_name = "LANG,...", value_parser = parse_languages)]
    shift: Option<LanguageSet>,

    /// Septets per part of a long message: 153 (8-bit concatenation reference; 67 UCS-2 units)
    /// or 152 (16-bit reference, as some senders such as US toll-free use; 66 UCS-2 units).
    #[arg(long, value_name = "SEPTETS", default_value_t = 153, value_parser = parse_part_capacity)]
    part_capacity: usize,

    /// Turn CR LF and lone CR into LF before counting (by default CR LF costs two units).
    #[arg(long)]
    normalize_newlines: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum EncodingArg {
    Auto,
    Gsm7,
    Ucs2,
}

fn parse_languages(text: &str) -> Result<LanguageSet, String> {
    text.parse()
        .map_err(|error: smskit::segment::Error| error.to_string())
}

fn parse_part_capacity(text: &str) -> Result<usize, String> {
    let value: usize = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number"))?;
    Concatenation::from_part_capacity(value)
        .map(|_| value)
        .ok_or_else(|| format!("{value} is not a part capacity: use 153 (or 67) or 152 (or 66)"))
}

impl SegmentOptions {
    pub(crate) fn segmenter(&self) -> Segmenter {
        let encoding = match self.encoding {
            EncodingArg::Auto => EncodingChoice::Auto,
            EncodingArg::Gsm7 => EncodingChoice::Gsm7,
            EncodingArg::Ucs2 => EncodingChoice::Ucs2,
        };
        let transliteration = if self.fold_accents {
            Transliteration::FoldAccents
        } else if self.smart {
            Transliteration::Smart
        } else {
            Transliteration::Off
        };
        Segmenter::new()
            .with_encoding(encoding)
            .with_concatenation(
                Concatenation::from_part_capacity(self.part_capacity).unwrap_or_default(),
            )
            .with_split_policy(if self.graphemes {
                SplitPolicy::Graphemes
            } else {
                SplitPolicy::Standard
            })
            .with_transliteration(transliteration)
            .with_line_endings(if self.normalize_newlines {
                LineEndings::Lf
            } else {
                LineEndings::Keep
            })
            .with_languages(self.shift.unwrap_or_default())
    }
}

/// The text argument, or stdin without its trailing newline.
pub(crate) fn text_or_stdin(text: Option<String>) -> Result<String, Failure> {
    if let Some(text) = text {
        return Ok(text);
    }
    let mut input = String::new();
    io::stdin()
        .read_to_string(&mut input)
        .map_err(|error| Failure::new(format_args!("cannot read the text from stdin: {error}")))?;
    if input.ends_with('\n') {
        input.pop();
        if input.ends_with('\r') {
            input.pop();
        }
    }
    Ok(input)
}

pub(crate) fn run(args: SegmentArgs) -> Result<ExitCode, Failure> {
    let segmenter = args.options.segmenter();
    if args.jsonl {
        return run_jsonl(&segmenter);
    }
    let text = text_or_stdin(args.text)?;
    let mut out = output::stdout();
    if args.json {
        let split = segmenter
            .split(&text)
            .map_err(|error| Failure::with_code(error, 2))?;
        serde_json::to_writer(&mut out, &JsonReport::new(&split))?;
        writeln!(out)?;
    } else {
        // The human report lists each replaced character once: count them, keep no list.
        let (split, replaced) = segmenter
            .split_tallied(&text)
            .map_err(|error| Failure::with_code(error, 2))?;
        write_human_report(&mut out, &text, &split, &replaced, &segmenter)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Units named for the encoding, singular or plural.
fn units(count: usize, encoding: Encoding) -> String {
    match (encoding, count) {
        (Encoding::Gsm7, 1) => "1 septet".to_owned(),
        (Encoding::Gsm7, n) => format!("{n} septets"),
        (_, 1) => "1 UTF-16 unit".to_owned(),
        (_, n) => format!("{n} UTF-16 units"),
    }
}

fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        format!("1 {word}")
    } else {
        format!("{count} {word}s")
    }
}

/// Writes the human-readable report. It goes straight to `out` and lists each replaced or
/// forcing character once with its count, so its size and time stay linear in the input
/// however many characters were replaced.
fn write_human_report(
    out: &mut impl Write,
    input: &str,
    split: &Segmentation<'_>,
    replaced: &[SubstitutionTally],
    segmenter: &Segmenter,
) -> io::Result<()> {
    let encoding = split.encoding;
    writeln!(
        out,
        "{encoding}, {}, {} ({} left in the last part)",
        plural(split.parts.len(), "part"),
        units(split.units, encoding),
        units(split.remaining, encoding),
    )?;
    if !split.shift_tables.is_default() {
        let name = |language: Option<smskit::segment::Language>| {
            language.map_or("default".to_owned(), |language| language.name().to_owned())
        };
        writeln!(
            out,
            "National shift tables: locking {}, single {}",
            name(split.shift_tables.locking),
            name(split.shift_tables.single)
        )?;
    }
    for (index, (part, text)) in split.parts.iter().zip(split.part_texts()).enumerate() {
        writeln!(
            out,
            "Part {} of {} ({}): \"{}\"",
            index + 1,
            split.parts.len(),
            units(part.units, encoding),
            text.escape_debug()
        )?;
    }
    let and_more = |occurrences: usize| {
        if occurrences > 1 {
            format!(" and {} more", occurrences - 1)
        } else {
            String::new()
        }
    };
    if !replaced.is_empty() {
        writeln!(out, "Replaced:")?;
        for substitution in replaced {
            writeln!(
                out,
                "  {:?} (U+{:04X}) at byte {}{} -> {:?}",
                substitution.from,
                u32::from(substitution.from),
                substitution.first_offset,
                and_more(substitution.occurrences),
                substitution.to
            )?;
        }
    }
    if encoding == Encoding::Ucs2 && !split.non_gsm.is_empty() {
        writeln!(out, "Not in GSM-7 (forced UCS-2):")?;
        for character in split.non_gsm_tally() {
            let fix = match gsm7_replacement(character.ch, Transliteration::FoldAccents) {
                Some(replacement) => format!("replace with {replacement:?}"),
                None => "no GSM-7 equivalent".to_owned(),
            };
            writeln!(
                out,
                "  {:?} (U+{:04X}) at byte {}{} - {fix}",
                character.ch,
                u32::from(character.ch),
                character.first_offset,
                and_more(character.occurrences),
            )?;
        }
        if let Some(hint) = hint(input, split, segmenter) {
            writeln!(out, "Hint: {hint}")?;
        }
    }
    Ok(())
}

/// What the user could do to leave UCS-2, and what it would give.
fn hint(input: &str, split: &Segmentation<'_>, segmenter: &Segmenter) -> Option<String> {
    if segmenter.encoding() != EncodingChoice::Auto {
        return None;
    }
    let outcome = |count: smskit::segment::Count| {
        format!(
            "GSM-7 in {}, {} left",
            plural(count.parts, "part"),
            units(count.remaining, Encoding::Gsm7)
        )
    };
    for (level, flag) in [
        (Transliteration::Smart, "--smart"),
        (Transliteration::FoldAccents, "--fold-accents"),
    ] {
        if segmenter.transliteration() >= level {
            continue;
        }
        let count = segmenter.with_transliteration(level).count(input).ok()?;
        if count.encoding == Encoding::Gsm7 {
            return Some(format!("with {flag} the text is {}", outcome(count)));
        }
    }
    let without: String = split
        .text
        .chars()
        .filter(|ch| smskit::segment::is_gsm7(*ch))
        .collect();
    Some(format!(
        "without these characters the text would be {}",
        outcome(smskit::segment::count(&without))
    ))
}

#[derive(Serialize)]
struct JsonPart<'a> {
    text: &'a str,
    units: usize,
}

/// The `--json` report: the `--jsonl` fields plus the details.
#[derive(Serialize)]
struct JsonReport<'a> {
    encoding: Encoding,
    segments: usize,
    units: usize,
    parts: Vec<JsonPart<'a>>,
    non_gsm: Vec<String>,
    remaining: usize,
    shift_tables: smskit::segment::ShiftTables,
    substitutions: &'a [smskit::segment::Substitution],
    extra_parts_for_graphemes: usize,
    text: &'a str,
}

fn json_parts<'a>(split: &'a Segmentation<'_>) -> Vec<JsonPart<'a>> {
    split
        .parts
        .iter()
        .zip(split.part_texts())
        .map(|(part, text)| JsonPart {
            text,
            units: part.units,
        })
        .collect()
}

fn non_gsm_strings(split: &Segmentation<'_>) -> Vec<String> {
    split
        .non_gsm
        .iter()
        .map(|character| character.ch.to_string())
        .collect()
}

impl<'a> JsonReport<'a> {
    fn new(split: &'a Segmentation<'a>) -> Self {
        JsonReport {
            encoding: split.encoding,
            segments: split.parts.len(),
            units: split.units,
            parts: json_parts(split),
            non_gsm: non_gsm_strings(split),
            remaining: split.remaining,
            shift_tables: split.shift_tables,
            substitutions: &split.substitutions,
            extra_parts_for_graphemes: split.extra_parts_for_graphemes,
            text: &split.text,
        }
    }
}

/// One `--jsonl` input line. The id is kept as raw JSON so it is echoed exactly (big
/// integers and all).
#[derive(Deserialize)]
struct JsonlInput<'a> {
    #[serde(borrow, default)]
    id: Option<&'a RawValue>,
    text: Option<String>,
}

#[derive(Serialize)]
struct JsonlOutput<'a> {
    id: Option<&'a RawValue>,
    encoding: Encoding,
    segments: usize,
    units: usize,
    parts: Vec<JsonPart<'a>>,
    non_gsm: Vec<String>,
}

#[derive(Serialize)]
struct JsonlError<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a RawValue>,
    line: usize,
    error: String,
}

fn run_jsonl(segmenter: &Segmenter) -> Result<ExitCode, Failure> {
    let stdin = io::stdin().lock();
    let mut out = output::stdout();
    let mut failed = 0usize;
    let mut lines = 0usize;
    for (index, line) in stdin.split(b'\n').enumerate() {
        let line =
            line.map_err(|error| Failure::new(format_args!("cannot read stdin: {error}")))?;
        let number = index + 1;
        let line = line.strip_suffix(b"\r").unwrap_or(&line);
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        lines += 1;
        let error = |id, error: String| JsonlError {
            id,
            line: number,
            error,
        };
        let failure = match std::str::from_utf8(line) {
            Err(utf8) => Some(error(None, format!("invalid UTF-8: {utf8}"))),
            Ok(json) => match serde_json::from_str::<JsonlInput<'_>>(json) {
                Err(parse) => Some(error(None, format!("invalid JSON: {parse}"))),
                Ok(JsonlInput { id, text: None }) => {
                    Some(error(id, "missing string field \"text\"".to_owned()))
                }
                Ok(JsonlInput {
                    id,
                    text: Some(text),
                }) => match segmenter.split(&text) {
                    Err(segment) => Some(error(id, segment.to_string())),
                    Ok(split) => {
                        let output = JsonlOutput {
                            id,
                            encoding: split.encoding,
                            segments: split.parts.len(),
                            units: split.units,
                            parts: json_parts(&split),
                            non_gsm: non_gsm_strings(&split),
                        };
                        write_line(&mut out, &output)?;
                        None
                    }
                },
            },
        };
        if let Some(failure) = failure {
            write_line(&mut out, &failure)?;
            failed += 1;
        }
    }
    out.flush()?;
    if failed > 0 {
        return Err(Failure::new(format_args!(
            "{failed} of {lines} input lines failed (see the error lines)"
        )));
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes one JSON line.
fn write_line<T: Serialize>(out: &mut impl Write, value: &T) -> Result<(), Failure> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")?;
    Ok(())
}
