package ingest

import (
	"io"
	"path/filepath"
	"sync"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// Terminal is a progress output that log lines can share: while a bar is
// showing, what is written to the Terminal is printed above the bar instead
// of through it. Give it to Options.Progress and point the logger at it.
type Terminal struct {
	mu sync.Mutex
	w  io.Writer
	p  *mpb.Progress
}

// NewTerminal wraps w (a terminal).
func NewTerminal(w io.Writer) *Terminal { return &Terminal{w: w} }

func (t *Terminal) Write(b []byte) (int, error) {
	t.mu.Lock()
	p := t.p
	t.mu.Unlock()
	if p != nil {
		if n, err := p.Write(b); err == nil {
			return n, nil
		}
	}
	return t.w.Write(b)
}

func (t *Terminal) attach(p *mpb.Progress) {
	t.mu.Lock()
	t.p = p
	t.mu.Unlock()
}

// progress is one bar for the run, in bytes, with the file being read. It is
// a no-op without an output.
type progress struct {
	p       *mpb.Progress
	bar     *mpb.Bar
	term    *Terminal
	mu      sync.Mutex
	current string
}

func newProgress(w io.Writer, files []foundFile) *progress {
	pr := &progress{}
	if w == nil || len(files) == 0 {
		return pr
	}
	var total int64
	for _, f := range files {
		total += f.size
	}
	if total == 0 {
		return pr
	}
	out := w
	if t, ok := w.(*Terminal); ok {
		out, pr.term = t.w, t
	}
	pr.p = mpb.New(mpb.WithOutput(out), mpb.WithWidth(40))
	pr.bar = pr.p.AddBar(total,
		mpb.PrependDecorators(
			decor.Name("ingest "),
			decor.CountersKibiByte("% .1f / % .1f"),
		),
		mpb.AppendDecorators(
			decor.Percentage(decor.WCSyncSpace),
			decor.Name(" "),
			decor.Elapsed(decor.ET_STYLE_GO),
			decor.Any(func(decor.Statistics) string {
				pr.mu.Lock()
				defer pr.mu.Unlock()
				return "  " + pr.current
			}),
		),
	)
	if pr.term != nil {
		pr.term.attach(pr.p)
	}
	return pr
}

func (pr *progress) start(path string) {
	if pr.bar == nil {
		return
	}
	pr.mu.Lock()
	pr.current = filepath.Base(path)
	pr.mu.Unlock()
}

func (pr *progress) finish(size int64) {
	if pr.bar != nil {
		pr.bar.IncrInt64(size)
	}
}

func (pr *progress) done() {
	if pr.p == nil {
		return
	}
	if !pr.bar.Completed() {
		pr.bar.Abort(false)
	}
	pr.p.Wait()
	if pr.term != nil {
		pr.term.attach(nil)
	}
}
