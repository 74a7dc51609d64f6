// The main job (`npm start`), until the MNIST demo exists: the handbook's chapter 1 examples
// (tensor basics, sections 1.1–1.5) in Kindling's TypeScript API, printed as PyTorch prints them.
// Runs with plain node against the built packages (scripts/setup.sh builds them):
//   pnpm exec tsc -b packages/backend-cpu && node scripts/main-job.mjs
// A line whose library function is missing is skipped with a printed note, so the job still runs.
import * as torch from '@kindling/tensor';
import '@kindling/backend-cpu';

function heading(title) {
  console.log(`\n=== ${title}`);
}

/** Python's repr of the simple values the examples print: True/False, lists with ", ". */
function pyRepr(value) {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (ArrayBuffer.isView(value)) {
    // what `print(t.numpy())` shows, as NumPy's repr
    return `array([${Array.from(value, (v) => String(v)).join(', ')}])`;
  }
  return String(value);
}
/** `torch.Size([3, 4])`, as PyTorch prints a shape. */
const size = (shape) => `torch.Size([${shape.join(', ')}])`;

function show(label, value) {
  console.log(`${label} =`);
  console.log(pyRepr(value));
}

const skipped = [];
/** Whether `torch[name]` exists; if not, print a note and remember it for the summary. */
function has(name) {
  if (typeof torch[name] === 'function') return true;
  console.log(`(skipped: torch.${name} is not implemented yet)`);
  if (!skipped.includes(name)) skipped.push(name);
  return false;
}

heading('1.1 Creating tensors');
const x = torch.tensor([[1, 2], [3, 4]], { dtype: torch.float32 });
show('x', x);
show('zeros', torch.zeros(3, 4));
show('ones', torch.ones(3, 4));
show('empty (uninitialised) shape', size(torch.empty(3, 4).shape));
// torch.full((3, 4), 5.0): Python infers float32 from `5.0`; JS cannot tell 5.0 from 5, so say it.
show('full', torch.full([3, 4], 5.0, { dtype: torch.float32 }));
show('seq', torch.arange(0, 10, 2)); // tensor([0, 2, 4, 6, 8])
show('lin', torch.linspace(0, 1, 5)); // tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])
show('logspace', torch.logspace(0, 2, 5));
show('eye', torch.eye(3));
show('diag', torch.diag(torch.tensor([1, 2, 3])));

heading('1.2 Random tensors');
if (has('manualSeed')) torch.manualSeed(42);
if (has('rand')) show('uniform', torch.rand(3, 4));
if (has('randn')) show('normal', torch.randn(3, 4));
if (has('randint')) show('integers', torch.randint(0, 10, [3, 4]));
if (has('randperm')) show('perm', torch.randperm(10));
if (has('normal')) show('customNormal', torch.normal(0, 1, [3, 4]));
if (has('bernoulli')) show('bernoulli', torch.bernoulli(torch.full([3], 0.5, { dtype: torch.float32 })));

heading('1.3 From other data');
const jsArray = new BigInt64Array([1n, 2n, 3n]); // NumPy's np.array([1, 2, 3]) is int64
const fromJs = torch.fromArray(jsArray); // shares memory with jsArray
show('fromArray', fromJs);
const backToJs = fromJs.numpy(); // shares memory with the tensor
show('numpy()', backToJs);
jsArray[0] = 10n; // writing the array changes the tensor ...
backToJs[1] = 20n; // ... and so does writing through numpy()
show('fromArray after writing both arrays', fromJs); // tensor([10, 20,  3])
const scalar = torch.tensor(3.14);
show('item()', scalar.item()); // 3.140000104904175 (float32), as in PyTorch
const y = torch.tensor([[1, 2], [3, 4]]);
show('tolist()', y.tolist()); // [[1, 2], [3, 4]]

heading('1.4 Tensor attributes');
let z;
if (has('randn')) z = torch.randn(3, 4, 5);
else {
  console.log('(using torch.empty(3, 4, 5) instead of torch.randn(3, 4, 5): the attributes are the same)');
  z = torch.empty(3, 4, 5);
}
show('shape', size(z.shape)); // torch.Size([3, 4, 5])
show('size()', size(z.size())); // torch.Size([3, 4, 5])
show('size(0)', z.size(0)); // 3
show('dtype', `torch.${z.dtype}`); // torch.float32
show('device', z.device); // cpu
show('ndim', z.ndim); // 3
show('numel()', z.numel()); // 60
show('requiresGrad', z.requiresGrad); // False

heading('1.5 Type conversion');
const t = torch.tensor([1, 2, 3]);
show('float()', t.float()); // torch.float32
show('double()', t.double()); // torch.float64
show('half()', t.half()); // torch.float16
show('int()', t.int()); // torch.int32
show('long()', t.long()); // torch.int64
show('bool()', t.bool()); // torch.bool
show('to(torch.float32)', t.to(torch.float32));
show("type('torch.FloatTensor')", t.type('torch.FloatTensor'));

if (skipped.length > 0) {
  console.log(`\nNote: skipped lines that need torch.${skipped.join(', torch.')} (not implemented yet).`);
}
