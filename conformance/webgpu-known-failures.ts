// Cases that fail on webgpu for a reason the backend cannot change, each with its reason. The suite
// expects these to fail there; once one passes it fails, so that its entry is removed here.
//
// None at present. Errors a kernel finds while it runs (integer division by zero, an index out of
// range, a singular matrix) are recorded in the backend's device error flag and raised at the next
// read with PyTorch's message; the suite reads the result and the inputs of a case that expects an
// error on a queued device (see check() in conformance.test.ts).

export const WEBGPU_KNOWN_FAILURES: Record<string, string> = {};
