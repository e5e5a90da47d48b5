package ingest

import (
	"crypto/sha256"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkHashAndCount: the line statistics ride on the hashing read; the
// figure to watch is hash+count against hash alone (MB/s of each).
func BenchmarkHashAndCount(b *testing.B) {
	p := filepath.Join(b.TempDir(), "orders.csv")
	row := `"A-123456","L-1","1","Active","3","10.500000","USD","2025-06-01","Contoso, Ltd.","Billed through Azure","false"` + "\n"
	if err := os.WriteFile(p, []byte(strings.Repeat(row, (64<<20)/len(row))), 0o644); err != nil {
		b.Fatal(err)
	}
	st, _ := os.Stat(p)
	b.Run("hash", func(b *testing.B) {
		b.SetBytes(st.Size())
		for i := 0; i < b.N; i++ {
			f, err := os.Open(p)
			if err != nil {
				b.Fatal(err)
			}
			h := sha256.New()
			if _, err := io.CopyBuffer(h, f, make([]byte, 1<<20)); err != nil {
				b.Fatal(err)
			}
			f.Close()
		}
	})
	b.Run("hash+count", func(b *testing.B) {
		b.SetBytes(st.Size())
		for i := 0; i < b.N; i++ {
			if _, _, err := hashAndCount(p, DefaultMaxRowBytes); err != nil {
				b.Fatal(err)
			}
		}
	})
}
