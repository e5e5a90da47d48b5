//go:build unix

package transform

import (
	"syscall"
	"time"
)

// processCPU is the CPU time (user and system, every thread) this process has
// used so far. The step log reports it beside the wall time: on a machine
// shared with other work the wall time of a step says little about its cost.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
