//go:build tools

// Package hydra pins Ory Hydra, the OpenID Connect provider the sign-in tests start.
// It is its own module so Hydra's large dependency graph never enters the product's go.mod.
package hydra

import _ "github.com/ory/hydra/v2"
