-- The language partners read the program in (package i18n: en, fr, zh-Hans). A person's own
-- choice, made on any portal page; and the company's (partner global account), set by a partner
-- admin, which the partner workbook follows and which a person with no choice of their own sees
-- before their browser's Accept-Language. The analytics API, the data files, the review desk and
-- the CLI stay in English and read neither.
CREATE TABLE person_languages (
    person_id  VARCHAR PRIMARY KEY,
    language   VARCHAR NOT NULL CHECK (language IN ('en', 'fr', 'zh-Hans')),
    changed_at TIMESTAMP NOT NULL
);

CREATE TABLE company_languages (
    pga_id     VARCHAR PRIMARY KEY,
    language   VARCHAR NOT NULL CHECK (language IN ('en', 'fr', 'zh-Hans')),
    changed_by VARCHAR NOT NULL,               -- a person id, "token:<id>", "cli:<user>"
    changed_at TIMESTAMP NOT NULL
);
