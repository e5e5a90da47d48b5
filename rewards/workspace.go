package rewards

// The rewards workspace (DESIGN §4, Activation): a company's partner admin assigns
// its marketing contact and activates benefits; the rewards team's review confirms a
// tier unlock (an approved unlock's benefits become activatable, a rejected one's are
// not offered), the partner's activation starts each benefit's 7-day clock and the
// team's recorded contact closes it. Every action is appended with who and when.
// Who may act is the caller's check (serve/auth: IsPartnerAdmin, IsRewards); this
// package checks what may be done.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"sort"
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"

	"github.com/marketplace-insights/insights/i18n"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// Language is one language the program's pages and messages exist in.
type Language struct {
	Code, Name string
}

// Languages is the fixed list a marketing contact's preferred language comes from.
var Languages = []Language{{"en", "English"}, {"fr", "Français"}, {"zh-Hans", "简体中文 (Simplified Chinese)"}}

// NormalizeLanguage maps a language as written (a code, a tag, a name) to one of
// Languages; ok is false when it is none of them.
func NormalizeLanguage(s string) (code string, ok bool) {
	l, ok := i18n.Parse(s)
	return string(l), ok
}

// Benefit states, as the workspace shows them.
const (
	StateAwaitingReview = "awaiting-review"
	StateAvailable      = "available"
	StateActivated      = "activated"
	StateInUse          = "in-use"
	StateExpired        = "expired"
)

// Benefit categories (the tier rules file's category).
const (
	CategorySalesMarketing = "sales-marketing"
	CategoryTechnical      = "technical"
)

// Benefit is one benefit of a company in its current benefit period.
type Benefit struct {
	Key           string // what Activate takes
	UnlockID      string // "" for a one-time listing benefit
	Tier          string // "" for a one-time listing benefit
	Period        int    // benefit period (0: one-time)
	ListingType   string
	Name          string
	Category      string
	ExpiresOn     *time.Time
	NextRefreshOn *time.Time // the unlock's anniversary
	Decision      string     // the review decision in force on its unlock ("" none)
	ActivationID  int64
	ActivatedBy   string
	ActivatedAt   *time.Time
	CarriedOver   bool // activated by an approve under the old rule
	ContactedAt   *time.Time
	State         string
}

// Benefits lists a company's benefits with their state as of asOf (the pages: today).
func Benefits(ctx context.Context, q duckstore.Querier, pga string, asOf time.Time) ([]Benefit, error) {
	var out []Benefit
	err := duckstore.QueryNamed(ctx, q, "rewards/benefits", func(rows *sql.Rows) error {
		var b Benefit
		var actID sql.NullInt64
		var by sql.NullString
		if err := rows.Scan(&b.Key, &b.UnlockID, &b.Tier, &b.Period, &b.ListingType, &b.Name, &b.Category,
			&b.ExpiresOn, &b.NextRefreshOn, &b.Decision, &actID, &by, &b.ActivatedAt, &b.CarriedOver,
			&b.ContactedAt, &b.State); err != nil {
			return err
		}
		b.ActivationID, b.ActivatedBy = actID.Int64, by.String
		out = append(out, b)
		return nil
	}, pga, asOf)
	if err != nil {
		return nil, fmt.Errorf("benefits of %s: %w", pga, err)
	}
	return out, nil
}

// Company is a company's name; ok is false when no publisher profile or unlock names it.
func Company(ctx context.Context, q duckstore.Querier, pga string) (name string, ok bool, err error) {
	err = duckstore.QueryRowNamed(ctx, q, "rewards/company", []any{pga, pga, pga}, &name, &ok)
	return name, ok, err
}

// Contact is a company's marketing contact.
type Contact struct {
	PGAID      string
	Name       string
	Email      string
	Phone      string
	Language   string
	AssignedAt time.Time
	Source     string // portal, cli, or "contacts file"
	AssignedBy string
	Version    string // names the row: a form carries it to detect a change since it was drawn
}

// ContactInput is an assignment to record.
type ContactInput struct {
	PGAID    string
	Name     string
	Email    string
	Phone    string
	Language string
	By       string
	Source   string    // portal, cli
	At       time.Time // zero: now
	// Seen is the Version of the contact the form showed ("-" for none); ""
	// skips the check (the CLI).
	Seen string
}

// FieldErrors are a form's problems, by field name; nothing was recorded.
type FieldErrors map[string]string

func (e FieldErrors) Error() string {
	keys := make([]string, 0, len(e))
	for k := range e {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + e[k]
	}
	return "nothing recorded: " + strings.Join(parts, "; ")
}

// StaleError means the state changed since the form was drawn; nothing was
// recorded. Contact is the contact now in force (for a page to say it in its
// language).
type StaleError struct {
	What    string
	Contact Contact
}

func (e *StaleError) Error() string {
	return "nothing recorded: the page is out of date: " + e.What + "; reload it and try again"
}

// CurrentContact is a company's contact in force; ok is false when it has none.
func CurrentContact(ctx context.Context, q duckstore.Querier, pga string) (c Contact, ok bool, err error) {
	c.PGAID = pga
	err = duckstore.QueryRowNamed(ctx, q, "rewards/current_contact", []any{pga},
		&c.Name, &c.Email, &c.Phone, &c.Language, &c.AssignedAt, &c.Source, &c.AssignedBy, &c.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return Contact{PGAID: pga}, false, nil
	}
	if err != nil {
		return Contact{}, false, fmt.Errorf("marketing contact of %s: %w", pga, err)
	}
	c.AssignedAt = c.AssignedAt.UTC()
	return c, true, nil
}

// ContactHistory is every contact of a company ("" = all), oldest first.
func ContactHistory(ctx context.Context, s *duckstore.Store, pga string) (duckstore.Table, error) {
	return s.TableNamed(ctx, "rewards/contact_history", pga, pga)
}

// accountEmails are the account emails of every publisher profile of a company.
func accountEmails(ctx context.Context, q duckstore.Querier, pga string) (map[string]bool, error) {
	out := map[string]bool{}
	err := duckstore.QueryNamed(ctx, q, "rewards/account_emails", func(rows *sql.Rows) error {
		var e string
		if err := rows.Scan(&e); err != nil {
			return err
		}
		out[e] = true
		return nil
	}, pga)
	return out, err
}

// ParsePhone reads a phone number written in international form (+33 1 23 45 67 89)
// and returns it as E.164 (+33123456789).
func ParsePhone(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", errors.New("a phone number is required")
	}
	n, err := phonenumbers.Parse(s, "")
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return "", errors.New("not a phone number: write it with its country code, e.g. +33 1 23 45 67 89")
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}

// checkAddress checks a mail address; it returns the bare address.
func checkAddress(s string) (string, error) {
	a, err := mail.ParseAddress(strings.TrimSpace(s))
	if err != nil || a.Name != "" || !strings.Contains(a.Address, ".") {
		return "", errors.New("not an email address")
	}
	return a.Address, nil
}

// readiness lists what keeps a contact from allowing activation (the rule of the
// transform's tier_readiness, checked live).
func readiness(c Contact, ok bool, accounts map[string]bool) []string {
	if !ok {
		return []string{"no marketing contact"}
	}
	var out []string
	switch {
	case strings.TrimSpace(c.Email) == "":
		out = append(out, "email missing")
	case !strings.Contains(c.Email, "@"):
		out = append(out, "email is not an address")
	case accounts[strings.ToLower(strings.TrimSpace(c.Email))]:
		out = append(out, "email equals the account email")
	}
	if strings.TrimSpace(c.Phone) == "" {
		out = append(out, "phone missing")
	}
	if strings.TrimSpace(c.Language) == "" {
		out = append(out, "language missing")
	}
	return out
}

// Readiness is whether a company's contact allows activation, and what is missing.
func Readiness(ctx context.Context, q duckstore.Querier, pga string) (Contact, []string, error) {
	c, ok, err := CurrentContact(ctx, q, pga)
	if err != nil {
		return c, nil, err
	}
	acc, err := accountEmails(ctx, q, pga)
	if err != nil {
		return c, nil, err
	}
	return c, readiness(c, ok, acc), nil
}

// AssignContact validates and appends a marketing contact assignment: an email
// that is an address and differs from every account email of the company's publisher
// profiles, a phone number (stored as E.164) and a language of Languages.
func AssignContact(ctx context.Context, s *duckstore.Store, in ContactInput) (Contact, error) {
	now := time.Now().UTC().Truncate(time.Microsecond)
	c := Contact{PGAID: strings.TrimSpace(in.PGAID), Name: strings.TrimSpace(in.Name), AssignedBy: strings.TrimSpace(in.By),
		Source: in.Source, AssignedAt: in.At.UTC().Truncate(time.Microsecond)}
	if in.At.IsZero() {
		c.AssignedAt = now
	}
	if c.Source == "" {
		c.Source = "cli"
	}
	fe := FieldErrors{}
	if c.Name == "" {
		fe["name"] = "the contact's name is required"
	}
	email, err := checkAddress(in.Email)
	if strings.TrimSpace(in.Email) == "" {
		fe["email"] = "an email address is required"
	} else if err != nil {
		fe["email"] = err.Error()
	}
	c.Email = email
	if c.Phone, err = ParsePhone(in.Phone); err != nil {
		fe["phone"] = err.Error()
	}
	var ok bool
	if strings.TrimSpace(in.Language) == "" {
		fe["language"] = "choose a preferred language"
	} else if c.Language, ok = NormalizeLanguage(in.Language); !ok {
		fe["language"] = fmt.Sprintf("%q is not one of the languages offered (English, French, Simplified Chinese)", in.Language)
	}
	if c.AssignedBy == "" {
		fe["by"] = "who assigns is missing"
	}
	if c.PGAID == "" {
		fe["company"] = "the company (PGA) is missing"
	}
	err = s.Tx(ctx, func(ctx context.Context, tx *duckstore.Tx) error {
		if c.PGAID != "" {
			if _, known, err := Company(ctx, tx, c.PGAID); err != nil {
				return err
			} else if !known {
				return fmt.Errorf("%w %q", ErrUnknownPGA, c.PGAID)
			}
			acc, err := accountEmails(ctx, tx, c.PGAID)
			if err != nil {
				return err
			}
			if c.Email != "" && acc[strings.ToLower(c.Email)] {
				fe["email"] = "this is the email of the company's account: the marketing contact needs a different one"
			}
		}
		if len(fe) > 0 {
			return fe
		}
		if in.Seen != "" {
			cur, has, err := CurrentContact(ctx, tx, c.PGAID)
			if err != nil {
				return err
			}
			if v := cur.Version; (has && v != in.Seen) || (!has && in.Seen != "-") {
				return &StaleError{What: fmt.Sprintf("the marketing contact was changed to %s (%s) by %s at %s",
					cur.Name, cur.Email, orFile(cur), cur.AssignedAt.Format("2006-01-02 15:04 UTC")), Contact: cur}
			}
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO contact_assignments
				(pga_id, name, email, phone, language, assigned_by, assigned_at, source)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING assignment_id`,
			c.PGAID, c.Name, c.Email, c.Phone, c.Language, c.AssignedBy, c.AssignedAt, c.Source).Scan(&id); err != nil {
			return fmt.Errorf("record the marketing contact: %w", err)
		}
		c.Version = fmt.Sprintf("assignment:%d", id)
		return nil
	})
	return c, err
}

func orFile(c Contact) string {
	if c.AssignedBy != "" {
		return c.AssignedBy
	}
	return "the contacts file"
}

// ActivateInput is an activation to record.
type ActivateInput struct {
	PGAID string
	Key   string // Benefit.Key
	By    string
	At    time.Time // zero: now
}

// Activation is one recorded activation, and the message queued for it.
type Activation struct {
	ID        int64
	Benefit   Benefit
	By        string
	At        time.Time
	DueOn     time.Time // the rewards team contacts the company by then (activation + 7 days)
	Contact   Contact
	MessageID int64
}

// ErrNotAvailable means the benefit cannot be activated: not offered, not approved, expired.
var ErrNotAvailable = errors.New("benefit not available")

// ErrNoReadyContact means the company's marketing contact does not allow activation.
var ErrNoReadyContact = errors.New("no valid marketing contact")

// AlreadyActivatedError is an activation refused because the benefit is activated.
type AlreadyActivatedError struct {
	Benefit string
	By      string
	At      time.Time
}

func (e *AlreadyActivatedError) Error() string {
	return fmt.Sprintf("%s is already activated, by %s on %s; nothing recorded", e.Benefit, e.By, e.At.UTC().Format("2006-01-02 15:04 UTC"))
}

// Activate records a partner's activation of an available sales and marketing benefit
// and, in the same transaction, queues the message with its instructions to the
// marketing contact (in the contact's language). Two activations of one benefit in one
// benefit period record one: the second is refused with who activated it and when.
func Activate(ctx context.Context, s *duckstore.Store, in ActivateInput) (Activation, error) {
	a := Activation{By: strings.TrimSpace(in.By), At: in.At.UTC().Truncate(time.Microsecond)}
	if in.At.IsZero() {
		a.At = time.Now().UTC().Truncate(time.Microsecond)
	}
	if a.By == "" {
		return a, errors.New("who activates is missing")
	}
	err := s.Tx(ctx, func(ctx context.Context, tx *duckstore.Tx) error {
		company, known, err := Company(ctx, tx, in.PGAID)
		if err != nil {
			return err
		}
		if !known {
			return fmt.Errorf("%w %q", ErrUnknownPGA, in.PGAID)
		}
		all, err := Benefits(ctx, tx, in.PGAID, a.At)
		if err != nil {
			return err
		}
		found := false
		for _, b := range all {
			if b.Key == in.Key {
				a.Benefit, found = b, true
			}
		}
		b := a.Benefit
		switch {
		case !found:
			return fmt.Errorf("%w: %q is not a benefit of %s (not unlocked, or its unlock was rejected; `insights benefits list %s`)", ErrNotAvailable, in.Key, in.PGAID, in.PGAID)
		case b.State == StateActivated || b.State == StateInUse:
			return &AlreadyActivatedError{Benefit: b.Name, By: b.ActivatedBy, At: *b.ActivatedAt}
		case b.State == StateExpired:
			return fmt.Errorf("%w: %s expired on %s", ErrNotAvailable, b.Name, b.ExpiresOn.Format(time.DateOnly))
		case b.State == StateAwaitingReview:
			return fmt.Errorf("%w: %s comes with %s, which the rewards team has not approved yet", ErrNotAvailable, b.Name, b.UnlockID)
		case b.Category == CategoryTechnical:
			return fmt.Errorf("%w: %s is a technical benefit: ask for it with a technical assistance request", ErrNotAvailable, b.Name)
		}
		c, missing, err := Readiness(ctx, tx, in.PGAID)
		if err != nil {
			return err
		}
		if len(missing) > 0 {
			return fmt.Errorf("%w: %s; assign a marketing contact first", ErrNoReadyContact, strings.Join(missing, ", "))
		}
		a.Contact = c
		lang, ok := NormalizeLanguage(c.Language)
		if !ok {
			lang = "en"
		}
		addr, err := checkAddress(c.Email)
		if err != nil {
			return fmt.Errorf("%w: the contact's email %q: %v", ErrNoReadyContact, c.Email, err)
		}
		a.DueOn = time.Date(a.At.Year(), a.At.Month(), a.At.Day()+7, 0, 0, 0, 0, time.UTC)
		err = duckstore.QueryRowNamed(ctx, tx, "rewards/activation_insert", []any{b.Key, in.PGAID, b.UnlockID, b.Tier,
			b.Period, b.ListingType, b.Name, a.By, a.At, addr, lang}, &a.ID)
		if err != nil {
			return err
		}
		m := activationMessage(lang, messageData{Contact: c.Name, Company: company, Benefit: b.Name, By: a.By,
			DueOn: a.DueOn, ListingType: b.ListingType, Tier: b.Tier})
		a.MessageID, err = queue(ctx, tx, "activation", a.ID, in.PGAID, addr, c.Name, lang, m, a.At)
		return err
	})
	if err != nil && isConstraint(err) {
		// Someone activated the same benefit at the same moment: theirs is the one.
		var id int64
		var by string
		var at time.Time
		if qerr := duckstore.QueryRowNamed(ctx, s, "rewards/activation_by_key", []any{in.Key}, &id, &by, &at); qerr == nil {
			return a, &AlreadyActivatedError{Benefit: a.Benefit.Name, By: by, At: at}
		}
	}
	return a, err
}

// isConstraint reports a unique-key or write-write conflict of the store.
func isConstraint(err error) bool {
	m := strings.ToLower(err.Error())
	return strings.Contains(m, "duplicate key") || strings.Contains(m, "constraint") || strings.Contains(m, "conflict")
}
