// Command insights is the Marketplace Insights CLI: ingest, transform, reports,
// reviews and the scheduled service. It is the only place that exits the process.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/marketplace-insights/insights/cmd/internal/app"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := app.Execute(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
