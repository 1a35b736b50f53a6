//! The one conformance suite every smskit [`Store`](smskit::Store) passes: [`MemoryStore`](smskit::MemoryStore),
//! the SQLite store, and any store an application writes.
//!
//! [`conformance!`] expands to one `#[test]` per case of [`cases`]: every trait method and
//! every promise of the [`smskit::store`] table (idempotent preparation, claims that never hand
//! a trace out twice, outcomes recorded only for claimed traces, stale claims marked unknown,
//! monotonic reports checked against [`accepts`](smskit::store::accepts) by a property test),
//! the audience records, the link store, and the engine's own promises run end to end over
//! the store (one trace per targeted contact, nothing sent twice across a crash).
//!
//! ```
//! // In a store crate's tests/conformance.rs: a fresh, empty store per call.
//! smskit_store_tests::conformance!(smskit::MemoryStore::new());
//! # fn main() {}
//! ```
//!
//! A store that needs a fixture (a database file in a temporary directory) gives a factory
//! instead, called once for every fresh store a case needs; the factory is dropped at the end
//! of the test, after every store it made:
//!
//! ```
//! smskit_store_tests::conformance!(factory: {
//!     let mut made = 0;
//!     move || {
//!         made += 1; // e.g. a new file name in a directory the closure owns
//!         smskit::MemoryStore::with_link_seed(made)
//!     }
//! });
//! # fn main() {}
//! ```
//!
//! Times in the suite are whole seconds: a store may keep them to the microsecond.
//!
//! | feature | default | enables |
//! |---|---|---|
//! | (none) | | |

#![forbid(unsafe_code)]

pub mod cases;
pub mod fake_twilio;

/// Expands to the conformance suite: one `#[test]` per case of [`cases`], over the stores
/// made by `$make` (an expression evaluated for each fresh store), or by `factory: $factory`
/// (an expression giving an `FnMut() -> S`).
#[macro_export]
macro_rules! conformance {
    (factory: $factory:expr) => {
        $crate::conformance!(@cases $factory;
            contacts_round_trip,
            contacts_order,
            update_contact_replaces_fields,
            lists_and_name_conflict,
            subscriptions_and_opt_out,
            blacklist_reactivation,
            campaigns_round_trip_and_name_conflict,
            ab_tests_round_trip,
            mailings_round_trip_and_state,
            insert_traces_is_idempotent,
            insert_traces_in_large_batches,
            insert_traces_is_idempotent_on_random_batches,
            insert_trace_allows_many_per_contact,
            claim_hands_out_each_trace_once,
            claims_never_overlap_on_random_schedules,
            record_outcomes_touches_only_claimed_traces,
            abandon_claims_by_claim_time,
            renew_claims_keeps_only_live_claims,
            has_waiting_traces_until_every_outcome_is_in,
            leases_have_one_holder,
            send_time_bookings_never_overlap,
            workers_share_the_queue_and_the_rate,
            requeue_failed_with_and_without_unknown,
            requeue_failed_leaves_lasting_failures,
            cancel_outgoing_cancels_only_waiting_traces,
            apply_status_examples,
            apply_status_folds_accepts,
            mark_clicked_keeps_the_first_click,
            record_clicks_as_one_by_one,
            replies_and_reply_status,
            last_trace_to_picks_the_latest_send,
            contact_traces_and_traces_by_id,
            outgoing_with_contacts_visits_waiting_traces,
            links_get_or_create_and_lookup,
            clicks_attribution_and_stats,
            engine_sends_once_per_targeted_contact,
            engine_resumes_after_a_crash_without_resending,
            contact_audiences_round_trip,
            domain_audiences_match_the_memory_store,
        );
    };
    (@cases $factory:expr; $($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                let mut factory = $factory;
                $crate::cases::$case(&mut factory);
            }
        )*
    };
    ($make:expr) => {
        $crate::conformance!(factory: || $make);
    };
}
