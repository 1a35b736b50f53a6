//! Tracked short links in SMS bodies: find URLs, UTM parameters, rewrite, personalise, resolve, record clicks (in progress).
