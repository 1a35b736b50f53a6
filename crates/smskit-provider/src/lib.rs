//! SMS provider abstraction (object-safe Provider trait), stub and file providers, sans-IO Twilio and Vonage (in progress).
