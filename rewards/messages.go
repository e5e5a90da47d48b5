package rewards

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	htmltemplate "html/template"
	texttemplate "text/template"
	"time"

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

// activationText is the message sent to the marketing contact when a benefit is
// activated, per language: the program's own promise ("contacted by a member of the
// Rewards team within a week") and what to prepare.
var activationText = map[string]struct{ subject, greeting, body, prepare, due, sign string }{
	"en": {
		subject:  "Marketplace Rewards: {{.Benefit}} is activated",
		greeting: "Hello {{.Contact}},",
		body:     "{{.By}} activated the benefit “{{.Benefit}}” for {{.Company}} and named you its marketing contact.",
		prepare:  "To get started, have ready: the offer(s) concerned, your campaign goals and dates, and who in your team approves marketing material.",
		due:      "A member of the Rewards team will contact you within a week, by {{.Due}}.",
		sign:     "The Marketplace Rewards team",
	},
	"fr": {
		subject:  "Marketplace Rewards : {{.Benefit}} est activé",
		greeting: "Bonjour {{.Contact}},",
		body:     "{{.By}} a activé l’avantage « {{.Benefit}} » pour {{.Company}} et vous a désigné comme contact marketing.",
		prepare:  "Pour commencer, préparez : la ou les offres concernées, les objectifs et dates de vos campagnes, et la personne de votre équipe qui valide les supports marketing.",
		due:      "Un membre de l’équipe Rewards vous contactera dans la semaine, au plus tard le {{.Due}}.",
		sign:     "L’équipe Marketplace Rewards",
	},
	"zh-Hans": {
		subject:  "Marketplace Rewards：{{.Benefit}} 已激活",
		greeting: "{{.Contact}}，您好：",
		body:     "{{.By}} 已为 {{.Company}} 激活权益“{{.Benefit}}”，并指定您为营销联系人。",
		prepare:  "请提前准备：相关产品/服务、营销活动的目标和日期，以及团队中负责审批营销材料的人员。",
		due:      "Rewards 团队成员将在一周内（{{.Due}} 之前）与您联系。",
		sign:     "Marketplace Rewards 团队",
	},
}

var months = map[string][]string{
	"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
}

// dueText writes a date the way the language writes it.
func dueText(lang string, d time.Time) string {
	switch lang {
	case "fr":
		return fmt.Sprintf("%d %s %d", d.Day(), months["fr"][d.Month()-1], d.Year())
	case "zh-Hans":
		return fmt.Sprintf("%d年%d月%d日", d.Year(), int(d.Month()), d.Day())
	}
	return d.Format("2 January 2006")
}

// activationMessage composes the activation message in lang (en when unknown).
func activationMessage(lang string, d messageData) Message {
	t, ok := activationText[lang]
	if !ok {
		lang, t = "en", activationText["en"]
	}
	d.Due = dueText(lang, d.DueOn)
	text := func(src string) string {
		var b bytes.Buffer
		_ = texttemplate.Must(texttemplate.New("").Parse(src)).Execute(&b, d)
		return b.String()
	}
	htm := func(src string) htmltemplate.HTML {
		var b bytes.Buffer
		_ = htmltemplate.Must(htmltemplate.New("").Parse(src)).Execute(&b, d)
		return htmltemplate.HTML(b.String()) //nolint:gosec // escaped by html/template just above
	}
	m := Message{Subject: text(t.subject)}
	m.Text = text(t.greeting) + "\n\n" + text(t.body) + "\n\n" + text(t.prepare) + "\n\n" + text(t.due) + "\n\n" + t.sign + "\n"
	var b bytes.Buffer
	_ = htmlMessage.Execute(&b, struct {
		Lang                               string
		Subject                            string
		Greeting, Body, Prepare, Due, Sign htmltemplate.HTML
	}{lang, m.Subject, htm(t.greeting), htm(t.body), htm(t.prepare), htm(t.due), htm(t.sign)})
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
