//! Shared helpers for the smskit criterion benchmarks.
//!
//! Benchmarks read their workloads from the directory named by `SMSKIT_BENCH_DATA` when it is
//! set (the files of `shared/bench/`), otherwise they generate an equivalent workload in-process
//! so that `cargo bench` works on a fresh clone.

use std::path::PathBuf;

/// The directory named by `SMSKIT_BENCH_DATA`, if set and non-empty.
pub fn bench_data_dir() -> Option<PathBuf> {
    std::env::var_os("SMSKIT_BENCH_DATA")
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
}

/// Reads `name` from the bench data directory, when one is configured and the file exists.
pub fn read_bench_file(name: &str) -> Option<String> {
    let path = bench_data_dir()?.join(name);
    std::fs::read_to_string(path).ok()
}

/// Reads the `text` field of every line of `workload.jsonl` from the bench data directory.
pub fn read_workload_texts() -> Option<Vec<String>> {
    let content = read_bench_file("workload.jsonl")?;
    content
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).ok()?;
            value.get("text")?.as_str().map(str::to_owned)
        })
        .collect()
}

/// A small deterministic generator (SplitMix64) for synthetic workloads; benchmarks must not
/// depend on a random seed from the environment.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next pseudo-random 64-bit value.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A value in `0..bound` (`bound > 0`).
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next_u64() % bound.max(1)
    }
}
