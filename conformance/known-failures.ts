// Cases that fail for a reason outside what the conformance work may change, each with its reason.
// The suite expects these to fail; once one passes it fails, so that its entry is removed here.
export const KNOWN_FAILURES: Record<string, string> = {};
