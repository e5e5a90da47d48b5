package app

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"time"
)

// ServeConfig is the [serve] section: the partner download service.
type ServeConfig struct {
	Addr              string        `toml:"addr"`                // listen address
	PublicURL         string        `toml:"public_url"`          // base of signed links; "" = from the request's Host
	LinkTTL           time.Duration `toml:"link_ttl"`            // signed link lifetime (and the most a caller may ask)
	Secret            string        `toml:"secret"`              // link signing key; "" = env INSIGHTS_LINK_SECRET, else generated and kept in the database
	MaxRequestBytes   int64         `toml:"max_request_bytes"`   // request body limit
	MaxHeaderBytes    int           `toml:"max_header_bytes"`    // request header limit
	ReadHeaderTimeout time.Duration `toml:"read_header_timeout"` // time to send the headers
	ReadTimeout       time.Duration `toml:"read_timeout"`        // time to send the whole request
	WriteTimeout      time.Duration `toml:"write_timeout"`       // time to send a whole response (a download)
	IdleTimeout       time.Duration `toml:"idle_timeout"`        // keep-alive
	ShutdownTimeout   time.Duration `toml:"shutdown_timeout"`    // bound on finishing requests and the running job at shutdown
}

// minSecretLen keeps configured link secrets at HMAC-SHA256 key strength.
const minSecretLen = 32

func defaultServeConfig() ServeConfig {
	return ServeConfig{
		Addr:              "127.0.0.1:8080",
		LinkTTL:           24 * time.Hour,
		MaxRequestBytes:   64 << 10,
		MaxHeaderBytes:    16 << 10,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      10 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ShutdownTimeout:   30 * time.Second,
	}
}

func (c ServeConfig) validate() []error {
	var errs []error
	// An empty host (":8080") listens on every interface: allowed, never the default.
	if _, port, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("serve.addr %q: want host:port", c.Addr))
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		errs = append(errs, fmt.Errorf("serve.addr %q: bad port", c.Addr))
	}
	if c.PublicURL != "" {
		u, err := url.Parse(c.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
			errs = append(errs, fmt.Errorf("serve.public_url %q: want http(s)://host[:port][/prefix]", c.PublicURL))
		}
	}
	if c.Secret != "" && len(c.Secret) < minSecretLen {
		errs = append(errs, fmt.Errorf("serve.secret: %d characters, want at least %d", len(c.Secret), minSecretLen))
	}
	if c.MaxRequestBytes <= 0 {
		errs = append(errs, errors.New("serve.max_request_bytes must be positive"))
	}
	if c.MaxHeaderBytes <= 0 {
		errs = append(errs, errors.New("serve.max_header_bytes must be positive"))
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{
		{"link_ttl", c.LinkTTL}, {"read_header_timeout", c.ReadHeaderTimeout}, {"read_timeout", c.ReadTimeout},
		{"write_timeout", c.WriteTimeout}, {"idle_timeout", c.IdleTimeout}, {"shutdown_timeout", c.ShutdownTimeout},
	} {
		if d.v <= 0 {
			errs = append(errs, fmt.Errorf("serve.%s = %s: must be positive", d.name, d.v))
		}
	}
	return errs
}
