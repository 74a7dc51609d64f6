// Generates docs/handbook-api.md: every API named in the PyTorch handbook, its Kindling name,
// and whether Kindling exports it. Usage: node scripts/gen-api-table.mjs [path/to/handbook.md]
// The handbook path defaults to shared/handbook.md (or $HANDBOOK).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as torch from 'kindling';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = process.argv[2] ?? process.env.HANDBOOK ?? join(root, 'shared', 'handbook.md');
const text = readFileSync(src, 'utf8');

// Short aliases the handbook uses → full PyTorch path.
const ALIASES = [
  ['F.', 'torch.nn.functional.'],
  ['nn.', 'torch.nn.'],
  ['optim.', 'torch.optim.'],
  ['init.', 'torch.nn.init.'],
  ['lr_scheduler.', 'torch.optim.lr_scheduler.'],
  ['dist.', 'torch.distributed.'],
];
// Receivers in code examples and what they are.
const RECEIVERS = {
  tensor: 'Tensor', x: 'Tensor', y: 'Tensor', z: 'Tensor', a: 'Tensor', b: 'Tensor',
  scalar: 'Tensor', dst: 'Tensor', loss: 'Tensor',
  model: 'Module', optimizer: 'Optimizer', scheduler: 'LRScheduler',
};
// Module paths and user attributes that are not APIs.
const SKIP = new Set([
  'torch.nn', 'torch.optim', 'torch.utils.data', 'torch.nn.functional', 'torch.cuda.amp',
  'torch.distributed', 'torch.nn.parallel', 'torch.nn.init', 'torch.nn.utils.rnn',
  'torch.optim.lr_scheduler', 'torch.utils.data.distributed',
  'Module.backbone', 'Module.classifier', 'Module.fc1', 'Module.pth',
]);
// Python syntax → Kindling method (checked on Tensor.prototype unless `ns` is given).
const SYNTAX = [
  { re: /`a \+ b`|\ba \+ b\b/, py: 'a + b', method: 'add', kd: 'a.add(b)' },
  { re: /\ba - b\b/, py: 'a - b', method: 'sub', kd: 'a.sub(b)' },
  { re: /\ba \* b\b/, py: 'a * b', method: 'mul', kd: 'a.mul(b)' },
  { re: /\ba \/ b\b/, py: 'a / b', method: 'div', kd: 'a.div(b)' },
  { re: /a \/\/ b/, py: 'a // b', method: 'floorDivide', kd: 'a.floorDivide(b)' },
  { re: /a % b/, py: 'a % b', method: 'remainder', kd: 'a.remainder(b)' },
  { re: /a \*\* n|\*\* 2/, py: 'a ** n', method: 'pow', kd: 'a.pow(n)' },
  { re: /`-a`/, py: '-a', method: 'neg', kd: 'a.neg()' },
  { re: /A @ B|, @,/, py: 'a @ b', method: 'matmul', kd: 'a.matmul(b)' },
  { re: /x > 5/, py: 'x > 5 (comparison operators)', method: 'gt', kd: 'x.gt(5)' },
  { re: /x\[0, 1\]|x\[:, 1:4\]/, py: 'x[i, j], x[1:3], x[:, -1]', method: 'index', kd: "x.index(i, j), x.index('1:3'), x.index(':', -1)" },
  { re: /x\[mask\]/, py: 'x[mask]', method: 'index', kd: 'x.index(mask) or x.maskedSelect(mask)' },
  { re: /model\(x\)|model\(inputs\)/, py: 'model(x)', owner: 'Module', method: 'forward', kd: 'model.forward(x)' },
  { re: /with torch\.no_grad\(\)/, py: 'with torch.no_grad():', path: 'noGrad', kd: 'torch.noGrad(() => …) or using _ = torch.noGrad()' },
];

const camel = (s) => s.replace(/([a-z0-9])_([a-z0-9])/g, (_, p, c) => p + c.toUpperCase());
const expand = (name) => {
  for (const [short, full] of ALIASES) if (name.startsWith(short)) return full + name.slice(short.length);
  return name;
};

// ---- extraction ------------------------------------------------------------------------------
const sections = []; // { title, entries: Map(key → entry) }
const seen = new Set();
let section = null;
const add = (raw, ctx) => {
  let name = raw.replace(/\(.*$/s, '').replace(/\s+/g, '').replace(/\.$/, '');
  if (!/^[A-Za-z_][\w.]*$/.test(name)) return;
  const dot = name.indexOf('.');
  const head = dot < 0 ? name : name.slice(0, dot);
  let entry;
  if (dot > 0 && RECEIVERS[head] && !name.slice(dot + 1).includes('.')) {
    const owner = RECEIVERS[head];
    const member = name.slice(dot + 1);
    const key = `${owner}.${member}`;
    if (SKIP.has(key)) return;
    const shown = owner === 'Tensor' ? `tensor.${member}` : `${head}.${member}`;
    entry = { key, py: shown, owner, member: camel(member) };
  } else if (dot > 0 && RECEIVERS[head]) {
    return; // e.g. x.grad.zero_ — chained on a user value
  } else {
    if (dot < 0) {
      if (ctx === 'sched') name = `lr_scheduler.${name}`;
      else if (ctx === 'data') name = `torch.utils.data.${name}`;
      else return;
    }
    const full = expand(name);
    if (!full.startsWith('torch.') || SKIP.has(full)) return;
    if (full.startsWith('torch.backends.')) return void add2({ key: full, py: name, path: null, note: 'no backends' });
    const parts = full.split('.').slice(1);
    parts[parts.length - 1] = camel(parts[parts.length - 1]);
    entry = { key: full, py: name, path: parts.join('.') };
  }
  add2(entry);
};
const add2 = (entry) => {
  if (seen.has(entry.key)) return;
  seen.add(entry.key);
  section.entries.push(entry);
};

const lines = text.split('\n');
let inCode = false;
let code = [];
const scanCode = (block) => {
  // `from torch.x import a, b` (possibly parenthesised over several lines)
  for (const m of block.matchAll(/from\s+(torch[\w.]*)\s+import\s+(\([^)]*\)|[^\n]+)/g)) {
    for (const n of m[2].replace(/[()]/g, '').split(',')) {
      const id = n.trim().split(/\s+as\s+/)[0].trim();
      if (/^\w+$/.test(id)) add(`${m[1]}.${id}`);
    }
  }
  const re = /\b(?:torch(?:\.[A-Za-z_]\w*)+|(?:nn|F|optim|init|lr_scheduler|dist)\.[A-Za-z_]\w*(?:\.\w+)*|(?:tensor|x|y|z|a|b|scalar|dst|loss|model|optimizer|scheduler)\.[A-Za-z_]\w*)/g;
  for (const line of block.split('\n')) {
    const codePart = line.replace(/#.*$/, '');
    for (const m of codePart.matchAll(re)) add(m[0]);
  }
};
for (const line of lines) {
  if (line.startsWith('```')) {
    if (inCode) scanCode(code.join('\n'));
    inCode = !inCode;
    code = [];
    continue;
  }
  if (inCode) { code.push(line); continue; }
  const h = /^## (.+)/.exec(line);
  if (h) {
    if (h[1] === '目录') { section = null; continue; }
    section = { title: h[1].trim(), entries: [] };
    sections.push(section);
    continue;
  }
  if (!section) continue;
  if (/^\|/.test(line) && !/^\|\s*:?-/.test(line)) {
    const ctx = /^9\./.test(section.title) ? 'sched' : /^10\./.test(section.title) ? 'data' : null;
    for (const cell of line.split('|').slice(1, -1)) {
      let prefix = '';
      for (const m of cell.matchAll(/`([^`]+)`/g)) {
        for (let part of m[1].split('/')) {
          part = part.trim();
          const p = /^(.*\.)[^.]*$/.exec(part.replace(/\(.*$/, ''));
          if (p) prefix = p[1];
          else if (prefix && /^\w+(\(\))?$/.test(part)) part = prefix + part;
          add(part, ctx);
        }
      }
    }
  }
}
// Python syntax entries, placed in the first section whose text shows them.
const bodies = [];
{
  let cur = null;
  for (const line of lines) {
    const h = /^## (.+)/.exec(line);
    if (h) cur = sections.find((s) => s.title === h[1].trim()) ?? null;
    else if (cur) bodies.push([cur, line]);
  }
}
for (const s of SYNTAX) {
  const hit = bodies.find(([, l]) => s.re.test(l));
  if (!hit) continue;
  section = hit[0];
  add2({ key: `syntax:${s.py}`, py: s.py, kdShown: s.kd, owner: s.path ? undefined : (s.owner ?? 'Tensor'), member: s.method, path: s.path });
}

// ---- resolution ------------------------------------------------------------------------------
const sample = torch.zeros([2, 2]);
const protoOf = {
  Tensor: torch.Tensor.prototype,
  Module: torch.nn.Module.prototype,
  Optimizer: torch.optim.Optimizer.prototype,
  LRScheduler: torch.optim.lr_scheduler.LRScheduler.prototype,
};
// Instances too: some members (step, paramGroups) are set up per instance.
const instances = { Tensor: sample };
try {
  instances.Optimizer = new torch.optim.SGD([torch.zeros([1], { requiresGrad: true })], { lr: 0.1 });
} catch {}
const hasMember = (owner, m) => {
  const proto = protoOf[owner];
  if (!proto) return false;
  if (instances[owner] && m in instances[owner]) return true;
  for (let p = proto; p; p = Object.getPrototypeOf(p)) if (Object.getOwnPropertyDescriptor(p, m)) return true;
  return false;
};
const resolve = (path) => {
  let o = torch;
  for (const seg of path.split('.')) {
    if (o == null || !(seg in Object(o))) return false;
    o = o[seg];
  }
  return o !== undefined;
};
let ok = 0;
let missing = [];
for (const s of sections) {
  for (const e of s.entries) {
    if (e.owner) {
      e.kd = e.kdShown ?? `${e.owner === 'Tensor' ? 'tensor' : e.py.split('.')[0]}.${e.member}`;
      e.ok = hasMember(e.owner, e.member);
    } else if (e.path) {
      e.kd = e.kdShown ?? `torch.${e.path}`;
      e.ok = resolve(e.path);
    } else {
      e.kd = '—';
      e.ok = false;
    }
    if (e.ok) ok++;
    else missing.push(e.py);
  }
}
const total = ok + missing.length;

// ---- output ----------------------------------------------------------------------------------
const md = (s) => '`' + s.replace(/\|/g, '\\|') + '`';
const out = [];
out.push('# Handbook API coverage');
out.push('');
out.push('<!-- Generated by scripts/gen-api-table.mjs from the PyTorch quick-reference handbook; do not edit by hand. -->');
out.push('');
out.push(`**${ok} of ${total} APIs available (✅ ${ok}, ❌ ${missing.length}).**`);
out.push('');
out.push('Every API the handbook names (table rows and code examples), grouped by handbook section, with');
out.push("its Kindling name and whether `import * as torch from 'kindling'` exports it. Status is checked at");
out.push('run time: namespace lookups on `torch`, and `Tensor.prototype` / a sample tensor for tensor methods');
out.push('and properties.');
out.push('');
out.push('## Naming rules and notable differences');
out.push('');
out.push('- Functions and methods are camelCase: `torch.from_numpy` → `torch.fromNumpy`, `tensor.index_select` →');
out.push('  `tensor.indexSelect`; a trailing in-place `_` stays: `init.kaiming_normal_` → `torch.nn.init.kaimingNormal_`.');
out.push('- Classes keep PyTorch names: `nn.Linear` → `torch.nn.Linear`, `optim.AdamW` → `torch.optim.AdamW`,');
out.push('  `lr_scheduler.OneCycleLR` → `torch.optim.lr_scheduler.OneCycleLR`; `F.x` → `torch.nn.functional.x`;');
out.push('  `torch.utils.data.X` → `torch.utils.data.X`.');
out.push('- `tensor.x` is a method or property `x` of `Tensor` (`shape`, `dtype`, `T`, `mT` are properties).');
out.push('- Operators are methods: `a + b` → `a.add(b)`, `a @ b` → `a.matmul(b)`, `a // b` → `a.floorDivide(b)`.');
out.push("- Indexing is a method: `x[i]` → `x.index(i)`, slices as strings: `x[1:3]` → `x.index('1:3')`.");
out.push('- Calling a module is a method: `model(x)` → `model.forward(x)`.');
out.push('- Context managers take a callback or a disposable: `with torch.no_grad():` → `torch.noGrad(() => …)` or');
out.push('  `using _ = torch.noGrad()`.');
out.push('- Keyword arguments are an options object; `torch.tensor([1.0])` needs `{ dtype }` to pick a float dtype');
out.push('  (`torch.tensor([1.0], { dtype: torch.float32 })`), since JavaScript numbers do not distinguish `1` from `1.0`.');
out.push('');
for (const s of sections) {
  if (!s.entries.length) continue;
  out.push(`## ${s.title}`);
  out.push('');
  out.push('| PyTorch | Kindling | Status |');
  out.push('| :-- | :-- | :-: |');
  for (const e of s.entries) out.push(`| ${md(e.py)} | ${e.kd === '—' ? '—' : md(e.kd)} | ${e.ok ? '✅' : '❌'} |`);
  out.push('');
}
writeFileSync(join(root, 'docs', 'handbook-api.md'), out.join('\n'));
console.log(`${ok}/${total} available; missing ${missing.length}: ${missing.join(', ')}`);
