package app

import (
	"fmt"
	"net/mail"
	"os"
	"time"

	smtpmail "github.com/marketplace-insights/insights/serve/mail"
)

// SMTPConfig is the [smtp] section: the mail server `insights serve` sends the
// rewards outbox through (docs/configuration.md). No host: nothing is sent, the
// outbox is kept and shown on the desk.
type SMTPConfig struct {
	Host     string        `toml:"host"`
	Port     int           `toml:"port"`         // default 587
	From     string        `toml:"from"`         // the sender address
	StartTLS *bool         `toml:"starttls"`     // require STARTTLS (default true)
	User     string        `toml:"user"`         // "" = no authentication
	Password string        `toml:"password_env"` // the environment variable holding the password (default INSIGHTS_SMTP_PASSWORD)
	Poll     time.Duration `toml:"poll"`         // how often the outbox is checked (default 5s)
	Backoff  time.Duration `toml:"backoff"`      // first retry delay after a temporary failure, doubled per attempt (default 30s)
}

// Configured reports whether mail is sent.
func (c SMTPConfig) Configured() bool { return c.Host != "" }

func (c SMTPConfig) validate() []error {
	if !c.Configured() {
		return nil
	}
	var errs []error
	if _, err := mail.ParseAddress(c.From); err != nil {
		errs = append(errs, fmt.Errorf("smtp.from %q: want a mail address", c.From))
	}
	if c.Port < 0 || c.Port > 65535 {
		errs = append(errs, fmt.Errorf("smtp.port %d: want 1-65535", c.Port))
	}
	return errs
}

// sender resolves the section, reading the password from its variable.
func (c SMTPConfig) sender() smtpmail.Config {
	env := c.Password
	if env == "" {
		env = "INSIGHTS_SMTP_PASSWORD"
	}
	tls := c.StartTLS == nil || *c.StartTLS
	return smtpmail.Config{Host: c.Host, Port: c.Port, From: c.From, StartTLS: tls, User: c.User, Password: os.Getenv(env), Poll: c.Poll, Backoff: c.Backoff}
}
