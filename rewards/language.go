package rewards

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/marketplace-insights/insights/i18n"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// CompanyLanguage is the language a company reads the program in: its
// partner admin sets it on the rewards workspace (or an operator with
// `insights company language`); the partner workbook follows it, and a person
// of the company who chose no language of their own sees the portal in it.
type CompanyLanguage struct {
	PGAID     string
	Language  i18n.Lang
	ChangedBy string
	ChangedAt time.Time
}

// CompanyLanguageOf is a company's language setting; ok is false when none was set.
func CompanyLanguageOf(ctx context.Context, q duckstore.Querier, pga string) (CompanyLanguage, bool, error) {
	c := CompanyLanguage{PGAID: pga}
	var lang string
	err := duckstore.QueryRowNamed(ctx, q, "rewards/company_language", []any{pga}, &lang, &c.ChangedBy, &c.ChangedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return CompanyLanguage{PGAID: pga}, false, nil
	}
	if err != nil {
		return c, false, fmt.Errorf("language of company %s: %w", pga, err)
	}
	c.Language = i18n.Lang(lang)
	return c, true, nil
}

// SetCompanyLanguage records a company's language (a code, tag or name that
// i18n.Parse reads: "fr", "zh-CN", "Français") with who set it and when (now
// when at is zero). The company must be known (a publisher profile or an
// unlock names it).
func SetCompanyLanguage(ctx context.Context, s *duckstore.Store, pga, language, by string, at time.Time) (CompanyLanguage, error) {
	lang, ok := i18n.Parse(language)
	if !ok {
		return CompanyLanguage{}, fmt.Errorf("%q is not a language offered: en, fr or zh-Hans", language)
	}
	if strings.TrimSpace(by) == "" {
		return CompanyLanguage{}, errors.New("who sets the language is missing")
	}
	if at.IsZero() {
		at = time.Now()
	}
	c := CompanyLanguage{PGAID: pga, Language: lang, ChangedBy: by, ChangedAt: at.UTC()}
	err := s.Tx(ctx, func(ctx context.Context, tx *duckstore.Tx) error {
		if _, known, err := Company(ctx, tx, pga); err != nil {
			return err
		} else if !known {
			return fmt.Errorf("%w %q", ErrUnknownPGA, pga)
		}
		_, err := duckstore.ExecNamed(ctx, tx, "rewards/company_language_set", pga, string(lang), by, c.ChangedAt)
		return err
	})
	if err != nil {
		return CompanyLanguage{}, fmt.Errorf("set the language of company %s: %w", pga, err)
	}
	return c, nil
}
