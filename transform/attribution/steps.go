package attribution

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"

	"github.com/marketplace-insights/insights/sql/duckstore"
)

// ParserVersion changes whenever a parser's output for some input changes; it
// is part of the transform run id (see Fingerprint).
const ParserVersion = "3"

// Fingerprint identifies the parsers' rules for the transform run id.
func Fingerprint() string { return "attribution-parsers:" + ParserVersion }

// PlatformID is a tracking ID of Microsoft's own, not a partner's.
type PlatformID struct {
	ID          string // pid-<GUID> or a bare GUID
	Description string
}

// TerraformDefaultPartnerID is the partner ID the Terraform azurerm and azapi
// providers send with every request whose partner_id is unset.
const TerraformDefaultPartnerID = "pid-222c6c49-1b0a-5959-a213-6608f9eb8820"

// DefaultPlatformIDs are the platform IDs known out of the box.
var DefaultPlatformIDs = []PlatformID{
	{ID: TerraformDefaultPartnerID, Description: "Terraform azurerm/azapi provider default partner ID (partner_id unset)"},
}

// PlatformFingerprint identifies a platform ID list for the transform run id.
func PlatformFingerprint(ids []PlatformID) string {
	var b strings.Builder
	b.WriteString("attribution-platform-ids:")
	for _, p := range ids {
		b.WriteString(" " + p.ID)
	}
	return b.String()
}

// CheckPlatformIDs reports the first platform ID that is not a GUID tracking ID.
func CheckPlatformIDs(ids []PlatformID) error {
	for _, p := range ids {
		if r := ParseRegistered(p.ID); r.Kind != KindGUID {
			return fmt.Errorf("platform ID %q is not pid-<GUID> or a GUID", p.ID)
		}
	}
	return nil
}

// ParseTrackingIDs is a transform step (declared in transform.Default, before
// the SQL steps 110–130 that match deployments and usage): it parses every distinct deployment name, user agent and
// Terraform partner_id into attr_tokens, and every distinct registered ID into
// attr_registry_keys. Parsing distinct strings keeps the work proportional to
// the variety of inputs, not the number of deployments.
func ParseTrackingIDs(ctx context.Context, tx *duckstore.Tx) error {
	return ParseTrackingIDsWith(ctx, tx, DefaultPlatformIDs)
}

// ParseTrackingIDsWith is ParseTrackingIDs with the configured platform IDs,
// which it writes to attr_platform_ids.
func ParseTrackingIDsWith(ctx context.Context, tx *duckstore.Tx, platform []PlatformID) error {
	if err := CheckPlatformIDs(platform); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM attr_tokens; DELETE FROM attr_registry_keys; DELETE FROM attr_platform_ids;`); err != nil {
		return err
	}
	err := tx.Append(ctx, "attr_platform_ids", func(add func(...driver.Value) error) error {
		for _, p := range platform {
			if err := add(ParseRegistered(p.ID).MatchKey, nullable(p.Description)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	type input struct{ source, text string }
	var inputs []input
	err = queryStrings(ctx, tx, `
		SELECT source, input FROM (
			SELECT 'deployment_name' AS source, deployment_name AS input FROM deployments
			UNION SELECT 'user_agent', user_agent FROM deployments
			UNION SELECT 'terraform_partner_id', partner_id FROM deployments
		) WHERE input IS NOT NULL
		ORDER BY source, input`, func(v []string) { inputs = append(inputs, input{v[0], v[1]}) }, 2)
	if err != nil {
		return fmt.Errorf("read deployment strings: %w", err)
	}
	err = tx.Append(ctx, "attr_tokens", func(add func(...driver.Value) error) error {
		for _, in := range inputs {
			var toks []Token
			if in.source == string(SourcePartnerID) {
				toks = ParsePartnerID(in.text)
			} else {
				toks = ExtractTokens(in.text)
			}
			for i, t := range toks {
				if err := add(in.source, in.text, int64(i+1), t.Raw, string(t.Kind),
					nullable(t.TrackingID), t.MatchKey, nullable(t.Reason), nullable(t.GUIDKey), nullable(t.Suffix)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}

	var registered []string
	err = queryStrings(ctx, tx, `SELECT DISTINCT tracking_id FROM tracking_ids ORDER BY 1`,
		func(v []string) { registered = append(registered, v[0]) }, 1)
	if err != nil {
		return fmt.Errorf("read tracking_ids: %w", err)
	}
	return tx.Append(ctx, "attr_registry_keys", func(add func(...driver.Value) error) error {
		for _, s := range registered {
			r := ParseRegistered(s)
			if r.MatchKey == "" {
				continue // a blank registration matches nothing
			}
			if err := add(s, string(r.Kind), r.MatchKey, nullable(r.Note)); err != nil {
				return err
			}
		}
		return nil
	})
}

// ParseCampaigns is a transform step (declared in transform.Default, before
// 310–320, clicks and campaign performance): it parses every distinct landing
// URL into attr_campaign_urls.
func ParseCampaigns(ctx context.Context, tx *duckstore.Tx) error {
	if _, err := tx.Exec(ctx, `DELETE FROM attr_campaign_urls`); err != nil {
		return err
	}
	var urls []string
	err := queryStrings(ctx, tx, `SELECT DISTINCT landing_url FROM clicks WHERE landing_url IS NOT NULL ORDER BY 1`,
		func(v []string) { urls = append(urls, v[0]) }, 1)
	if err != nil {
		return fmt.Errorf("read landing URLs: %w", err)
	}
	return tx.Append(ctx, "attr_campaign_urls", func(add func(...driver.Value) error) error {
		for _, u := range urls {
			c := ParseLandingURL(u)
			if err := add(u, c.Mktcmpid, c.Status, nullable(c.Reason), nullable(c.Src), nullable(c.SrcNormalized)); err != nil {
				return err
			}
		}
		return nil
	})
}

// queryStrings runs a query of n VARCHAR columns and hands each row to fn.
// Rows are read to the end before the caller appends on the same connection.
func queryStrings(ctx context.Context, tx *duckstore.Tx, query string, fn func([]string), n int) error {
	rows, err := tx.Query(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	vals := make([]string, n)
	ptrs := make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		fn(append([]string(nil), vals...))
	}
	return rows.Err()
}

func nullable(s string) driver.Value {
	if s == "" {
		return nil
	}
	return s
}
