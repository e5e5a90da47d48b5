package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/marketplace-insights/insights/serve/auth"
	"github.com/marketplace-insights/insights/sql/duckstore"
	"github.com/marketplace-insights/insights/sql/duckstore/testkit"
)

// TestSessionLifetime: sessions live until the idle or the lifetime bound,
// revocation ends a token's sessions only, and sign-ins sweep the expired
// ones; the same in memory and on the database.
func TestSessionLifetime(t *testing.T) {
	for _, tc := range []struct {
		name  string
		store func(t *testing.T) *duckstore.Store
	}{
		{"in memory", func(*testing.T) *duckstore.Store { return nil }},
		{"on the database", func(t *testing.T) *duckstore.Store { return testkit.Open(t) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			now := time.Date(2025, 7, 1, 9, 0, 0, 0, time.UTC)
			clock := func() time.Time { return now }
			ss := newSessions(tc.store(t), 2*time.Hour, 12*time.Hour, clock)
			get := func(id string) *session {
				t.Helper()
				s, err := ss.get(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
			create := func(p auth.Principal) (string, *session) {
				t.Helper()
				id, s, err := ss.create(ctx, p, "")
				if err != nil {
					t.Fatal(err)
				}
				return id, s
			}
			p := auth.Principal{TokenID: "t1", Role: auth.RolePartner, PartnerID: "P1"}
			id, s := create(p)
			if get(id) != s || get("") != nil || get(id+"x") != nil {
				t.Fatal("lookup by cookie value")
			}
			if _, ok := ss.m[id]; ok {
				t.Fatal("the map is keyed by the cookie value itself, not its hash")
			}
			// Used every 90 minutes it lives until the 12-hour bound, not after.
			for i := 0; i < 7; i++ {
				now = now.Add(90 * time.Minute)
				if get(id) == nil {
					t.Fatalf("ended after %s of use", now.Sub(s.created))
				}
			}
			now = now.Add(90 * time.Minute) // 12h after sign-in
			if get(id) == nil {
				t.Fatal("ended at exactly the bound")
			}
			now = now.Add(time.Minute)
			if get(id) != nil {
				t.Fatal("lived past the 12-hour bound")
			}
			// Left alone for more than 2 hours it ends.
			id2, _ := create(p)
			now = now.Add(2*time.Hour + time.Second)
			if get(id2) != nil {
				t.Fatal("lived past the idle bound")
			}
			// Revocation ends every session of the token, and only those.
			a, _ := create(p)
			b, _ := create(p)
			c, _ := create(auth.Principal{TokenID: "t2", Role: auth.RoleRewards})
			if err := ss.endToken(ctx, "t1"); err != nil {
				t.Fatal(err)
			}
			if get(a) != nil || get(b) != nil || get(c) == nil {
				t.Fatal("endToken must end the token's sessions only")
			}
			// Sign-ins sweep expired sessions, so the map (and table) stay bounded.
			now = now.Add(3 * time.Hour)
			create(p)
			if len(ss.m) != 1 {
				t.Fatalf("%d sessions kept, want only the new one", len(ss.m))
			}
			if ss.store != nil {
				if n := testkit.Str(t, ss.store, `SELECT count(*) FROM web_sessions`); n != "1" {
					t.Fatalf("%s sessions in the database, want only the new one", n)
				}
			}
		})
	}
}

// TestSessionsSurviveARestart: a service started after the sign-in (a new
// sessions on the same database) knows the session, its form token and the
// reviewer's name; sign-out, revocation and the idle bound still end it, and
// the database never holds the cookie value.
func TestSessionsSurviveARestart(t *testing.T) {
	ctx := context.Background()
	store := testkit.Open(t)
	now := time.Date(2025, 7, 1, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	restart := func() *sessions { return newSessions(store, 2*time.Hour, 12*time.Hour, clock) }
	p := auth.Principal{TokenID: "t1", Role: auth.RoleRewards}
	before := restart()
	id, s, err := before.create(ctx, p, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := before.remember(ctx, s, "Dana"); err != nil {
		t.Fatal(err)
	}
	if n := testkit.Str(t, store, `SELECT count(*) FROM web_sessions WHERE session_key = ? OR csrf = ?`, id, id); n != "0" {
		t.Fatal("the database holds the cookie value")
	}

	now = now.Add(90 * time.Minute)
	after := restart()
	got, err := after.get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got == nil || got.p != p || got.csrf != s.csrf || !got.created.Equal(s.created) || after.reviewer(got) != "Dana" {
		t.Fatalf("after a restart: %+v, want %+v with the reviewer Dana", got, s)
	}
	t.Run("the idle bound counts from the last use written", func(t *testing.T) {
		now = now.Add(90 * time.Minute) // 90 min after the use that the restarted service saw
		if s, err := restart().get(ctx, id); err != nil || s == nil {
			t.Fatalf("ended %v (%v), but it was used 90 minutes ago", s, err)
		}
	})
	t.Run("sign-out ends it for every later service", func(t *testing.T) {
		id2, _, err := after.create(ctx, p, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := after.end(ctx, id2); err != nil {
			t.Fatal(err)
		}
		if s, err := restart().get(ctx, id2); err != nil || s != nil {
			t.Fatalf("after sign-out: %v %v", s, err)
		}
	})
	t.Run("revocation ends it for every later service", func(t *testing.T) {
		if err := after.endToken(ctx, "t1"); err != nil {
			t.Fatal(err)
		}
		if s, err := restart().get(ctx, id); err != nil || s != nil {
			t.Fatalf("after revocation: %v %v", s, err)
		}
	})
}

func TestSafeNext(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"/desk/sla", "/desk/sla"},
		{"/portal/P1/reports?x=1", "/portal/P1/reports?x=1"},
		{"", ""},
		{"https://evil.example/", ""},
		{"//evil.example/", ""},
		{"/\\evil.example", ""},
		{"desk", ""},
		{"/sign-in", ""},
		{"/sign-out", ""},
		{"/desk/\r\nSet-Cookie: x", ""},
	} {
		if got := safeNext(tc.in); got != tc.want {
			t.Errorf("safeNext(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestUSD(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"1234567.8", "USD 1,234,567.80"},
		{"0", "USD 0.00"},
		{"999.999", "USD 1,000.00"},
		{"-1500.5", "USD -1,500.50"},
		{"100", "USD 100.00"},
		{"4000000.00", "USD 4,000,000.00"},
		{"", "–"},
		{"not at current pace", "not at current pace"},
	} {
		if got := usd(tc.in); got != tc.want {
			t.Errorf("usd(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSalesChart(t *testing.T) {
	month := func(m int) time.Time { return time.Date(2025, time.Month(m), 1, 0, 0, 0, 0, time.UTC) }
	rules := []threshold{{"Tier 1", "1000000"}, {"Tier 2", "2000000"}, {"Tier 3", "4000000"}}
	t.Run("empty", func(t *testing.T) {
		if c := newSalesChart(nil, rules); !c.Empty {
			t.Fatal("no months must be an empty chart")
		}
	})
	t.Run("thresholds up to the first not reached", func(t *testing.T) {
		c := newSalesChart([]salesMonth{{month(1), "100000", "900000"}, {month(2), "200000", "1100000"}}, rules)
		if len(c.Bars) != 2 || len(c.Dots) != 2 || len(c.Thresholds) != 2 {
			t.Fatalf("bars %d, dots %d, thresholds %d; want 2, 2, 2 (Tier 3 left out)", len(c.Bars), len(c.Dots), len(c.Thresholds))
		}
		if !c.Thresholds[0].Met || c.Thresholds[1].Met {
			t.Fatalf("Tier 1 reached, Tier 2 not: %+v", c.Thresholds)
		}
		if top := c.Ticks[len(c.Ticks)-1].Label; top != "$2.5M" && top != "$3M" {
			t.Fatalf("top tick %s: want a round value above USD 2M", top)
		}
		for _, b := range c.Bars {
			if b.Y < c.Top || b.Y+b.H > c.Bottom+0.01 || b.H < 0 {
				t.Fatalf("bar outside the plot: %+v", b)
			}
		}
		if !strings.Contains(c.Bars[1].Title, "USD 200,000.00") {
			t.Fatalf("bar title %q: want the exact amount", c.Bars[1].Title)
		}
	})
	// Every threshold keeps its label, beyond the end of the plot (where no
	// bar or line runs), and no two labels overlap, however close the lines.
	t.Run("labels", func(t *testing.T) {
		tiers4 := []threshold{{"Tier 1", "25000"}, {"Tier 2", "100000"}, {"Tier 3", "1000000"}, {"Tier 4", "4000000"}}
		sales := []salesMonth{{month(1), "300000", "1500000"}, {month(2), "400000", "2200000"}, {month(3), "300000", "2500000"}}
		for _, sz := range []chartSize{wideChart, narrowChart} {
			c := layoutChart(sz, sales, tiers4, []markAt{{month(2), "Tier 3 unlocked"}})
			if len(c.Thresholds) != 4 {
				t.Fatalf("%s: %d thresholds, want 4", sz.id, len(c.Thresholds))
			}
			for i, r := range c.Thresholds {
				if !r.ShowLabel || r.Label == "" || !strings.HasPrefix(r.Label, tiers4[i].Tier) {
					t.Fatalf("%s: threshold %d unlabelled: %+v", sz.id, i, r)
				}
				if r.LabelY < c.Top || r.LabelY > c.Bottom+sz.font {
					t.Fatalf("%s: label %q outside the chart at %.1f", sz.id, r.Label, r.LabelY)
				}
				if i > 0 && c.Thresholds[i-1].LabelY-r.LabelY < sz.font {
					t.Fatalf("%s: labels %q and %q overlap", sz.id, c.Thresholds[i-1].Label, r.Label)
				}
			}
			for _, d := range c.Dots {
				if d.X >= c.Right {
					t.Fatalf("%s: the line runs into the label gutter", sz.id)
				}
			}
			if len(c.Marks) != 1 || c.Marks[0].X != c.Dots[1].X || !c.Bars[1].Marked {
				t.Fatalf("%s: the unlock month is not marked: %+v", sz.id, c.Marks)
			}
		}
		cs := newSalesCharts(sales, tiers4)
		if !cs.Reached || !cs.Unreached || cs.Narrow.Font <= cs.Wide.Font*float64(narrowChart.width)/float64(wideChart.width) {
			t.Fatalf("two layouts: reached %v, unreached %v, narrow text %.0f", cs.Reached, cs.Unreached, cs.Narrow.Font)
		}
		if m := reachedMark(sales, tiers4); len(m) != 1 || m[0].Label != "Tier 3 reached" || !m[0].Month.Equal(month(1)) {
			t.Fatalf("reached mark: %+v, want Tier 3 reached in the first month", m)
		}
	})
}

// The one list of pages: every route is unique, every page with a template
// has one, every navigation entry has a title and an audit path, and the
// navigation shows each area only its own pages.
func TestPagesDeclaredOnce(t *testing.T) {
	tmpl := mustParsePages()
	seen := map[string]bool{}
	for _, p := range pages {
		if seen[p.route] {
			t.Errorf("route %q declared twice", p.route)
		}
		seen[p.route] = true
		if p.name != "" {
			if _, ok := tmpl[p.name]; !ok {
				t.Errorf("%s: no template %q", p.route, p.name)
			}
		}
		if p.nav && (p.title == "" || p.audit == "") {
			t.Errorf("%s: a navigation entry needs a title and an audit path", p.route)
		}
		if (p.area == public) != (p.plain != nil) || (p.area != public) != (p.sess != nil) {
			t.Errorf("%s: handler does not match its area", p.route)
		}
	}
	for _, tc := range []struct {
		p    auth.Principal
		want []string
	}{
		{auth.Principal{Role: auth.RoleRewards}, []string{"/desk/", "/desk/sla", "/desk/tiers", "/desk/packs", "/desk/contact", "/desk/assistance", "/desk/outbox"}},
		{auth.Principal{Role: auth.RolePartner, PartnerID: "p 1"}, []string{"/portal/p%201/", "/portal/p%201/reports", "/portal/p%201/attribution", "/portal/p%201/rewards"}},
	} {
		t.Run(string(tc.p.Role), func(t *testing.T) {
			var got []string
			for _, n := range navFor(&session{p: tc.p}, "") {
				got = append(got, n.Href)
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Fatalf("nav %v, want %v", got, tc.want)
			}
		})
	}
}
