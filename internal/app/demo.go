package app

import "context"

// loadDemo is replaced by the demo organisation.
func (a *App) loadDemo(ctx context.Context) error { return nil }
