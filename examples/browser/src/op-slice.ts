// A slice of the op suite for the browser page: each op runs on cpu and on webgpu from the same seeded
// inputs, and the webgpu result must equal the cpu one (float32: to 1e-5 relative; integers and bools:
// exactly). The cpu backend itself is checked against PyTorch by the conformance suite, in Node.
import * as torch from 'kindling';

type T = torch.Tensor;

export interface SliceCase {
  name: string;
  ok: boolean;
  detail: string;
}

const F = torch.nn.functional;

/** name → (inputs on one device) → result. Inputs are made on cpu from the seed, then moved. */
const CASES: [string, (d: (t: T) => T) => T][] = [
  ['add (broadcast)', (d) => d(torch.randn(4, 5)).add(d(torch.randn(5)))],
  ['mul, sub, div', (d) => d(torch.randn(3, 7)).mul(2).sub(d(torch.randn(3, 7))).div(d(torch.rand(3, 7).add(0.5)))],
  ['exp, log, tanh, sigmoid', (d) => d(torch.randn(64)).exp().add(1).log().tanh().sigmoid()],
  ['matmul', (d) => d(torch.randn(17, 33)).matmul(d(torch.randn(33, 9)))],
  ['bmm (transposed operand)', (d) => torch.bmm(d(torch.randn(3, 8, 5)), d(torch.randn(3, 6, 5)).mT)],
  ['sum and mean over dims', (d) => d(torch.randn(4, 6, 5)).sum(1).add(d(torch.randn(4, 6, 5)).mean([0, 2], { keepdim: true }).reshape(-1, 1).index('0:4'))],
  ['amax, argmax', (d) => { const x = d(torch.randn(5, 9)); return x.amax(1).add(x.argmax(1).to('float32')); }],
  ['softmax, log_softmax', (d) => { const x = d(torch.randn(6, 10)); return x.softmax(-1).add(x.logSoftmax(0)); }],
  ['cumsum', (d) => d(torch.randn(4, 12)).cumsum(1)],
  ['sort (values and indices)', (d) => { const r = d(torch.randn(3, 15)).sort(1); return r.values.add(r.indices.to('float32')); }],
  ['gather, index_select', (d) => d(torch.randn(5, 8)).gather(1, d(torch.randint(0, 8, [5, 3]))).add(d(torch.randn(6, 3)).indexSelect(0, d(torch.tensor([5, 0, 2, 2, 1]))))],
  ['where, comparisons', (d) => { const x = d(torch.randn(40)); return torch.where(x.gt(0), x, x.mul(0.1)); }],
  ['permute + contiguous', (d) => d(torch.randn(2, 3, 4, 5)).permute(3, 1, 0, 2).contiguous()],
  ['conv2d', (d) => F.conv2d(d(torch.randn(2, 3, 9, 9)), d(torch.randn(4, 3, 3, 3)), d(torch.randn(4)), { padding: 1 })],
  ['max_pool2d', (d) => F.maxPool2d(d(torch.randn(2, 3, 8, 8)), 2)],
  ['int64 arithmetic', (d) => d(torch.randint(-1000, 1000, [20])).mul(3).add(d(torch.randint(-5, 5, [20])))],
  ['bool logic', (d) => d(torch.randn(30)).gt(0).logicalXor(d(torch.randn(30)).lt(0))],
];

async function values(t: T): Promise<number[]> {
  return Array.from(await t.data() as ArrayLike<number | bigint>, (v) => Number(v));
}

/** Run every case on cpu and on `device`; returns one line per case. */
export async function runSlice(device: string, seed = 0): Promise<SliceCase[]> {
  const out: SliceCase[] = [];
  for (const [name, f] of CASES) {
    try {
      torch.manualSeed(seed);
      const ref = f((t) => t);
      torch.manualSeed(seed);
      const got = f((t) => t.to(device));
      if (got.device.type !== device.split(':')[0]) throw new Error(`result on ${got.device}, not ${device}`);
      if (got.dtype !== ref.dtype || got.shape.join() !== ref.shape.join()) {
        throw new Error(`got ${got.dtype}[${got.shape}], cpu gives ${ref.dtype}[${ref.shape}]`);
      }
      const [a, b] = [await values(got), await values(ref)];
      const exact = ref.dtype !== 'float32';
      let worst = 0;
      for (let i = 0; i < b.length; i++) {
        const err = Math.abs(a[i]! - b[i]!);
        if (exact ? err !== 0 : !(err <= 1e-5 + 1e-5 * Math.abs(b[i]!))) worst = Math.max(worst, Number.isNaN(err) ? Infinity : err);
      }
      out.push({ name, ok: worst === 0, detail: worst === 0 ? `${b.length} values agree` : `max difference ${worst}` });
    } catch (err) {
      out.push({ name, ok: false, detail: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}
