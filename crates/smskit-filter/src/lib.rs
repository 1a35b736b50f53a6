//! Odoo-compatible recipient filter domains: parse, print, normalise, check against a schema and evaluate (in progress).
