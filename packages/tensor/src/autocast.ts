// Automatic mixed precision (handbook 13.4): `torch.autocast`. While a region is active for a device
// type, the dispatcher casts the floating inputs of listed ops before running them, as PyTorch's
// Autocast dispatch keys do: matrix products and convolutions run in the lower precision (bfloat16 on
// cpu, float16 or bfloat16 on cuda), numerically sensitive ops in float32, and ops that combine several
// tensors at their widest floating type. Casts are ordinary (differentiable) copies, so gradients flow
// back through them and float32 leaves receive float32 gradients.
//
// The state lives in an async context in Node (like grad mode), so `await` inside a region keeps it and
// concurrent async work never sees another region's state; in browsers regions are synchronous-only.
// It is kept on `globalThis` under one symbol, so that two bundled copies of this package share it.
import type { DType } from './dtype.js';
import { isFloatingPoint, promoteTypes } from './dtype.js';
import { registry } from './registry.js';
import type { Tensor } from './tensor.js';

/** How an op's floating inputs are cast inside an autocast region (PyTorch's CastPolicy). */
export type AutocastPolicy = 'lower_precision_fp' | 'fp32' | 'fp32_set_opt_dtype' | 'promote';

/** PyTorch 1.13's autocast op lists (aten/src/ATen/autocast_mode.cpp), by device type and policy. */
export const AUTOCAST_OP_LISTS: Readonly<Record<'cpu' | 'cuda', Readonly<Partial<Record<AutocastPolicy, readonly string[]>>>>> = {
  cpu: {
    lower_precision_fp: [
      'conv1d', 'conv2d', 'conv3d', 'bmm', 'mm', 'baddbmm', 'addmm', 'addbmm', 'linear', '_convolution', 'matmul', 'conv_tbc',
      'mkldnn_rnn', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d', 'prelu',
    ],
    fp32: [
      'avg_pool3d', 'binary_cross_entropy', 'grid_sampler', 'polar', 'prod', 'quantile', 'nanquantile', 'stft', 'cdist', 'trace',
      'view_as_complex', 'cholesky', 'cholesky_inverse', 'cholesky_solve', 'inverse', 'lu_solve', 'orgqr', 'ormqr', 'pinverse',
      'max_pool3d', 'max_unpool2d', 'max_unpool3d', 'adaptive_avg_pool3d', 'reflection_pad1d', 'reflection_pad2d',
      'replication_pad1d', 'replication_pad2d', 'replication_pad3d', 'mse_loss', 'cosine_embedding_loss', 'nll_loss', 'nll_loss2d',
      'hinge_embedding_loss', 'poisson_nll_loss', 'smooth_l1_loss', 'cross_entropy_loss', 'l1_loss', 'huber_loss',
      'margin_ranking_loss', 'soft_margin_loss', 'triplet_margin_loss', 'multi_margin_loss', 'ctc_loss', 'kl_div',
      'multilabel_margin_loss', 'binary_cross_entropy_with_logits', 'fft_fft', 'fft_ifft', 'fft_fft2', 'fft_ifft2', 'fft_fftn',
      'fft_ifftn', 'fft_rfft', 'fft_irfft', 'fft_rfft2', 'fft_irfft2', 'fft_rfftn', 'fft_irfftn', 'fft_hfft', 'fft_ihfft',
      'linalg_cond', 'linalg_matrix_rank', 'linalg_solve', 'linalg_cholesky', 'linalg_svdvals', 'linalg_eigvals', 'linalg_eigvalsh',
      'linalg_inv', 'linalg_householder_product', 'linalg_tensorinv', 'linalg_tensorsolve', 'fake_quantize_per_tensor_affine',
      'geqrf', '_lu_with_info', 'qr', 'svd', 'triangular_solve', 'fractional_max_pool2d', 'fractional_max_pool3d',
      'adaptive_max_pool3d', 'multilabel_margin_loss_forward', 'linalg_qr', 'linalg_cholesky_ex', 'linalg_svd', 'linalg_eig',
      'linalg_eigh', 'linalg_lstsq', 'linalg_inv_ex',
    ],
    promote: ['stack', 'cat', 'index_copy'],
  },
  cuda: {
    lower_precision_fp: [
      '_convolution', 'conv1d', 'conv2d', 'conv3d', 'conv_tbc', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d',
      'convolution', 'cudnn_convolution', 'cudnn_convolution_transpose', 'prelu', 'addmm', 'addmv', 'addr', 'matmul', 'einsum', 'mm',
      'mv', 'linear', 'addbmm', 'baddbmm', 'bmm', 'chain_matmul', 'linalg_multi_dot', '_thnn_fused_lstm_cell',
      '_thnn_fused_gru_cell', 'lstm_cell', 'gru_cell', 'rnn_tanh_cell', 'rnn_relu_cell',
    ],
    fp32: [
      'acos', 'asin', 'cosh', 'erfinv', 'exp', 'expm1', 'log', 'log10', 'log2', 'log1p', 'reciprocal', 'rsqrt', 'sinh', 'tan', 'pow',
      'softplus', 'layer_norm', 'native_layer_norm', 'group_norm', 'frobenius_norm', 'nuclear_norm', 'cosine_similarity',
      'poisson_nll_loss', 'cosine_embedding_loss', 'nll_loss', 'nll_loss2d', 'hinge_embedding_loss', 'kl_div', 'l1_loss',
      'smooth_l1_loss', 'huber_loss', 'mse_loss', 'margin_ranking_loss', 'multilabel_margin_loss', 'soft_margin_loss',
      'triplet_margin_loss', 'multi_margin_loss', 'binary_cross_entropy_with_logits', 'dist', 'pdist', 'cdist', 'renorm',
      'logsumexp',
    ],
    fp32_set_opt_dtype: ['prod', 'softmax', 'log_softmax', 'cumprod', 'cumsum', 'linalg_vector_norm', 'sum', 'norm'],
    promote: ['addcdiv', 'addcmul', 'atan2', 'bilinear', 'cross', 'dot', 'grid_sampler', 'index_put', 'scatter_add', 'tensordot', 'stack', 'cat', 'index_copy'],
  },
};

/** Ops PyTorch refuses under CUDA autocast (`binary_cross_entropy`): the error it gives. */
const BANNED_CUDA: Readonly<Record<string, string>> = {
  binary_cross_entropy:
    'torch.nn.functional.binary_cross_entropy and torch.nn.BCELoss are unsafe to autocast.\n' +
    'Many models use a sigmoid layer right before the binary cross entropy layer.\n' +
    'In this case, combine the two layers using torch.nn.functional.binary_cross_entropy_with_logits\n' +
    'or torch.nn.BCEWithLogitsLoss.  binary_cross_entropy_with_logits and BCEWithLogits are\n' +
    'safe to autocast.',
};

const POLICIES = new Map<string, Map<string, AutocastPolicy>>();
for (const [device, lists] of Object.entries(AUTOCAST_OP_LISTS)) {
  const m = new Map<string, AutocastPolicy>();
  for (const [policy, ops] of Object.entries(lists) as [AutocastPolicy, readonly string[]][]) for (const op of ops) m.set(op, policy);
  POLICIES.set(device, m);
}

/** The policy an op has under autocast on a device type, or undefined when it runs as given. */
export function autocastPolicy(deviceType: string, op: string): AutocastPolicy | undefined {
  return POLICIES.get(deviceType)?.get(op);
}

interface DeviceState {
  enabled: boolean;
  dtype: DType;
}
interface AutocastState {
  cpu: DeviceState;
  cuda: DeviceState;
  cacheEnabled: boolean;
}

interface ContextStore {
  getStore(): AutocastState | undefined;
  run<R>(store: AutocastState, fn: () => R): R;
}

type NodeProcess = { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown };

interface Shared {
  readonly context: ContextStore | null;
  readonly global: AutocastState;
  /** Casts of fp32 leaf weights to the lower precision, reused within one outermost region (PyTorch's cached_casts). */
  cache: WeakMap<Tensor, Map<DType, Tensor>>;
  /** Nesting depth of autocast regions; the cache is cleared when it returns to 0. */
  nesting: number;
  /** Whether autocast was ever switched on outside a region (setAutocast*Enabled): otherwise nesting 0 means off. */
  setOutside: boolean;
  /** >0 while a listed op's body runs on already-cast inputs (PyTorch excludes the Autocast key there). */
  suspended: number;
}

const KEY = Symbol.for('kindling.autocast');

function createShared(): Shared {
  const proc = (globalThis as { process?: NodeProcess }).process;
  let context: ContextStore | null = null;
  if (proc?.versions?.node) {
    // process.getBuiltinModule keeps `node:async_hooks` out of browser bundles (Node 20.16+).
    const hooks = proc.getBuiltinModule?.('node:async_hooks') as { AsyncLocalStorage: new () => ContextStore } | undefined;
    if (hooks) context = new hooks.AsyncLocalStorage();
  }
  return {
    context,
    global: { cpu: { enabled: false, dtype: 'bfloat16' }, cuda: { enabled: false, dtype: 'float16' }, cacheEnabled: true },
    cache: new WeakMap(),
    nesting: 0,
    setOutside: false,
    suspended: 0,
  };
}

const shared: Shared = (() => {
  const g = globalThis as unknown as Record<symbol, Shared | undefined>;
  return (g[KEY] ??= createShared());
})();

function current(): AutocastState {
  return shared.context?.getStore() ?? shared.global;
}

function copyState(s: AutocastState): AutocastState {
  return { cpu: { ...s.cpu }, cuda: { ...s.cuda }, cacheEnabled: s.cacheEnabled };
}

/** The device types autocast knows; PyTorch 1.13 has 'cpu' and 'cuda'. */
export type AutocastDeviceType = 'cpu' | 'cuda';

export interface AutocastOptions {
  /** 'cpu' or 'cuda' (PyTorch's `device_type`). */
  deviceType: AutocastDeviceType | string;
  /** The lower precision: cpu supports 'bfloat16' (the default); cuda 'float16' (the default) or 'bfloat16'. */
  dtype?: DType;
  /** false makes the region a no-op (and turns autocast off inside an enclosing region). Default true. */
  enabled?: boolean;
  /** Reuse casts of float32 leaf parameters within the region. Default true. */
  cacheEnabled?: boolean;
}

export class AutocastError extends Error {
  override name = 'AutocastError';
}

function warn(message: string): void {
  const proc = (globalThis as { process?: { emitWarning?: (m: string) => void } }).process;
  if (proc?.emitWarning) proc.emitWarning(message);
  else console.warn(message);
}

/** The state a region with these options runs in (validated as PyTorch's `autocast.__init__` does). */
function regionState(opts: AutocastOptions): AutocastState {
  if (opts === null || typeof opts !== 'object' || typeof opts.deviceType !== 'string') {
    throw new TypeError("autocast expects an options object with a deviceType ('cpu' or 'cuda')");
  }
  const deviceType = opts.deviceType;
  if (deviceType !== 'cpu' && deviceType !== 'cuda') {
    throw new AutocastError(`User specified autocast device_type must be 'cuda' or 'cpu', but got ${deviceType}`);
  }
  const next = copyState(current());
  let enabled = opts.enabled ?? true;
  const dtype = opts.dtype ?? (deviceType === 'cpu' ? 'bfloat16' : 'float16');
  if (deviceType === 'cpu' && dtype !== 'bfloat16') {
    warn('In CPU autocast, but the target dtype is not supported. Disabling autocast.\nCPU Autocast only supports dtype of torch.bfloat16 currently.');
    enabled = false;
  }
  if (deviceType === 'cuda' && enabled && !registry.backends.has('cuda')) {
    warn("User provided device_type of 'cuda', but CUDA is not available. Disabling");
    enabled = false;
  }
  if (deviceType === 'cuda' && enabled && dtype !== 'float16' && dtype !== 'bfloat16') {
    warn('In CUDA autocast, but the target dtype is not supported. Disabling autocast.\nCUDA Autocast only supports dtypes of torch.float16 and torch.bfloat16 currently.');
    enabled = false;
  }
  next[deviceType] = { enabled, dtype: enabled ? dtype : next[deviceType].dtype };
  if (opts.cacheEnabled !== undefined) next.cacheEnabled = opts.cacheEnabled;
  return next;
}

function enter(): void {
  shared.nesting++;
}
function exit(): void {
  if (--shared.nesting === 0) clearAutocastCache();
}

/** A region opened with `using _ = torch.autocast({...})`: restores the previous state when disposed. */
export interface AutocastGuard extends Disposable {
  [Symbol.dispose](): void;
}

/**
 * `torch.autocast(device_type, dtype=...)`: run `fn` with mixed precision for `deviceType`
 * (also across `await` when fn is async), or, without `fn`, open a region until the returned guard
 * is disposed (`using _ = torch.autocast({ deviceType: 'cpu' })`).
 */
export function autocast(opts: AutocastOptions): AutocastGuard;
export function autocast<R>(opts: AutocastOptions, fn: () => R): R;
export function autocast<R>(opts: AutocastOptions, fn?: () => R): R | AutocastGuard {
  const next = regionState(opts);
  if (!fn) {
    const state = current();
    const saved = copyState(state);
    Object.assign(state, next);
    enter();
    let open = true;
    return {
      [Symbol.dispose]() {
        if (!open) return;
        open = false;
        Object.assign(state, saved);
        exit();
      },
    };
  }
  enter();
  let result: R;
  try {
    if (shared.context) result = shared.context.run(next, fn);
    else {
      const state = shared.global;
      const saved = copyState(state);
      Object.assign(state, next);
      try {
        result = fn();
      } finally {
        Object.assign(state, saved);
      }
    }
  } catch (err) {
    exit();
    throw err;
  }
  if (result instanceof Promise) return result.finally(exit) as R;
  exit();
  return result;
}

/** A function that always runs in the autocast region, like the `@torch.autocast(...)` decorator. */
autocast.wrap = <A extends unknown[], R>(opts: AutocastOptions, fn: (...args: A) => R) => (...args: A): R => autocast(opts, () => fn(...args));

/** `torch.is_autocast_enabled()`: whether CUDA autocast is on (PyTorch's name refers to CUDA). */
export function isAutocastEnabled(): boolean {
  return current().cuda.enabled;
}
/** `torch.set_autocast_enabled(enabled)` (CUDA). */
export function setAutocastEnabled(enabled: boolean): void {
  if (enabled) shared.setOutside = true;
  current().cuda.enabled = enabled;
}
/** `torch.is_autocast_cpu_enabled()`. */
export function isAutocastCpuEnabled(): boolean {
  return current().cpu.enabled;
}
/** `torch.set_autocast_cpu_enabled(enabled)`. */
export function setAutocastCpuEnabled(enabled: boolean): void {
  if (enabled) shared.setOutside = true;
  current().cpu.enabled = enabled;
}
/** `torch.get_autocast_gpu_dtype()`. */
export function getAutocastGpuDtype(): DType {
  return current().cuda.dtype;
}
/** `torch.set_autocast_gpu_dtype(dtype)`. */
export function setAutocastGpuDtype(dtype: DType): void {
  current().cuda.dtype = dtype;
}
/** `torch.get_autocast_cpu_dtype()`. */
export function getAutocastCpuDtype(): DType {
  return current().cpu.dtype;
}
/** `torch.set_autocast_cpu_dtype(dtype)`. */
export function setAutocastCpuDtype(dtype: DType): void {
  current().cpu.dtype = dtype;
}
/** `torch.is_autocast_cache_enabled()`. */
export function isAutocastCacheEnabled(): boolean {
  return current().cacheEnabled;
}
/** `torch.set_autocast_cache_enabled(enabled)`. */
export function setAutocastCacheEnabled(enabled: boolean): void {
  current().cacheEnabled = enabled;
}
/** `torch.clear_autocast_cache()`: forget cached casts of parameters (done when the outermost region exits). */
export function clearAutocastCache(): void {
  shared.cache = new WeakMap();
}

/** The active autocast dtype for a device type, or null when autocast is off there (or suspended). */
export function autocastDtype(deviceType: string): DType | null {
  if (shared.suspended > 0) return null;
  const s = current();
  const d = deviceType === 'cpu' ? s.cpu : deviceType === 'cuda' ? s.cuda : null;
  return d?.enabled ? d.dtype : null;
}

/** PyTorch's `is_eligible`: floating, not float64, on the autocast device. */
function eligible(t: Tensor, deviceType: string): boolean {
  return t.device.type === deviceType && isFloatingPoint(t.dtype) && t.dtype !== 'float64';
}

type CastFn = (t: Tensor, dtype: DType) => Tensor;

/** PyTorch's `cached_cast`: fp32 leaf weights that require grad are cast once per region. */
function cachedCast(t: Tensor, dtype: DType, deviceType: string, castFn: CastFn, useCache: boolean): Tensor {
  if (!eligible(t, deviceType) || t.dtype === dtype) return t;
  const cacheable = useCache && current().cacheEnabled && t.dtype === 'float32' && t.requiresGrad && t.isLeaf && t._base === null;
  if (!cacheable) return castFn(t, dtype);
  let entry = shared.cache.get(t);
  const hit = entry?.get(dtype);
  if (hit) return hit;
  const cast = castFn(t, dtype);
  if (!entry) shared.cache.set(t, (entry = new Map()));
  entry.set(dtype, cast);
  return cast;
}

/**
 * The inputs an op runs on under the active autocast state: cast per the op's policy, or null when
 * autocast leaves the op alone. `hasDtype`: the call names an explicit result dtype
 * (fp32_set_opt_dtype ops then run as given).
 */
export function autocastInputs(op: string, inputs: readonly Tensor[], castFn: CastFn, hasDtype = false): Tensor[] | null {
  // The common case, no autocast anywhere, costs two comparisons per dispatched op.
  if (shared.suspended > 0 || inputs.length === 0 || (shared.nesting === 0 && !shared.setOutside)) return null;
  const deviceType = inputs[0]!.device.type;
  const lower = autocastDtype(deviceType);
  if (lower === null) return null;
  const policy = autocastPolicy(deviceType, op);
  if (deviceType === 'cuda' && BANNED_CUDA[op]) throw new AutocastError(BANNED_CUDA[op]);
  if (!policy) return null;
  switch (policy) {
    case 'lower_precision_fp':
      return inputs.map((t) => cachedCast(t, lower, deviceType, castFn, true));
    case 'fp32':
      return inputs.map((t) => cachedCast(t, 'float32', deviceType, castFn, false));
    case 'fp32_set_opt_dtype':
      if (hasDtype) return null;
      // PyTorch casts only when some input is in a lower precision; float32 inputs run as given.
      if (!inputs.some((t) => eligible(t, deviceType) && t.dtype !== 'float32')) return null;
      return inputs.map((t) => cachedCast(t, 'float32', deviceType, castFn, false));
    case 'promote': {
      let widest: DType | undefined;
      for (const t of inputs) if (eligible(t, deviceType)) widest = widest === undefined ? t.dtype : promoteTypes(widest, t.dtype);
      if (widest === undefined) return null;
      return inputs.map((t) => cachedCast(t, widest, deviceType, castFn, false));
    }
  }
}

/** Run `fn` with autocast suspended: a listed op's own body runs on the inputs it was given. */
export function withoutAutocast<R>(fn: () => R): R {
  shared.suspended++;
  try {
    return fn();
  } finally {
    shared.suspended--;
  }
}

let castImpl: CastFn | null = null;
/** The dispatcher provides the (differentiable) cast autocast uses. */
export function _setAutocastCast(fn: CastFn): void {
  castImpl = fn;
}

/**
 * Autocast for an op that is a composition of other ops (`F.linear`, `matmul`, losses): cast `inputs`
 * per `name`'s policy and run `fn` on them with autocast suspended, as PyTorch casts at the listed op
 * and not at its pieces. Outside an autocast region (or for an unlisted name) `fn` gets `inputs` as is.
 * Null/undefined entries (an absent bias) pass through.
 *
 * A lower-precision composite computes as PyTorch's fused kernels round: its inputs are rounded to the
 * lower precision (through the cached cast), the body runs in float32 on those values, and each
 * floating result is rounded to the lower precision once. So `linear(x, w, b)` is
 * bf16(x̂·ŵᵀ + b̂) with float32 accumulation, as PyTorch's addmm and cuBLAS (and PyTorch ≥ 2.1 on cpu)
 * compute it, rather than bf16(bf16(x̂·ŵᵀ) + b̂), whose second rounding loses the result where the
 * bias cancels the product. Gradients flow back through the same casts.
 */
export function autocastOp<const A extends readonly (Tensor | null | undefined)[], R>(name: string, inputs: A, fn: (...args: A) => R): R {
  const tensors = inputs.filter((t): t is Tensor => t !== null && t !== undefined);
  if (!castImpl || tensors.length === 0) return fn(...inputs);
  const castFn = castImpl;
  const cast = autocastInputs(name, tensors, castFn);
  if (!cast) return fn(...inputs);
  const deviceType = tensors[0]!.device.type;
  const lower = autocastPolicy(deviceType, name) === 'lower_precision_fp' ? autocastDtype(deviceType) : null;
  let i = 0;
  const args = inputs.map((t) => {
    if (t === null || t === undefined) return t;
    const c = cast[i++]!;
    return lower !== null && c.dtype === lower ? castFn(c, 'float32') : c;
  }) as unknown as A;
  return withoutAutocast(() => {
    const result = fn(...args);
    if (lower === null) return result;
    const round = (v: unknown): unknown =>
      isTensorLike(v) && v.dtype === 'float32' && v.device.type === deviceType ? castFn(v, lower) : Array.isArray(v) ? v.map(round) : v;
    return round(result) as R;
  });
}

function isTensorLike(v: unknown): v is Tensor {
  return typeof v === 'object' && v !== null && 'dtype' in v && 'device' in v && '_ref' in v;
}
