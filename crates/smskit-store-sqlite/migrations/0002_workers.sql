-- smskit-store-sqlite schema, version 2: what workers sharing the database coordinate through.

-- Named leases (preparing a mailing, choosing A/B winners): one holder until expires_at.
CREATE TABLE leases (
    name        TEXT    PRIMARY KEY,
    holder      TEXT    NOT NULL,
    expires_at  INTEGER NOT NULL
) STRICT;

-- The end of each sender's booked send time (microseconds), the shared schedule of its rate.
CREATE TABLE send_schedule (
    sender      TEXT    PRIMARY KEY,
    ends_at     INTEGER NOT NULL
) STRICT;
