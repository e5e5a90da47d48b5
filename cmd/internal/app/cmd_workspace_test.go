package app

import (
	"strings"
	"testing"
)

// TestWorkspaceCommands walks the rewards workspace from the command line: list the
// benefits, assign a contact (one refused), activate (twice: one recorded), the queue,
// record the contact, the 7-day list, the outbox.
func TestWorkspaceCommands(t *testing.T) {
	db := tiersDB(t)
	mustRun(t, "--db", db, "transform", "--as-of", "2026-02-28")
	const gtm = "G:tier-1:1:Transact:Go-to-market consultation"
	steps := []struct {
		name string
		args []string
		code int
		want []string // substrings of stdout (code 0) or stderr
	}{
		{"awaiting review", []string{"benefits", "list", "G", "--format", "csv", "--as-of", "2026-03-01"}, 0,
			[]string{gtm + ",sales-marketing,Tier 1,Transact,Go-to-market consultation,awaiting-review"}},
		{"activate before approval", []string{"benefits", "activate", "G", gtm, "--by", "ops", "--at", "2026-03-01"}, 1,
			[]string{"not approved yet"}},
		{"approve", []string{"review", "decide", "G:tier-1", "approve", "--by", "rita", "--at", "2026-03-02"}, 0, []string{"recorded decision 1"}},
		{"available", []string{"benefits", "list", "G", "--format", "csv", "--as-of", "2026-03-03"}, 0,
			[]string{"Go-to-market consultation,available", "G:listing:Trial:Trial conversion workshop,sales-marketing,,Trial,Trial conversion workshop,expired"}},
		{"contact with the account email", []string{"contacts", "assign", "G", "--name", "X", "--email", "OTHER@g.example", "--phone", "+33 1 23 45 67 89", "--language", "fr", "--by", "ops"}, 1,
			[]string{"email: this is the email of the company's account"}},
		{"contact with a bad phone and language", []string{"contacts", "assign", "G", "--name", "X", "--email", "x@g.example", "--phone", "12", "--language", "de", "--by", "ops"}, 1,
			[]string{"language: \"de\" is not one of the languages", "phone: not a phone number"}},
		{"contact", []string{"contacts", "assign", "G", "--name", "Léa", "--email", "lea@g.example", "--phone", "+33 1 23 45 67 89", "--language", "French", "--by", "ops", "--at", "2026-03-03T08:00"}, 0,
			[]string{"assigned Léa <lea@g.example> +33123456789 (fr) as the marketing contact of G, by ops at 2026-03-03 08:00:00 UTC"}},
		{"history", []string{"contacts", "history", "G", "--format", "csv"}, 0,
			[]string{"G,Mia,mia@g.example,+1 555,en,2025-01-01,contacts file,", "G,Léa,lea@g.example,+33123456789,fr,2026-03-03 08:00:00,cli,ops"}},
		{"activate", []string{"benefits", "activate", "G", gtm, "--by", "ops", "--at", "2026-03-03T10:00"}, 0,
			[]string{"activated Go-to-market consultation for G (activation 1) by ops at 2026-03-03 10:00:00 UTC; instructions queued to lea@g.example (message 1, fr); contact due by 2026-03-10"}},
		{"activate again", []string{"benefits", "activate", "G", gtm, "--by", "bob"}, 1,
			[]string{"Go-to-market consultation is already activated, by ops on 2026-03-03 10:00 UTC; nothing recorded"}},
		{"to contact", []string{"contacted", "--list", "--as-of", "2026-03-12", "--format", "csv"}, 0,
			[]string{"1,G,Gamma,Go-to-market consultation,ops,2026-03-03 10:00:00,false,2026-03-10,,overdue,2"}},
		{"record on day 8", []string{"contacted", "1", "--by", "rita", "--at", "2026-03-11T09:00", "--note", "call"}, 0, []string{"recorded contact 1"}},
		{"queue empty", []string{"contacted", "--list", "--as-of", "2026-03-12", "--format", "csv"}, 0, []string{"activation_id,"}},
		{"sla late", []string{"contacted", "--sla", "--as-of", "2026-03-20", "--format", "csv"}, 0,
			[]string{"1,G,Gamma,Go-to-market consultation,ops,2026-03-03 10:00:00,false,2026-03-10,2026-03-11 09:00:00,late,8"}},
		{"in use", []string{"benefits", "list", "G", "--format", "csv"}, 0, []string{"Go-to-market consultation,in-use,ops"}},
		{"outbox", []string{"outbox", "--format", "csv"}, 0, []string{",activation,G,lea@g.example,Léa,fr,Récompenses de la Place de marché\u00a0: Go-to-market consultation est activé,queued,0,"}},
		{"assist update unknown", []string{"assist", "update", "7", "done", "--by", "rita"}, 1, []string{"unknown assistance request 7"}},
		{"assist list", []string{"assist", "list", "--format", "csv"}, 0, []string{"request_id,pga_id"}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			out, errOut, code := run(t, append([]string{"--db", db}, st.args...)...)
			if code != st.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, st.code, out, errOut)
			}
			got := out
			if code != 0 {
				got = errOut
			}
			for _, w := range st.want {
				if !strings.Contains(got, w) {
					t.Errorf("output lacks %q:\n%s", w, got)
				}
			}
		})
	}
}
