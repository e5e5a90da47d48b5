package analytics

import (
	"bytes"
	"compress/gzip"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/marketplace-insights/insights/serve"
	"github.com/marketplace-insights/insights/serve/analytics/pcql"
	"github.com/marketplace-insights/insights/serve/auth"
	"github.com/marketplace-insights/insights/sql/duckstore"
)

// Prefixes the API answers on: Partner Center's current one and the older
// v1 one that its first documentation used.
var prefixes = []string{"/insights/v1.1/cmp", "/insights/v1/cmp"}

// maxBody bounds a request body: a report or query definition is small.
const maxBody = 64 << 10

// Handler is the whole API: mount it at "/insights/".
// Register mounts the API under /insights/ on r.
func (s *Service) Register(r serve.Router) { r.Handle("/insights/", s.Handler()) }

// Handler is the API alone, on its own mux.
func (s *Service) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, p := range prefixes {
		mux.Handle("GET "+p+"/ScheduledDataset", s.auth(s.getDatasets))
		mux.Handle("GET "+p+"/ScheduledQueries", s.auth(s.getQueries))
		mux.Handle("POST "+p+"/ScheduledQueries", s.auth(s.createQuery))
		mux.Handle("DELETE "+p+"/ScheduledQueries/{queryId}", s.auth(s.deleteQuery))
		mux.Handle("GET "+p+"/ScheduledQueries/testQueryResult", s.auth(s.testQuery))
		mux.Handle("GET "+p+"/ScheduledReport", s.auth(s.getReports))
		mux.Handle("POST "+p+"/ScheduledReport", s.auth(s.createReport))
		mux.Handle("PUT "+p+"/ScheduledReport/{reportId}", s.auth(s.updateReportHandler))
		mux.Handle("DELETE "+p+"/ScheduledReport/{reportId}", s.auth(s.deleteReport))
		mux.Handle("PUT "+p+"/ScheduledReport/pause/{reportId}", s.auth(s.pauseReport))
		mux.Handle("PUT "+p+"/ScheduledReport/resume/{reportId}", s.auth(s.resumeReport))
		mux.Handle("GET "+p+"/ScheduledReport/execution/{reportId}", s.auth(s.getExecutions))
		mux.HandleFunc("GET "+p+"/ScheduledReport/download/{executionId}", s.download)
	}
	mux.HandleFunc("/insights/", func(w http.ResponseWriter, r *http.Request) {
		envelope(w, http.StatusNotFound, nil, "no such API: "+r.Method+" "+r.URL.Path)
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > maxBody {
			envelope(w, http.StatusRequestEntityTooLarge, nil, "request body too large")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		mux.ServeHTTP(w, r)
	})
}

type partnerCall func(w http.ResponseWriter, r *http.Request, p auth.Principal)

// auth admits partner tokens of the download API; each call sees only its
// partner's rows.
func (s *Service) auth(h partnerCall) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := auth.Authenticate(r.Context(), s.tokens, r)
		if errors.Is(err, auth.ErrUnauthenticated) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="insights"`)
			envelope(w, http.StatusUnauthorized, nil, err.Error())
			return
		}
		if err != nil {
			s.internal(w, r, "authenticate", err)
			return
		}
		if p.Role != auth.RolePartner || p.PartnerID == "" {
			envelope(w, http.StatusForbidden, nil, "the analytics API answers partner tokens only")
			return
		}
		h(w, r, p)
	})
}

// ---- responses

// envelope writes Partner Center's response shape. value is always an array.
func envelope(w http.ResponseWriter, code int, value any, message string) {
	writeEnvelope(w, code, value, message, "")
}

func writeEnvelope(w http.ResponseWriter, code int, value any, message, nextLink string) {
	n := 0
	if value == nil {
		value = []any{}
	} else if l, ok := value.(interface{ Len() int }); ok {
		n = l.Len()
	}
	body := struct {
		Value      any     `json:"value"`
		NextLink   string  `json:"nextLink,omitempty"`
		TotalCount int     `json:"totalCount"`
		Message    *string `json:"message"`
		StatusCode int     `json:"statusCode"`
	}{Value: value, NextLink: nextLink, TotalCount: n, StatusCode: code}
	if message != "" {
		body.Message = &message
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(body); err != nil {
		code, buf = http.StatusInternalServerError, *bytes.NewBufferString(`{"value":[],"totalCount":0,"message":"internal error","statusCode":500}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_, _ = w.Write(buf.Bytes())
}

// list is a JSON array that knows its length (for totalCount).
type list[T any] []T

func (l list[T]) Len() int { return len(l) }

func (s *Service) internal(w http.ResponseWriter, r *http.Request, what string, err error) {
	s.log.Error("analytics "+what+" failed", "path", r.URL.Path, "err", err)
	envelope(w, http.StatusInternalServerError, nil, "internal error")
}

// param reads a query parameter by name in any case. The query string is
// split on '&' only: Partner Center separates several values with ';'
// (executionStatus=Pending;Completed), which url.ParseQuery refuses, dropping
// the whole parameter. '+' is a space, as HTML forms and fetch's
// URLSearchParams encode it.
func param(r *http.Request, name string) string {
	for pair := range strings.SplitSeq(r.URL.RawQuery, "&") {
		k, v, _ := strings.Cut(pair, "=")
		key, err := url.QueryUnescape(k)
		if err != nil || !strings.EqualFold(key, name) {
			continue
		}
		return strings.TrimSpace(lenientUnescape(v))
	}
	return ""
}

// lenientUnescape decodes a query value's %XX escapes and '+', keeping a '%'
// that starts no escape: the C# sample puts the query text into the URL
// unencoded, so "LIKE '%ab%'" arrives with bare percent signs.
func lenientUnescape(v string) string {
	if val, err := url.QueryUnescape(v); err == nil {
		return val
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '+':
			b.WriteByte(' ')
		case c == '%' && i+2 < len(v) && isHex(v[i+1]) && isHex(v[i+2]):
			n, _ := strconv.ParseUint(v[i+1:i+3], 16, 8)
			b.WriteByte(byte(n))
			i += 2
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// boolParam reads a true/false parameter; def when absent.
func boolParam(r *http.Request, name string, def bool) (bool, error) {
	v := param(r, name)
	if v == "" {
		return def, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%s must be true or false, not %q", name, v)
	}
	return b, nil
}

// decode reads a JSON body into v. encoding/json matches keys in any case,
// which is what Partner Center's clients rely on (ReportName, reportName).
func decode(r *http.Request, v any) error {
	b, err := io.ReadAll(r.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return errors.New("request body too large")
	}
	if err != nil {
		return errors.New("unreadable request body")
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) // a BOM some clients write
	if len(bytes.TrimSpace(b)) == 0 {
		return errors.New("the request body is empty; expected a JSON object")
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("the request body is not the expected JSON object: %v", err)
	}
	return nil
}

func timeText(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

func timePtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := timeText(*t)
	return &s
}

// timeLayouts are the forms of a request time the documented clients send:
// the documentation's yyyy-MM-ddTHH:mm:ssZ (any offset, fractions of a
// second as JavaScript's toISOString writes them), the C# sample's default
// yyyy-MM-dd HH:mm:ssZ, either without a zone (UTC), and a date alone.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999",
	time.DateOnly,
}

// parseTime reads a request time in one of timeLayouts; anything else is
// refused naming the expected format.
func parseTime(field, v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, v); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%s %q: want yyyy-MM-ddTHH:mm:ssZ (also accepted: yyyy-MM-dd HH:mm:ssZ, without the Z for UTC, or yyyy-MM-dd)", field, v)
}

// ---- datasets

type datasetView struct {
	DatasetName         string            `json:"datasetName"`
	SelectableColumns   []string          `json:"selectableColumns"`
	AvailableMetrics    []string          `json:"availableMetrics"`
	AvailableDateRanges []string          `json:"availableDateRanges"`
	ColumnTypes         map[string]string `json:"columnTypes"` // ours: how a literal is read
}

func (s *Service) getDatasets(w http.ResponseWriter, r *http.Request, _ auth.Principal) {
	name := param(r, "datasetName")
	out := list[datasetView]{}
	for _, n := range s.cat.Names() {
		ds, _ := s.cat.Lookup(n)
		if name != "" && !strings.EqualFold(name, ds.Name) {
			continue
		}
		v := datasetView{DatasetName: ds.Name, SelectableColumns: ds.Selectable(), AvailableMetrics: ds.Metrics(),
			AvailableDateRanges: ds.Ranges, ColumnTypes: map[string]string{}}
		for _, c := range ds.Columns {
			v.ColumnTypes[c.Name] = c.Type.String()
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		envelope(w, http.StatusNotFound, nil, fmt.Sprintf("no dataset %q; datasets: %s", name, strings.Join(s.cat.Names(), ", ")))
		return
	}
	envelope(w, http.StatusOK, out, "")
}

// ---- queries

type queryView struct {
	QueryID      string  `json:"queryId"`
	Name         string  `json:"name"`
	Description  string  `json:"description"`
	Query        string  `json:"query"`
	Type         string  `json:"type"`
	User         string  `json:"user"`
	CreatedTime  string  `json:"createdTime"`
	ModifiedTime *string `json:"modifiedTime"`
}

func viewQuery(q Query) queryView {
	t := "userDefined"
	if q.System {
		t = "system"
	}
	return queryView{QueryID: q.ID, Name: q.Name, Description: q.Description, Query: q.Text, Type: t, User: q.User,
		CreatedTime: timeText(q.CreatedAt)}
}

func (s *Service) getQueries(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	withSystem, err := boolParam(r, "includeSystemQueries", true)
	if err != nil {
		envelope(w, http.StatusBadRequest, nil, err.Error())
		return
	}
	onlySystem, err := boolParam(r, "includeOnlySystemQueries", false)
	if err != nil {
		envelope(w, http.StatusBadRequest, nil, err.Error())
		return
	}
	id, name := param(r, "queryId"), param(r, "queryName")
	out := list[queryView]{}
	if withSystem || onlySystem {
		for _, q := range systemQueries {
			q, _ := systemQuery(q.ID)
			if (id == "" || q.ID == id) && (name == "" || strings.EqualFold(q.Name, name)) {
				out = append(out, viewQuery(q))
			}
		}
	}
	if !onlySystem {
		qs, err := s.listQueries(r.Context(), p.PartnerID, id, name)
		if err != nil {
			s.internal(w, r, "list queries", err)
			return
		}
		for _, q := range qs {
			out = append(out, viewQuery(q))
		}
	}
	if len(out) == 0 && (id != "" || name != "") {
		envelope(w, http.StatusNotFound, nil, "no such query")
		return
	}
	envelope(w, http.StatusOK, out, "")
}

func (s *Service) createQuery(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	var req struct {
		Name        string
		Description string
		Query       string
	}
	if err := decode(r, &req); err != nil {
		envelope(w, http.StatusBadRequest, nil, err.Error())
		return
	}
	req.Name, req.Query = strings.TrimSpace(req.Name), strings.TrimSpace(req.Query)
	if req.Name == "" || req.Query == "" {
		envelope(w, http.StatusBadRequest, nil, "Name and Query are required")
		return
	}
	if len(req.Name) > 200 || len(req.Description) > 2000 {
		envelope(w, http.StatusBadRequest, nil, "Name (200) or Description (2000 characters) too long")
		return
	}
	if _, err := pcql.Check(req.Query, s.cat); err != nil {
		envelope(w, http.StatusBadRequest, nil, "invalid query: "+err.Error())
		return
	}
	q := Query{ID: newID(), Name: req.Name, Description: req.Description, Text: req.Query, User: p.TokenID, CreatedAt: s.now().Truncate(time.Second)}
	if err := s.insertQuery(r.Context(), p.PartnerID, q); err != nil {
		s.internal(w, r, "create query", err)
		return
	}
	envelope(w, http.StatusOK, list[queryView]{viewQuery(q)}, "Query created successfully")
}

func (s *Service) deleteQuery(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	id := r.PathValue("queryId")
	if _, ok := systemQuery(id); ok {
		envelope(w, http.StatusBadRequest, nil, "system queries cannot be deleted")
		return
	}
	qs, err := s.listQueries(r.Context(), p.PartnerID, id, "")
	if err != nil {
		s.internal(w, r, "find query", err)
		return
	}
	if len(qs) == 0 {
		envelope(w, http.StatusNotFound, nil, "no such query")
		return
	}
	if _, err := s.exec(r.Context(), "query_delete", p.PartnerID, id); err != nil {
		s.internal(w, r, "delete query", err)
		return
	}
	envelope(w, http.StatusOK, list[queryView]{viewQuery(qs[0])}, "Query deleted successfully")
}

// findQuery is a system query or one of the partner's own.
func (s *Service) findQuery(r *http.Request, partner, id string) (Query, bool, error) {
	if q, ok := systemQuery(id); ok {
		return q, true, nil
	}
	qs, err := s.listQueries(r.Context(), partner, id, "")
	if err != nil || len(qs) == 0 {
		return Query{}, false, err
	}
	return qs[0], true, nil
}

// testQuery runs a query at once and returns its rows, a page at a time
// (Partner Center returns at most 100 rows, unpaged).
func (s *Service) testQuery(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	text, id := param(r, "exportQuery"), param(r, "queryId")
	switch {
	case text != "" && id != "":
		envelope(w, http.StatusBadRequest, nil, "give exportQuery or queryId, not both")
		return
	case text == "" && id == "":
		envelope(w, http.StatusBadRequest, nil, "give exportQuery (a query) or queryId")
		return
	case id != "":
		q, ok, err := s.findQuery(r, p.PartnerID, id)
		if err != nil {
			s.internal(w, r, "find query", err)
			return
		}
		if !ok {
			envelope(w, http.StatusNotFound, nil, "no such query")
			return
		}
		text = q.Text
	}
	pageSize, skip := int64(s.cfg.PageSize), int64(0)
	for _, pp := range []struct {
		name string
		dst  *int64
		max  int64
	}{{"pageSize", &pageSize, int64(s.cfg.MaxPage)}, {"skip", &skip, 1 << 40}} {
		if v := param(r, pp.name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 || n > pp.max || (pp.name == "pageSize" && n == 0) {
				envelope(w, http.StatusBadRequest, nil, fmt.Sprintf("%s must be a whole number from %d to %d", pp.name, map[bool]int{true: 1}[pp.name == "pageSize"], pp.max))
				return
			}
			*pp.dst = n
		}
	}
	override, err := spanParams(r, "startTime", "endTime")
	if err != nil {
		envelope(w, http.StatusBadRequest, nil, err.Error())
		return
	}
	end, err := s.windowEnd(r.Context(), s.now())
	if err != nil {
		s.internal(w, r, "data end", err)
		return
	}
	// One row more than the page says whether there is a next page.
	c, err := pcql.Compile(text, s.cat, pcql.Options{PartnerID: p.PartnerID, End: end, Override: override,
		Offset: skip, PageSize: pageSize + 1})
	if err != nil {
		envelope(w, http.StatusBadRequest, nil, "invalid query: "+err.Error())
		return
	}
	rows, err := s.queryRows(r, c)
	if err != nil {
		s.internal(w, r, "run query", err)
		return
	}
	next := ""
	if int64(len(rows)) > pageSize && (c.Limit == 0 || skip+pageSize < c.Limit) {
		rows = rows[:pageSize]
		u := *r.URL
		q := u.Query()
		for k := range q {
			if strings.EqualFold(k, "skip") {
				q.Del(k)
			}
		}
		q.Set("skip", strconv.FormatInt(skip+pageSize, 10))
		u.RawQuery = q.Encode()
		next = s.base() + u.RequestURI()
	} else if int64(len(rows)) > pageSize {
		rows = rows[:pageSize]
	}
	writeEnvelope(w, http.StatusOK, rows, "", next)
}

// spanParams reads an explicit date window; nil when neither is given.
func spanParams(r *http.Request, from, to string) (*pcql.Span, error) {
	f, t := param(r, from), param(r, to)
	if f == "" && t == "" {
		return nil, nil
	}
	var sp pcql.Span
	var err error
	if f != "" {
		if sp.From, err = parseTime(from, f); err != nil {
			return nil, err
		}
	}
	if t != "" {
		if sp.To, err = parseTime(to, t); err != nil {
			return nil, err
		}
	}
	if !sp.From.IsZero() && !sp.To.IsZero() && sp.To.Before(sp.From) {
		return nil, fmt.Errorf("%s is before %s", to, from)
	}
	return &sp, nil
}

// row is one result row: its columns in order, as a JSON object.
type row struct {
	cols []pcql.Column
	vals []any
}

func (r row) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, c := range r.cols {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(c.Name)
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(jsonValue(r.vals[i], c.Type))
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// jsonValue keeps decimals exact (a JSON number with the stored digits) and
// writes dates and times as Partner Center does.
func jsonValue(v any, t pcql.Type) any {
	if d, ok := duckstore.DecimalText(v); ok {
		return json.Number(d)
	}
	switch x := v.(type) {
	case time.Time:
		if t == pcql.Date {
			return x.Format(time.DateOnly)
		}
		return timeText(utc(x))
	case *big.Int:
		return json.Number(x.String())
	case []byte:
		return string(x)
	}
	return v
}

func (s *Service) queryRows(r *http.Request, c *pcql.Compiled) (list[row], error) {
	rs, err := s.store.Query(r.Context(), c.SQL, c.Args...)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	out := list[row]{}
	for rs.Next() {
		vals := make([]any, len(c.Columns))
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, row{cols: c.Columns, vals: vals})
	}
	return out, rs.Err()
}

// base is the public base URL of links.
func (s *Service) base() string { return strings.TrimRight(s.cfg.PublicURL, "/") }

// ---- reports

type reportView struct {
	ReportID           string  `json:"reportId"`
	ReportName         string  `json:"reportName"`
	Description        string  `json:"description"`
	QueryID            string  `json:"queryId"`
	Query              string  `json:"query"`
	User               string  `json:"user"`
	CreatedTime        string  `json:"createdTime"`
	ModifiedTime       *string `json:"modifiedTime"`
	StartTime          string  `json:"startTime"`
	ReportStatus       string  `json:"reportStatus"`
	RecurrenceInterval int     `json:"recurrenceInterval"`
	RecurrenceCount    *int    `json:"recurrenceCount"`
	CallbackURL        *string `json:"callbackUrl"`
	CallbackMethod     *string `json:"callbackMethod"`
	Format             string  `json:"format"`
	ExecuteNow         bool    `json:"executeNow"`
	QueryStartTime     *string `json:"queryStartTime"`
	QueryEndTime       *string `json:"queryEndTime"`
	NextExecutionTime  *string `json:"nextExecutionTime"` // ours
	CallbackSecret     *string `json:"callbackSecret"`    // ours: the key callbacks are signed with
}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func viewReport(r *Report) reportView {
	return reportView{ReportID: r.ID, ReportName: r.Name, Description: r.Description, QueryID: r.QueryID, Query: r.Query,
		User: r.User, CreatedTime: timeText(r.CreatedAt), ModifiedTime: timePtr(r.ModifiedAt), StartTime: timeText(r.StartTime),
		ReportStatus: r.Status, RecurrenceInterval: r.RecurrenceInterval, RecurrenceCount: r.RecurrenceCount,
		CallbackURL: strPtr(r.CallbackURL), CallbackMethod: strPtr(r.CallbackMethod), Format: r.Format, ExecuteNow: r.ExecuteNow,
		QueryStartTime: timePtr(r.QueryStartTime), QueryEndTime: timePtr(r.QueryEndTime), NextExecutionTime: timePtr(r.NextRunAt),
		CallbackSecret: strPtr(r.CallbackSecret)}
}

func (s *Service) getReports(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	id, name, qid := param(r, "reportId"), param(r, "reportName"), param(r, "queryId")
	rs, err := s.listReports(r.Context(), p.PartnerID, id, name, qid)
	if err != nil {
		s.internal(w, r, "list reports", err)
		return
	}
	if len(rs) == 0 && (id != "" || name != "" || qid != "") {
		envelope(w, http.StatusNotFound, nil, "no such report")
		return
	}
	out := list[reportView]{}
	for _, rep := range rs {
		out = append(out, viewReport(rep))
	}
	envelope(w, http.StatusOK, out, "")
}

// reportRequest is a create or update body; nil fields were not given.
type reportRequest struct {
	ReportName         *string
	Description        *string
	QueryID            *string `json:"QueryId"`
	StartTime          *string
	RecurrenceInterval *int
	RecurrenceCount    *int
	Format             *string
	CallbackURL        *string `json:"CallbackUrl"`
	CallbackMethod     *string
	ExecuteNow         *bool
	QueryStartTime     *string
	QueryEndTime       *string
}

// Recurrence bounds, in hours. Partner Center documents 4 to 90; a week or a
// month (up to a year) is allowed here too.
const (
	minInterval = 4
	maxInterval = 24 * 366
)

// apply sets the given fields on rep, checking each.
func (s *Service) apply(req reportRequest, rep *Report) error {
	if req.ReportName != nil {
		rep.Name = strings.TrimSpace(*req.ReportName)
	}
	if rep.Name == "" || len(rep.Name) > 200 {
		return errors.New("ReportName is required (at most 200 characters)")
	}
	if req.Description != nil {
		rep.Description = *req.Description
	}
	if len(rep.Description) > 2000 {
		return errors.New("the Description is longer than 2000 characters")
	}
	if req.Format != nil {
		f := strings.ToLower(strings.TrimSpace(*req.Format))
		if _, ok := formats[f]; !ok {
			return fmt.Errorf("the Format %q is not CSV, TSV, Parquet or xlsx", *req.Format)
		}
		rep.Format = f
	}
	if req.CallbackURL != nil {
		rep.CallbackURL = strings.TrimSpace(*req.CallbackURL)
	}
	if rep.CallbackURL != "" {
		if err := s.cfg.Callbacks.checkURL(rep.CallbackURL); err != nil {
			return err
		}
		if rep.CallbackSecret == "" {
			rep.CallbackSecret = NewWebhookSecret()
		}
	}
	if req.CallbackMethod != nil {
		rep.CallbackMethod = strings.ToUpper(strings.TrimSpace(*req.CallbackMethod))
	}
	if rep.CallbackMethod == "" && rep.CallbackURL != "" {
		rep.CallbackMethod = http.MethodPost
	}
	if rep.CallbackMethod != "" && rep.CallbackMethod != http.MethodPost && rep.CallbackMethod != http.MethodGet {
		return fmt.Errorf("CallbackMethod %q: want POST or GET", rep.CallbackMethod)
	}
	for _, f := range []struct {
		name string
		in   *string
		dst  **time.Time
	}{{"QueryStartTime", req.QueryStartTime, &rep.QueryStartTime}, {"QueryEndTime", req.QueryEndTime, &rep.QueryEndTime}} {
		if f.in != nil && strings.TrimSpace(*f.in) != "" {
			t, err := parseTime(f.name, *f.in)
			if err != nil {
				return err
			}
			*f.dst = &t
		}
	}
	if rep.QueryStartTime != nil && rep.QueryEndTime != nil && rep.QueryEndTime.Before(*rep.QueryStartTime) {
		return errors.New("QueryEndTime is before QueryStartTime")
	}
	if rep.ExecuteNow {
		return nil // StartTime, RecurrenceInterval and RecurrenceCount are ignored, as documented
	}
	if req.StartTime != nil {
		t, err := parseTime("StartTime", *req.StartTime)
		if err != nil {
			return err
		}
		rep.StartTime = t
	}
	if rep.StartTime.IsZero() {
		return errors.New("StartTime is required (yyyy-MM-ddTHH:mm:ssZ) unless ExecuteNow is true")
	}
	if req.RecurrenceInterval != nil {
		rep.RecurrenceInterval = *req.RecurrenceInterval
	}
	if rep.RecurrenceInterval < minInterval || rep.RecurrenceInterval > maxInterval {
		return fmt.Errorf("RecurrenceInterval must be %d to %d hours, not %d", minInterval, maxInterval, rep.RecurrenceInterval)
	}
	if req.RecurrenceCount != nil {
		c := *req.RecurrenceCount
		if c < 1 || c > 100_000 {
			return fmt.Errorf("RecurrenceCount must be at least 1, not %d", c)
		}
		rep.RecurrenceCount = &c
	}
	return nil
}

func (s *Service) createReport(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	var req reportRequest
	if err := decode(r, &req); err != nil {
		envelope(w, http.StatusBadRequest, nil, err.Error())
		return
	}
	now := s.now().Truncate(time.Second)
	rep := &Report{ID: newID(), PartnerID: p.PartnerID, User: p.TokenID, CreatedAt: now, Format: "csv",
		ExecuteNow: req.ExecuteNow != nil && *req.ExecuteNow, Status: reportActive}
	if req.QueryID == nil || strings.TrimSpace(*req.QueryID) == "" {
		envelope(w, http.StatusBadRequest, nil, "QueryId is required")
		return
	}
	q, ok, err := s.findQuery(r, p.PartnerID, strings.TrimSpace(*req.QueryID))
	if err != nil {
		s.internal(w, r, "find query", err)
		return
	}
	if !ok {
		envelope(w, http.StatusBadRequest, nil, fmt.Sprintf("QueryId %q: no such query", *req.QueryID))
		return
	}
	rep.QueryID, rep.Query = q.ID, q.Text
	if err := s.apply(req, rep); err != nil {
		envelope(w, http.StatusBadRequest, nil, err.Error())
		return
	}
	if rep.ExecuteNow {
		// One execution, now; the report has nothing more to schedule.
		one := 1
		rep.StartTime, rep.RecurrenceInterval, rep.RecurrenceCount = now, 0, &one
		rep.Status, rep.Scheduled = reportInactive, 1
	} else {
		next := rep.StartTime
		rep.NextRunAt = &next
	}
	if err := s.insertReport(r.Context(), rep); err != nil {
		s.internal(w, r, "create report", err)
		return
	}
	if rep.ExecuteNow {
		if _, err := s.insertExecution(r.Context(), rep, now, statusPending); err != nil {
			s.internal(w, r, "create execution", err)
			return
		}
	}
	if rep.ExecuteNow || !rep.StartTime.After(now) {
		s.Kick()
	}
	envelope(w, http.StatusOK, list[reportView]{viewReport(rep)}, "Report created successfully")
}

// partnerReport finds the {reportId} report of the caller; it has answered 404 when ok is false.
func (s *Service) partnerReport(w http.ResponseWriter, r *http.Request, p auth.Principal) (*Report, bool) {
	rep, err := s.report(r.Context(), p.PartnerID, r.PathValue("reportId"))
	if errors.Is(err, errNotFound) {
		envelope(w, http.StatusNotFound, nil, "no such report")
		return nil, false
	}
	if err != nil {
		s.internal(w, r, "find report", err)
		return nil, false
	}
	return rep, true
}

func (s *Service) updateReportHandler(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	var req reportRequest
	if err := decode(r, &req); err != nil {
		envelope(w, http.StatusBadRequest, nil, err.Error())
		return
	}
	rep, ok := s.partnerReport(w, r, p)
	if !ok {
		return
	}
	if req.QueryID != nil && strings.TrimSpace(*req.QueryID) != rep.QueryID {
		envelope(w, http.StatusBadRequest, nil, "QueryId cannot change; create a new report")
		return
	}
	req.ExecuteNow = nil
	start, interval := rep.StartTime, rep.RecurrenceInterval
	if err := s.apply(req, rep); err != nil {
		envelope(w, http.StatusBadRequest, nil, err.Error())
		return
	}
	now := s.now().Truncate(time.Second)
	rep.ModifiedAt = &now
	if !rep.ExecuteNow && (!start.Equal(rep.StartTime) || interval != rep.RecurrenceInterval) && rep.Status == reportActive {
		next := nextOccurrence(rep.StartTime, rep.RecurrenceInterval, now)
		rep.NextRunAt = &next
	}
	if err := s.updateReport(r.Context(), rep); err != nil {
		s.internal(w, r, "update report", err)
		return
	}
	envelope(w, http.StatusOK, list[reportView]{viewReport(rep)}, "Report updated successfully")
}

func (s *Service) deleteReport(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	rep, ok := s.partnerReport(w, r, p)
	if !ok {
		return
	}
	ctx := r.Context()
	var paths []string
	err := s.each(ctx, "executions_of_report", []any{p.PartnerID, rep.ID}, func(rows *sql.Rows) error {
		var id, path string
		err := rows.Scan(&id, &path)
		if path != "" {
			paths = append(paths, path)
		}
		return err
	})
	if err == nil {
		_, err = s.exec(ctx, "attempts_delete", p.PartnerID, rep.ID, "")
	}
	if err == nil {
		_, err = s.exec(ctx, "executions_delete", p.PartnerID, rep.ID, "")
	}
	if err == nil {
		_, err = s.exec(ctx, "report_delete", p.PartnerID, rep.ID)
	}
	for _, path := range paths {
		if err == nil {
			err = s.removeFile(path)
		}
	}
	if err != nil {
		s.internal(w, r, "delete report", err)
		return
	}
	envelope(w, http.StatusOK, list[reportView]{viewReport(rep)}, "Report deleted successfully")
}

func (s *Service) pauseReport(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	s.setPaused(w, r, p, true)
}

func (s *Service) resumeReport(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	s.setPaused(w, r, p, false)
}

// setPaused pauses a report (its executions waiting to run wait with it) or
// resumes it. A resumed report continues from its next occurrence after now:
// what fell in the pause is not caught up (that is what pausing asked for),
// but executions that were pending when it paused run at once.
func (s *Service) setPaused(w http.ResponseWriter, r *http.Request, p auth.Principal, pause bool) {
	verb, status, from, to := "resume", reportActive, statusPaused, statusPending
	if pause {
		verb, status, from, to = "pause", reportPaused, statusPending, statusPaused
	}
	rep, ok := s.partnerReport(w, r, p)
	if !ok {
		return
	}
	if rep.Status == reportInactive {
		envelope(w, http.StatusBadRequest, nil, "the report has no executions left to "+verb)
		return
	}
	now := s.now().Truncate(time.Second)
	rep.Status, rep.ModifiedAt = status, &now
	if !pause && rep.NextRunAt != nil {
		next := nextOccurrence(rep.StartTime, rep.RecurrenceInterval, now)
		rep.NextRunAt = &next
	}
	if err := s.updateReport(r.Context(), rep); err != nil {
		s.internal(w, r, verb+" report", err)
		return
	}
	if _, err := s.exec(r.Context(), "executions_set_status", p.PartnerID, rep.ID, from, to); err != nil {
		s.internal(w, r, verb+" executions", err)
		return
	}
	if !pause {
		s.Kick()
	}
	envelope(w, http.StatusOK, list[reportView]{viewReport(rep)}, "Report "+verb+"d successfully")
}

// ---- executions

type executionView struct {
	ExecutionID            string  `json:"executionId"`
	ReportID               string  `json:"reportId"`
	RecurrenceInterval     int     `json:"recurrenceInterval"`
	RecurrenceCount        *int    `json:"recurrenceCount"`
	CallbackURL            *string `json:"callbackUrl"`
	Format                 string  `json:"format"`
	ExecutionStatus        string  `json:"executionStatus"`
	ReportLocation         *string `json:"reportLocation"` // where the file is; the secure link is it, signed
	ReportAccessSecureLink *string `json:"reportAccessSecureLink"`
	ReportExpiryTime       *string `json:"reportExpiryTime"`
	ReportGeneratedTime    *string `json:"reportGeneratedTime"`
	// Ours: what the execution was for and what it delivered.
	ScheduledTime    string  `json:"scheduledTime"`
	DataStartDate    *string `json:"dataStartDate"`
	DataEndDate      *string `json:"dataEndDate"`
	RowCount         int64   `json:"rowCount"`
	SizeBytes        int64   `json:"sizeBytes"`
	SHA256           *string `json:"sha256"`
	Message          *string `json:"message"`
	CallbackStatus   *string `json:"callbackStatus"`
	CallbackAttempts int     `json:"callbackAttempts"`
}

// linkID is what a download link signs: a namespace keeps it apart from the
// download API's own report links, which share the key.
func linkID(executionID string) string { return "analytics-execution:" + executionID }

func (s *Service) executionView(r *Report, e *Execution) executionView {
	v := executionView{ExecutionID: e.ID, ReportID: e.ReportID, RecurrenceInterval: r.RecurrenceInterval,
		RecurrenceCount: r.RecurrenceCount, CallbackURL: strPtr(r.CallbackURL), Format: e.Format,
		ExecutionStatus: e.Status, ReportExpiryTime: timePtr(e.Expires), ScheduledTime: timeText(e.ScheduledAt),
		RowCount: e.Rows, SizeBytes: e.Size, SHA256: strPtr(e.SHA256), Message: strPtr(e.Error),
		CallbackStatus: strPtr(e.CallbackStatus), CallbackAttempts: e.CallbackAttempts}
	if e.Status == statusCompleted {
		v.ReportGeneratedTime = timePtr(e.GeneratedAt)
	}
	if e.DataFrom != nil {
		d := e.DataFrom.Format(time.DateOnly)
		v.DataStartDate = &d
	}
	if e.DataTo != nil {
		d := e.DataTo.Format(time.DateOnly)
		v.DataEndDate = &d
	}
	if e.Status == statusCompleted && e.Expires != nil {
		exp := e.Expires.Unix()
		q := url.Values{"exp": {strconv.FormatInt(exp, 10)}, "sig": {auth.SignLink(s.cfg.LinkSecret, linkID(e.ID), exp)}}
		location := s.base() + prefixes[0] + "/ScheduledReport/download/" + e.ID
		link := location + "?" + q.Encode()
		v.ReportLocation, v.ReportAccessSecureLink = &location, &link
	}
	return v
}

var executionStatuses = map[string]string{"pending": statusPending, "running": statusRunning, "paused": statusPaused,
	"completed": statusCompleted, "failed": statusFailed}

// getExecutions lists a report's executions, newest first. As in Partner
// Center the defaults are executionStatus=Completed and
// getLatestExecution=true; with getLatestExecution=false it is the last 90
// days. Without executionStatus, a report that has no completed execution yet
// answers its latest execution whatever its status, as the documentation's
// first call shows (a Pending execution of a new report) and as clients that
// poll until Completed expect. An active report's next occurrence is listed as
// a Pending execution (with the id it will run under) before the scheduler
// creates it. 404 when nothing matches (executionStatus=Completed before the
// first completed run).
func (s *Service) getExecutions(w http.ResponseWriter, r *http.Request, p auth.Principal) {
	rep, ok := s.partnerReport(w, r, p)
	if !ok {
		return
	}
	latest, err := boolParam(r, "getLatestExecution", true)
	if err != nil {
		envelope(w, http.StatusBadRequest, nil, err.Error())
		return
	}
	statuses := map[string]bool{}
	given := param(r, "executionStatus")
	for st := range strings.SplitSeq(given, ";") {
		if strings.TrimSpace(st) == "" {
			continue
		}
		canon, ok := executionStatuses[strings.ToLower(strings.TrimSpace(st))]
		if !ok {
			envelope(w, http.StatusBadRequest, nil, fmt.Sprintf("executionStatus %q: want Pending, Running, Paused, Completed or Failed", st))
			return
		}
		statuses[canon] = true
	}
	ids := map[string]bool{}
	for id := range strings.SplitSeq(param(r, "executionId"), ";") {
		if id = strings.TrimSpace(id); id != "" {
			ids[id] = true
		}
	}
	es, err := s.listExecutions(r.Context(), p.PartnerID, rep.ID)
	if err != nil {
		s.internal(w, r, "list executions", err)
		return
	}
	if up := upcoming(rep, es); up != nil {
		es = append([]*Execution{up}, es...)
	}
	pick := func(keep func(*Execution) bool) list[executionView] {
		out := list[executionView]{}
		for _, e := range es {
			if !keep(e) || (len(ids) > 0 && !ids[e.ID]) {
				continue
			}
			out = append(out, s.executionView(rep, e))
			if latest {
				break
			}
		}
		return out
	}
	var out list[executionView]
	if len(statuses) > 0 {
		out = pick(func(e *Execution) bool { return statuses[e.Status] })
	} else {
		out = pick(func(e *Execution) bool { return e.Status == statusCompleted })
		if len(out) == 0 {
			out = pick(func(*Execution) bool { return true })
		}
	}
	if len(out) == 0 {
		envelope(w, http.StatusNotFound, nil, "no execution of this report matches (by default: the latest Completed one)")
		return
	}
	envelope(w, http.StatusOK, out, "")
}

// upcoming is the Pending execution of an active report's next occurrence
// when the scheduler has not created it yet (nil otherwise).
func upcoming(rep *Report, es []*Execution) *Execution {
	if rep.Status != reportActive || rep.NextRunAt == nil || rep.ExecuteNow {
		return nil
	}
	id := occurrenceID(rep.ID, *rep.NextRunAt)
	for _, e := range es {
		if e.ID == id {
			return nil
		}
	}
	return &Execution{ID: id, ReportID: rep.ID, PartnerID: rep.PartnerID, ScheduledAt: *rep.NextRunAt,
		Status: statusPending, Format: rep.Format, CreatedAt: rep.CreatedAt}
}

var executionIDPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// download serves a delivered file to whoever holds its signed link, until
// the link expires (410 Gone after).
func (s *Service) download(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("executionId")
	if !executionIDPattern.MatchString(id) {
		envelope(w, http.StatusNotFound, nil, "no such report file")
		return
	}
	q := r.URL.Query()
	switch err := auth.VerifyLink(s.cfg.LinkSecret, linkID(id), q.Get("exp"), q.Get("sig"), s.now()); {
	case errors.Is(err, auth.ErrLinkExpired):
		envelope(w, http.StatusGone, nil, "this report link has expired")
		return
	case err != nil:
		envelope(w, http.StatusForbidden, nil, "invalid report link")
		return
	}
	e, err := s.execution(r.Context(), id)
	if errors.Is(err, errNotFound) {
		envelope(w, http.StatusNotFound, nil, "no such report file")
		return
	}
	if err != nil {
		s.internal(w, r, "find execution", err)
		return
	}
	if e.Path == "" {
		envelope(w, http.StatusGone, nil, "this report file has expired")
		return
	}
	root, err := os.OpenRoot(s.cfg.OutRoot)
	if err != nil {
		s.internal(w, r, "open out root", err)
		return
	}
	defer root.Close()
	f, err := root.Open(filepath.FromSlash(e.Path))
	if err != nil {
		s.log.Error("delivered report file unavailable", "execution_id", e.ID, "err", err)
		envelope(w, http.StatusGone, nil, "this report file is no longer available")
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		s.internal(w, r, "stat report file", err)
		return
	}
	name := "report"
	if rep, err := s.report(r.Context(), e.PartnerID, e.ReportID); err == nil {
		name = safeName(rep.Name)
	}
	if e.GeneratedAt != nil {
		name += "_" + e.GeneratedAt.Format("20060102T150405Z")
	}
	h := w.Header()
	h.Set("Content-Type", contentTypes[e.Format])
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name + "." + e.Format}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	if !textFormats[e.Format] {
		if len(e.SHA256) == 64 {
			h.Set("ETag", `"`+e.SHA256+`"`)
		}
		http.ServeContent(w, r, "", info.ModTime(), f)
		return
	}
	// CSV and TSV go out gzip-compressed with Content-Encoding: gzip, as
	// Partner Center's storage serves them: Microsoft's Java sample reads the
	// body through a GZIPInputStream without asking for compression, while
	// the C# sample, Python requests, fetch and PowerShell undo the encoding
	// themselves. Only a client that refuses gzip gets the plain file.
	h.Add("Vary", "Accept-Encoding")
	if !acceptsGzip(r.Header.Values("Accept-Encoding")) {
		if len(e.SHA256) == 64 {
			h.Set("ETag", `"`+e.SHA256+`"`)
		}
		http.ServeContent(w, r, "", info.ModTime(), f)
		return
	}
	if len(e.SHA256) == 64 {
		h.Set("ETag", `"`+e.SHA256+`-gzip"`)
	}
	h.Set("Content-Encoding", "gzip")
	h.Set("Last-Modified", info.ModTime().UTC().Format(http.TimeFormat))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	zw := gzip.NewWriter(w)
	if _, err := io.Copy(zw, f); err != nil {
		s.log.Warn("report download cut short", "execution_id", e.ID, "err", err)
		return
	}
	if err := zw.Close(); err != nil {
		s.log.Warn("report download cut short", "execution_id", e.ID, "err", err)
	}
}

// textFormats are the formats served gzip-encoded.
var textFormats = map[string]bool{"csv": true, "tsv": true}

// acceptsGzip reads Accept-Encoding: no header means any encoding is
// acceptable (RFC 9110), so gzip; a header that lists neither gzip nor "*"
// with a weight above zero refuses it.
func acceptsGzip(values []string) bool {
	if len(values) == 0 {
		return true
	}
	gz, star := -1.0, -1.0
	for _, v := range values {
		for part := range strings.SplitSeq(v, ",") {
			name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			q := 1.0
			if k, val, ok := strings.Cut(strings.TrimSpace(params), "="); ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(val), 64); err == nil {
					q = f
				}
			}
			switch strings.ToLower(strings.TrimSpace(name)) {
			case "gzip", "x-gzip":
				gz = q
			case "*":
				star = q
			}
		}
	}
	if gz >= 0 {
		return gz > 0
	}
	return star > 0
}

var contentTypes = map[string]string{
	"csv":     "text/csv; charset=utf-8",
	"tsv":     "text/tab-separated-values; charset=utf-8",
	"parquet": "application/vnd.apache.parquet",
	"xlsx":    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

func safeName(s string) string {
	s = strings.Trim(unsafeName.ReplaceAllString(s, "_"), "_")
	if len(s) > 100 {
		s = s[:100]
	}
	if s == "" {
		return "report"
	}
	return s
}
