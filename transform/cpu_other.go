//go:build !unix

package transform

import "time"

// processCPU is unknown here (see cpu_unix.go): the step log shows 0.
func processCPU() time.Duration { return 0 }
