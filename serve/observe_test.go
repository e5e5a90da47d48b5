package serve

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestStatusWriterKeepsReadFrom: the access-log wrapper passes a file copy
// on to the connection's ReadFrom (sendfile for an *os.File) and still counts
// the status and bytes.
func TestStatusWriterKeepsReadFrom(t *testing.T) {
	rec := httptest.NewRecorder()
	var w io.Writer = &statusWriter{ResponseWriter: rec}
	rf, ok := w.(io.ReaderFrom)
	if !ok {
		t.Fatal("statusWriter hides ReadFrom: downloads would not use sendfile")
	}
	n, err := rf.ReadFrom(strings.NewReader("report bytes"))
	if err != nil || n != 12 || rec.Body.String() != "report bytes" {
		t.Fatalf("ReadFrom = %d %v, body %q", n, err, rec.Body.String())
	}
	sw := w.(*statusWriter)
	if sw.status != 200 || sw.bytes != 12 {
		t.Fatalf("status %d bytes %d, want 200 and 12", sw.status, sw.bytes)
	}
}
