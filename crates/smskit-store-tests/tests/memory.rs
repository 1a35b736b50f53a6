//! The shared store conformance suite on the reference store, `MemoryStore`.

smskit_store_tests::conformance!(smskit::MemoryStore::new());
