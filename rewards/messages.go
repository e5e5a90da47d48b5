package rewards

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	htmltemplate "html/template"
	"time"

	"github.com/marketplace-insights/insights/i18n"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// Message is a composed mail: a subject, a plain-text body and an HTML body.
type Message struct {
	Subject, Text, HTML string
}

type messageData struct {
	Contact, Company, Benefit, By, ListingType, Tier string
	DueOn                                            time.Time
	Due                                              string // DueOn, written for the language
}

// activationMessage composes the message sent to the marketing contact when a
// benefit is activated, in lang (English when it is not offered): the
// program's own promise ("contacted by a member of the Rewards team within a
// week") and what to prepare. The texts are the catalogs'
// (i18n/locales/<lang>/mail.toml); the due date is the language's long date.
func activationMessage(lang string, d messageData) Message {
	l, ok := i18n.Parse(lang)
	if !ok {
		l = i18n.English
	}
	loc := i18n.For(l)
	d.Due = loc.LongDate(d.DueOn)
	text := func(key string) string { return loc.T(key, d) }
	htm := func(key string) htmltemplate.HTML {
		// The catalog's texts carry no markup: the whole text is escaped.
		return htmltemplate.HTML(htmltemplate.HTMLEscapeString(text(key))) //nolint:gosec // escaped just here
	}
	m := Message{Subject: text("mail.activation.subject")}
	m.Text = text("mail.activation.greeting") + "\n\n" + text("mail.activation.body") + "\n\n" + text("mail.activation.prepare") +
		"\n\n" + text("mail.activation.due") + "\n\n" + text("mail.activation.sign") + "\n"
	var b bytes.Buffer
	_ = htmlMessage.Execute(&b, struct {
		Lang                               string
		Subject                            string
		Greeting, Body, Prepare, Due, Sign htmltemplate.HTML
	}{string(l), m.Subject, htm("mail.activation.greeting"), htm("mail.activation.body"), htm("mail.activation.prepare"),
		htm("mail.activation.due"), htm("mail.activation.sign")})
	m.HTML = b.String()
	return m
}

var htmlMessage = htmltemplate.Must(htmltemplate.New("mail").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body><p>{{.Greeting}}</p><p>{{.Body}}</p><p>{{.Prepare}}</p><p><strong>{{.Due}}</strong></p><p>{{.Sign}}</p></body></html>
`))

// queue writes a message to the outbox, in the caller's transaction.
func queue(ctx context.Context, tx *duckstore.Tx, kind string, ref int64, pga, to, name, lang string, m Message, at time.Time) (int64, error) {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	header := fmt.Sprintf("<%s.%s@insights.local>", kind, hex.EncodeToString(b))
	var id int64
	err := duckstore.QueryRowNamed(ctx, tx, "rewards/outbox_insert", []any{kind, ref, pga, to, name, lang,
		m.Subject, m.Text, m.HTML, header, at, at}, &id)
	if err != nil {
		return 0, fmt.Errorf("queue the %s message: %w", kind, err)
	}
	return id, nil
}
