// Cases that fail on webgpu for a reason the backend cannot change, each with its reason. The suite
// expects these to fail there; once one passes it fails, so that its entry is removed here.
export const WEBGPU_KNOWN_FAILURES: Record<string, string> = {};
