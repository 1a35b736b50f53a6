//! Reproducible A/B test samples, winner selection and significance statistics for SMS campaigns (in progress).
