-- People, their roles and their companies' identity-provider tenants (serve/auth).
--
-- A person belongs either to the rewards team (pga_id NULL; role reviewer or admin) or to one
-- company, a partner global account (pga_id; role partner_admin or viewer). They sign in with
-- OpenID Connect: the provider's (issuer, subject) is bound on the first sign-in, matched by a
-- verified email to the person added beforehand. A removed person keeps their row (removed_at)
-- so that the history and the audit trail still name them.
CREATE TABLE people (
    person_id    VARCHAR PRIMARY KEY,          -- "p-" + 16 hex digits, shown in the CLI and the page
    email        VARCHAR NOT NULL,             -- lower case; how a first sign-in finds the person
    display_name VARCHAR NOT NULL,
    pga_id       VARCHAR,                      -- NULL = the rewards team
    role         VARCHAR NOT NULL CHECK (role IN ('reviewer', 'admin', 'partner_admin', 'viewer')),
    issuer       VARCHAR,                      -- set with subject on the first sign-in
    subject      VARCHAR,
    created_at   TIMESTAMP NOT NULL,
    removed_at   TIMESTAMP,
    CHECK ((pga_id IS NULL) = (role IN ('reviewer', 'admin'))),
    CHECK ((issuer IS NULL) = (subject IS NULL))
);

-- Every change to a person, never updated or deleted: who made it, when, and the person's
-- fields before and after (JSON text; NULL before an add, after a removal they show removed_at).
CREATE TABLE people_changes (
    change_id  BIGINT PRIMARY KEY,             -- 1, 2, … in the order the changes were made
    person_id  VARCHAR NOT NULL,
    action     VARCHAR NOT NULL CHECK (action IN ('add', 'role', 'remove', 'bind', 'name')),
    changed_by VARCHAR NOT NULL,               -- "cli:<user>", a person id, "token:<id>", "sign-in"
    changed_at TIMESTAMP NOT NULL,
    before     VARCHAR,
    after      VARCHAR
);

-- The identity-provider tenants associated with each company (in Microsoft Entra ID the
-- directory's tenant id, the ID token's tid claim). A tenant listed for two companies is a
-- configuration error: `insights people check` and the service's start report it, and a sign-in
-- from that tenant is refused. Hence no uniqueness on tenant_id alone: the error must be
-- recordable to be reportable, and the pair is the key.
CREATE TABLE company_tenants (
    pga_id    VARCHAR NOT NULL,
    tenant_id VARCHAR NOT NULL,
    added_at  TIMESTAMP NOT NULL,
    added_by  VARCHAR NOT NULL,
    PRIMARY KEY (pga_id, tenant_id)
);

-- An OpenID Connect sign-in in flight: created when the browser is sent to the provider, deleted
-- when the callback uses it (so a state is good once) or when it is older than ten minutes.
-- state_key is the SHA-256 of the state (the state itself only travels in the URL and a cookie).
CREATE TABLE oidc_logins (
    state_key     VARCHAR PRIMARY KEY,
    nonce         VARCHAR NOT NULL,
    code_verifier VARCHAR NOT NULL,            -- PKCE
    next_path     VARCHAR NOT NULL,            -- where to go after signing in ('' = the start page)
    created_at    TIMESTAMP NOT NULL
);

-- A session is now a person's (person_id) or, without an identity provider, a token's as before.
-- A person's session has no token: token_id becomes nullable so that ending "every session of
-- token ''" can never match a person's session. id_token is kept for the provider's sign-out.
ALTER TABLE web_sessions ALTER COLUMN token_id DROP NOT NULL;
ALTER TABLE web_sessions ADD COLUMN person_id VARCHAR;
ALTER TABLE web_sessions ADD COLUMN id_token VARCHAR;
