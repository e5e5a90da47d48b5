package ingest

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// headBytes is how much of a file's beginning is examined for its encoding.
const headBytes = 8 << 10

// checkEncoding names what a text file that ingest cannot read really is,
// from its first bytes: compressed or archived data, UTF-16 or UTF-32 text,
// an old Excel workbook, or binary bytes. nil means it may be UTF-8 text (the
// header is checked separately).
func checkEncoding(head []byte) error {
	switch {
	case bytes.HasPrefix(head, []byte{0x1F, 0x8B}):
		return badFilef("gzip-compressed data (the file starts with gzip's magic bytes 1f 8b): decompress it before ingesting")
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return badFilef("a ZIP archive (an .xlsx workbook is one): export it as CSV or unzip it before ingesting")
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return badFilef("an old Excel workbook (.xls), not text: export it as CSV")
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE, 0x00, 0x00}):
		return badFilef("UTF-32 (little-endian) text with a byte-order mark: save it as UTF-8")
	case bytes.HasPrefix(head, []byte{0x00, 0x00, 0xFE, 0xFF}):
		return badFilef("UTF-32 (big-endian) text with a byte-order mark: save it as UTF-8")
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return badFilef("UTF-16 (little-endian) text with a byte-order mark: save it as UTF-8")
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return badFilef("UTF-16 (big-endian) text with a byte-order mark: save it as UTF-8")
	}
	if i := bytes.IndexByte(head, 0); i >= 0 {
		if looksUTF16(head) {
			return badFilef("UTF-16 text without a byte-order mark (every other byte is 00): save it as UTF-8")
		}
		return badFilef("binary data, not text (a 00 byte at offset %d)", i)
	}
	ctrl := 0
	for _, c := range head {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' {
			ctrl++
		}
	}
	if ctrl > 0 && ctrl*10 > len(head) {
		return badFilef("binary data, not text (%d control bytes in the first %d)", ctrl, len(head))
	}
	return nil
}

// looksUTF16 reports whether the 00 bytes sit at every other offset, as in
// UTF-16 text that is mostly ASCII.
func looksUTF16(b []byte) bool {
	if len(b) < 4 {
		return false
	}
	var zeros [2]int
	for i, c := range b {
		if c == 0 {
			zeros[i%2]++
		}
	}
	half := len(b) / 2
	return (zeros[0]*10 >= half*8 && zeros[1] == 0) || (zeros[1]*10 >= half*8 && zeros[0] == 0)
}

// checkUTF8 refuses a header that is not valid UTF-8, naming the first bad
// byte: the file is most likely in a legacy code page.
func checkUTF8(what string, b []byte) error {
	if utf8.Valid(b) {
		return nil
	}
	off := 0
	for off < len(b) {
		r, n := utf8.DecodeRune(b[off:])
		if r == utf8.RuneError && n <= 1 {
			break
		}
		off += n
	}
	return badFilef("%s is not valid UTF-8 (byte %02x at offset %d; Windows-1252 or Latin-1?): save the file as UTF-8", what, b[off], off)
}

// excerptBytes is how much of a quarantined file's beginning is recorded.
const excerptBytes = 120

// excerpt is the beginning of a file as a safe, printable string: Go-quoted,
// so bytes that are not printable UTF-8 read as \x.. escapes.
func excerpt(path string) (string, bool) {
	f, err := os.Open(path)
	if err != nil {
		return "", false
	}
	defer f.Close()
	b := make([]byte, excerptBytes)
	n, err := io.ReadFull(f, b)
	if n == 0 && err != nil {
		return "", false
	}
	return strconv.Quote(string(b[:n])), true
}

// safeText makes a message storable and printable: invalid UTF-8 and control
// characters (other than none) are escaped rather than passed on to the
// database (which refuses invalid UTF-8) or a terminal.
func safeText(s string) string {
	ok := utf8.ValidString(s)
	if ok {
		for _, r := range s {
			if unicode.IsControl(r) {
				ok = false
				break
			}
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unicode.IsControl(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// crOnly reports whether the file's lines end with a bare carriage return
// (classic Mac OS): its first line terminator is a CR not followed by LF, and
// bare CRs outnumber LFs in its first bytes (a bare CR inside a quoted value
// of an LF file is data).
func crOnly(head []byte) bool {
	i := bytes.IndexAny(head, "\r\n")
	if i < 0 || head[i] != '\r' || (i+1 < len(head) && head[i+1] == '\n') {
		return false
	}
	lf := bytes.Count(head, []byte{'\n'})
	return bytes.Count(head, []byte{'\r'})-bytes.Count(head, []byte("\r\n")) > lf
}

// translateCR copies a CR-only file to dst with every bare CR turned into LF,
// byte for byte: offsets and line numbers stay those of the original, and
// DuckDB's reader and the record scanner, which split lines at LF, read it
// as intended. A CR followed by LF is left alone.
func translateCR(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(out, 1<<20)
	buf := make([]byte, 1<<20)
	held := false // the previous block ended with a CR, not written yet
	for {
		n, rerr := in.Read(buf)
		b := buf[:n]
		if held && n > 0 {
			c := byte('\n')
			if b[0] == '\n' {
				c = '\r'
			}
			if err := w.WriteByte(c); err != nil {
				out.Close()
				return err
			}
			held = false
		}
		if n > 0 && b[n-1] == '\r' {
			held, b = true, b[:n-1]
		}
		for i, c := range b {
			// At the block's end the next byte is the held CR, not an LF.
			if c == '\r' && (i+1 == len(b) || b[i+1] != '\n') {
				b[i] = '\n'
			}
		}
		if _, err := w.Write(b); err != nil {
			out.Close()
			return err
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			out.Close()
			return rerr
		}
	}
	if held {
		if err := w.WriteByte('\n'); err != nil {
			out.Close()
			return err
		}
	}
	if err := w.Flush(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
