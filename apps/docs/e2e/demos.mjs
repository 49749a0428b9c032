// Checks that each interactive demo reacts to its controls, keyed by page path.
// Each check gets the page (already loaded at desktop size) and { shot(label) } for screenshots.

export const demoChecks = {};
