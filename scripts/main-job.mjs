// The main job (`npm start`), until the MNIST demo exists: the handbook's chapter 1 examples
// (tensor basics, sections 1.1–1.5) in Kindling's TypeScript API, printed as PyTorch prints them.
// Runs with plain node against the built packages (scripts/setup.sh builds them).
import * as torch from '@kindling/tensor';
import '@kindling/backend-cpu';

function heading(title) {
  console.log(`\n=== ${title}`);
}
function show(label, value) {
  console.log(`${label} =`);
  console.log(String(value));
}

heading('1.1 Creating tensors');
const x = torch.tensor([[1, 2], [3, 4]], { dtype: torch.float32 });
show('x', x);
show('zeros', torch.zeros(3, 4));
show('ones', torch.ones(3, 4));
show('empty (uninitialised) shape', torch.empty(3, 4).shape);
show('full', torch.full([3, 4], 5.0));
show('seq', torch.arange(0, 10, 2)); // tensor([0, 2, 4, 6, 8])
show('lin', torch.linspace(0, 1, 5)); // tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])
show('logspace', torch.logspace(0, 2, 5));
show('eye', torch.eye(3));
show('diag', torch.diag(torch.tensor([1, 2, 3])));

heading('1.2 Random tensors');
torch.manualSeed(42);
show('uniform', torch.rand(3, 4));
show('normal', torch.randn(3, 4));
show('integers', torch.randint(0, 10, [3, 4]));
show('perm', torch.randperm(10));
show('customNormal', torch.normal(0, 1, [3, 4]));
show('bernoulli', torch.bernoulli(torch.full([3], 0.5)));

heading('1.3 From other data');
const jsArray = new BigInt64Array([1n, 2n, 3n]); // NumPy's np.array([1, 2, 3]) is int64
const fromJs = torch.fromArray(jsArray); // shares memory with jsArray
show('fromArray', fromJs);
show('numpy()', fromJs.numpy()); // shares memory with the tensor
const scalar = torch.tensor(3.14);
show('item()', scalar.item()); // 3.14
const y = torch.tensor([[1, 2], [3, 4]]);
show('tolist()', JSON.stringify(y.tolist())); // [[1,2],[3,4]]

heading('1.4 Tensor attributes');
const z = torch.randn(3, 4, 5);
show('shape', z.shape); // torch.Size([3, 4, 5])
show('size()', z.size()); // torch.Size([3, 4, 5])
show('size(0)', z.size(0)); // 3
show('dtype', z.dtype); // torch.float32
show('device', z.device); // cpu
show('ndim', z.ndim); // 3
show('numel()', z.numel()); // 60
show('requiresGrad', z.requiresGrad); // false

heading('1.5 Type conversion');
const t = torch.tensor([1, 2, 3]);
show('float()', t.float()); // torch.float32
show('double()', t.double()); // torch.float64
show('half()', t.half()); // torch.float16
show('int()', t.int()); // torch.int32
show('long()', t.long()); // torch.int64
show('bool()', t.bool()); // torch.bool
show("to(torch.float32)", t.to(torch.float32));
show("type('torch.FloatTensor')", t.type('torch.FloatTensor'));
