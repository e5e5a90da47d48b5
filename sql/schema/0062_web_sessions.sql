-- web_sessions: the signed-in browsers of the review desk and the partner portal (reports/web),
-- kept so that a restart of `insights serve` does not sign everyone out. session_key is the
-- SHA-256 of the cookie value (the cookie itself is never stored); the token it was made from
-- is checked on every request, so revoking the token still ends the session at once.
CREATE TABLE web_sessions (
    session_key VARCHAR PRIMARY KEY,
    token_id    VARCHAR NOT NULL,
    role        VARCHAR NOT NULL,
    partner_id  VARCHAR,
    csrf        VARCHAR NOT NULL,   -- the session's form token
    created_at  TIMESTAMP NOT NULL,
    seen_at     TIMESTAMP NOT NULL, -- last use, written at most once a minute
    reviewer    VARCHAR             -- the name last entered on a decision form
);
