// The conformance matrix: every case of fixtures/conformance/*.json (PyTorch 1.13's answers, written by
// scripts/gen_fixtures.py) replayed on every registered backend. See conformance/api.ts for how each
// PyTorch API maps to Kindling, and conformance/fixtures.ts for the tolerances.
import { afterAll, describe, expect, it } from 'vitest';
import * as torch from '@kindling/tensor';
import { backendInfo } from '@kindling/backend-cpu';
import '@kindling/backend-webgpu';
import type { Tensor } from '@kindling/tensor';
import { API } from './api.js';
import { KNOWN_FAILURES } from './known-failures.js';
import { WEBGPU_KNOWN_FAILURES } from './webgpu-known-failures.js';
import { openWebGPU, type Refusal, refusalOf } from './webgpu.js';
import {
  type Built, type Case, arrayMismatch, buildInput, decodeArg, describe as show, listMismatch, loadAreas, readValues, scalarMismatch,
  tensorMismatch, valuesMismatch,
} from './fixtures.js';

const areas = loadAreas();
// KINDLING_CONFORMANCE_BACKENDS=cpu limits the matrix (the TypeScript-kernel run of the cpu backend).
const only = process.env['KINDLING_CONFORMANCE_BACKENDS']?.split(',').filter(Boolean);
const webgpu = only && !only.includes('webgpu') ? null : await openWebGPU();
const backends = torch.registeredBackends().filter((b) => (b !== 'webgpu' || webgpu) && (!only || only.includes(b)));
const ran = new Map<string, number>(backends.map((b) => [b, 0]));
/** webgpu cases refused for a documented reason (float64, synchronous reads, ops without a kernel yet). */
const refused = new Map<Refusal, number>();
let webgpuPassed = 0;

const cpuInfo = backendInfo();
const cpuKernels = cpuInfo.native ? `native addon (${cpuInfo.isa}) and TypeScript kernels` : `TypeScript kernels only (${cpuInfo.reason})`;

describe('the cpu kernels this run checks', () => {
  it(`are ${process.env['KINDLING_NO_NATIVE'] ? 'the TypeScript kernels (KINDLING_NO_NATIVE is set)' : 'those in use'}`, () => {
    if (process.env['KINDLING_NO_NATIVE']) expect(cpuInfo.native).toBe(false);
  });
});

afterAll(() => {
  for (const [backend, n] of ran) console.log(`conformance: ${n} cases on ${backend}${backend === 'cpu' ? `, ${cpuKernels}` : ''}`);
  if (!webgpu) return;
  const total = [...refused.values()].reduce((a, b) => a + b, 0);
  const known = Object.keys(WEBGPU_KNOWN_FAILURES).length;
  console.log(`conformance: webgpu: ${webgpuPassed} passed, ${total} refused, ${known} known failures`);
  for (const [why, n] of [...refused].sort((a, b) => b[1] - a[1])) console.log(`conformance: webgpu refused ${n}: ${why}`);
  const reasons = new Map<string, number>();
  for (const why of Object.values(WEBGPU_KNOWN_FAILURES)) reasons.set(why, (reasons.get(why) ?? 0) + 1);
  for (const [why, n] of reasons) console.log(`conformance: webgpu known failures ${n}: ${why}`);
});

/** Raised by a call that webgpu refused for a documented reason: the case is counted, not compared. */
class Refused extends Error {
  constructor(readonly reason: Refusal) {
    super(reason);
  }
}

/** Why the call's outcome differs from PyTorch's, or null. */
async function check(c: Case, device: string): Promise<string | null> {
  const built: Built[] = c.inputs.map((spec) => buildInput(spec, device));
  const inputs = built.map((b) => b.tensor);
  const args = decodeArg(c.args, inputs, device) as unknown[];
  const kwargs = decodeArg(c.kwargs ?? {}, inputs, device) as Record<string, unknown>;
  const call = API[c.api];
  if (!call) return `no entry for ${c.api} in conformance/api.ts`;
  const exp = c.expected;

  let result: unknown;
  let error: unknown = null;
  try {
    result = call(args, kwargs);
  } catch (e) {
    error = e;
  }
  if (device === 'webgpu' && error !== null) {
    const reason = refusalOf(error, c);
    if (reason) throw new Refused(reason);
  }

  if ('error' in exp) {
    // A queued device raises what its kernels find while they run (an index out of range, an integer
    // division by zero, a singular matrix) at the next read, as CUDA does: read the result and the inputs.
    if (error === null && queued(device)) error = await errorAtRead(result, inputs);
    if (error === null) return `expected an error containing "${exp.error.match ?? exp.error.message}", got ${show(result)}`;
    if (!(error instanceof Error)) return `threw a non-Error: ${show(error)}`;
    const match = exp.error.match ?? exp.error.message;
    if (!error.message.includes(match)) return `error message "${error.message}" does not contain "${match}"`;
  } else {
    if (error !== null) return `threw ${error instanceof Error ? `${error.name}: ${error.message}` : show(error)}`;
    const why = await resultMismatch(result, c, inputs);
    if (why) return why;
  }
  // Inputs hold what PyTorch left in them: unchanged, or (in-place ops) the new values, also in the base of a view.
  for (let i = 0; i < built.length; i++) {
    const { tensor, storage } = built[i]!;
    const spec = c.inputs[i]!;
    const expected = c.after?.[String(i)] ?? spec.storage ?? spec.values!;
    const why = valuesMismatch(await readValues(storage ?? tensor), expected, spec.dtype);
    if (why) return `input ${i} ${c.after?.[String(i)] ? 'after the call' : 'changed'}: ${why}`;
  }
  return null;
}

/** Devices whose work is queued (no synchronous read): their kernels' errors surface at a read. */
function queued(device: string): boolean {
  return torch.getBackend(device.split(':')[0]!).readSync === undefined;
}

/** The error raised by reading the call's result (its tensors) and then the inputs, or null. */
async function errorAtRead(result: unknown, inputs: readonly Tensor[]): Promise<unknown> {
  const parts = Array.isArray(result) ? result : result !== null && typeof result === 'object' && 'values' in result ? [result.values, (result as { indices?: unknown }).indices] : [result];
  for (const t of [...parts.filter((p): p is Tensor => torch.isTensor(p)), ...inputs]) {
    try {
      await t.data();
    } catch (e) {
      return e;
    }
  }
  return null;
}

async function resultMismatch(result: unknown, c: Case, inputs: readonly Tensor[]): Promise<string | null> {
  const exp = c.expected;
  if ('tensor' in exp) {
    const why = await tensorMismatch(result, exp.tensor);
    if (why) return why;
    const t = result as Tensor;
    if (c.alias !== undefined) return t === inputs[c.alias] ? null : `expected the result to be input ${c.alias} itself`;
    if (inputs.some((x) => x === t)) return 'the result is an input itself, PyTorch returns a new tensor';
    if (c.view !== undefined) return t.storageId === inputs[c.view]!.storageId ? null : `expected a view of input ${c.view}`;
    if (t.numel() > 0 && inputs.some((x) => x.storageId === t.storageId)) return 'the result shares an input\'s storage, PyTorch copies';
    return null;
  }
  if ('tuple' in exp) {
    const r = result as { values?: unknown; indices?: unknown } | null;
    if (r === null || typeof r !== 'object' || !('values' in r)) return `expected (values, indices), got ${show(result)}`;
    const parts = [r.values, r.indices];
    for (let i = 0; i < exp.tuple.length; i++) {
      const why = await tensorMismatch(parts[i], exp.tuple[i]!);
      if (why) return `${i === 0 ? 'values' : 'indices'}: ${why}`;
    }
    return null;
  }
  if ('tensors' in exp) {
    if (!Array.isArray(result)) return `expected a list of ${exp.tensors.length} tensors, got ${show(result)}`;
    if (result.length !== exp.tensors.length) return `${result.length} tensors, expected ${exp.tensors.length}`;
    for (let i = 0; i < exp.tensors.length; i++) {
      const why = await tensorMismatch(result[i], exp.tensors[i]!);
      if (why) return `tensor ${i}: ${why}`;
      // Views (split, unbind) share the input's storage in every non-empty part; other lists share nothing.
      const t = result[i] as Tensor;
      if (t.numel() === 0) continue;
      if (c.view !== undefined && t.storageId !== inputs[c.view]!.storageId) return `tensor ${i}: expected a view of input ${c.view}`;
      if (c.view === undefined && inputs.some((x) => x.storageId === t.storageId)) return `tensor ${i} shares an input's storage, PyTorch copies`;
    }
    return null;
  }
  if ('scalar' in exp) return scalarMismatch(result, exp.scalar);
  if ('string' in exp) return result === exp.string ? null : `${show(result)} ≠ "${exp.string}"`;
  if ('list' in exp) return listMismatch(result, exp.list);
  if ('array' in exp) return arrayMismatch(result, exp.array);
  return 'unknown expectation';
}

for (const area of areas) {
  describe(area.area, () => {
    for (const backend of backends) {
      describe(backend, () => {
        it.each(area.cases.map((c) => ({ ...c, name: c.id })))('$name', async (c) => {
          ran.set(backend, ran.get(backend)! + 1);
          let why: string | null;
          try {
            why = await check(c, backend);
          } catch (e) {
            if (!(e instanceof Refused)) throw e;
            refused.set(e.reason, (refused.get(e.reason) ?? 0) + 1);
            return;
          }
          const known = backend === 'webgpu' ? WEBGPU_KNOWN_FAILURES[c.id] ?? KNOWN_FAILURES[c.id] : KNOWN_FAILURES[c.id];
          if (known !== undefined) {
            if (why === null) expect.fail(`${c.id} on ${backend} passes now: remove it from conformance/${backend === 'webgpu' && WEBGPU_KNOWN_FAILURES[c.id] ? 'webgpu-' : ''}known-failures.ts`);
            return;
          }
          if (why !== null) expect.fail(`${c.id} on ${backend}: ${why}`);
          if (backend === 'webgpu') webgpuPassed++;
        });
      });
    }
  });
}
