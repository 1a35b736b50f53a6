//! One module per subcommand.

pub(crate) mod abtest;
pub(crate) mod blacklist;
pub(crate) mod contacts;
pub(crate) mod demo;
pub(crate) mod filter;
pub(crate) mod links;
pub(crate) mod lists;
pub(crate) mod mailing;
pub(crate) mod phone;
pub(crate) mod price;
pub(crate) mod report;
pub(crate) mod segment;
pub(crate) mod send;
pub(crate) mod serve;
pub(crate) mod webhook;
pub(crate) mod worker;
