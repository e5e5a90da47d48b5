package reports

// SetAfterRename lets the external tests act between a file's rename and its
// manifest row; it returns a function that removes the hook.
func SetAfterRename(f func(rel string)) (restore func()) {
	afterRename = f
	return func() { afterRename = nil }
}
