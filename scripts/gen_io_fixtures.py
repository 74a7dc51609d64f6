#!/usr/bin/python3
"""Write fixtures/io/: files written by PyTorch 1.13, for @kindling/io's tests.

Run with Debian's python3-torch (the oracle): /usr/bin/python3 scripts/gen_io_fixtures.py

Valid files (Kindling must load each and find what manifest.json says torch.load finds in it):
- mlp_state_dict.pth     Sequential(Linear, BatchNorm1d, ReLU, Linear).state_dict() (OrderedDict + _metadata)
- checkpoint.pth         handbook 12.2 / 15.3: epoch, model/optimizer (AdamW)/scheduler state dicts, loss, best_acc
- classifier_io.pth      input and eval-mode logits of the checkpoint's model (handbook 15.1 Classifier)
- dtypes.pth             one tensor of every dtype, with extreme and special values
- shared_view.pth        a tensor and views of it (row, column, strided, transpose), and the same tensor twice
- noncontiguous.pth      permuted, expanded (stride 0) and narrowed (storage offset) tensors
- scalars.pth            0-d tensors of three dtypes, and empty tensors
- int64_big.pth          int64 values beyond 2^53, Python ints beyond 2^53 and beyond 2^64
- parameter.pth          an nn.Parameter and a tensor with requires_grad
- python_values.pth      tuples, nested lists, None, bools, a set, bytes, int and tuple keys, a dtype, a torch.Size
- legacy.pth             the legacy (pre-1.6) format: _use_new_zipfile_serialization=False
- big_endian.pth         a zip file whose byteorder record says 'big' (as written on a big-endian machine)
- hand.safetensors       safetensors written by hand from the spec (struct + json), with __metadata__
Hostile and corrupt files (Kindling must refuse each with a clear error):
- hostile_os_system.pth  data.pkl calls os.system (GLOBAL os system + REDUCE)
- hostile_legacy.pth     legacy-format pickle of an object whose __reduce__ is posix.system
- hostile_eval.pth       GLOBAL builtins eval
- deep_nesting.pth       a list nested 5000 deep
- memo_missing.pth       BINGET of a memo key never PUT
- huge_numel.pth         a storage id declaring 2^40 elements over a 16-byte record
- tensor_oob.pth         a tensor of 1000 elements over a 4-element storage
- truncated.pth          the first half of mlp_state_dict.pth
- bad_crc.pth            mlp_state_dict.pth with one byte of a storage flipped
- bad_offset.pth         mlp_state_dict.pth with a central-directory entry pointing past the data
- truncated_legacy.pth   the first 200 bytes of legacy.pth
- st_overlap.safetensors, st_gap.safetensors, st_huge_header.safetensors, st_truncated.safetensors,
  st_bad_dtype.safetensors, st_bad_shape.safetensors
"""
import io
import json
import math
import os
import pickle
import struct
import sys
import zipfile
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from io_describe import describe  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
OUT = os.path.join(ROOT, 'fixtures', 'io')
os.makedirs(OUT, exist_ok=True)
manifest = {}


def path(name):
    return os.path.join(OUT, name)


def save(name, obj, **kw):
    torch.save(obj, path(name), **kw)
    manifest[name] = describe(torch.load(path(name)))


def write(name, data):
    with open(path(name), 'wb') as f:
        f.write(data)


def torch_zip(name, pkl, records=None, archive='archive'):
    """A torch-style zip (stored entries) with a hand-made data.pkl."""
    with zipfile.ZipFile(path(name), 'w', compression=zipfile.ZIP_STORED) as z:
        z.writestr(f'{archive}/data.pkl', pkl)
        for key, data in (records or {}).items():
            z.writestr(f'{archive}/data/{key}', data)
        z.writestr(f'{archive}/version', '3\n')


torch.manual_seed(0)

# ---- state dict of a small MLP -----------------------------------------------------------------
mlp = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 3))
mlp(torch.randn(16, 4))  # moves the BatchNorm running statistics
save('mlp_state_dict.pth', mlp.state_dict())


# ---- checkpoint (handbook 12.2 / 15.3) --------------------------------------------------------
class Classifier(nn.Module):
    def __init__(self, input_dim, hidden_dim, num_classes, dropout=0.5):
        super().__init__()
        self.fc1 = nn.Linear(input_dim, hidden_dim)
        self.fc2 = nn.Linear(hidden_dim, hidden_dim)
        self.fc3 = nn.Linear(hidden_dim, num_classes)
        self.dropout = nn.Dropout(dropout)
        self.bn1 = nn.BatchNorm1d(hidden_dim)
        self.bn2 = nn.BatchNorm1d(hidden_dim)

    def forward(self, x):
        x = F.relu(self.bn1(self.fc1(x)))
        x = self.dropout(x)
        x = F.relu(self.bn2(self.fc2(x)))
        x = self.dropout(x)
        return self.fc3(x)


model = Classifier(6, 5, 3)
optimizer = torch.optim.AdamW(model.parameters(), lr=0.001, weight_decay=0.01)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=10)
criterion = nn.CrossEntropyLoss()
xb = torch.randn(8, 6)
yb = torch.tensor([0, 1, 2, 0, 1, 2, 0, 1])
for epoch in range(3):
    optimizer.zero_grad()
    loss = criterion(model(xb), yb)
    loss.backward()
    optimizer.step()
    scheduler.step()
save('checkpoint.pth', {
    'epoch': epoch,
    'model_state_dict': model.state_dict(),
    'optimizer_state_dict': optimizer.state_dict(),
    'scheduler_state_dict': scheduler.state_dict(),
    'loss': loss.item(),
    'best_acc': 0.75,
})
model.eval()
x = torch.randn(4, 6)
with torch.no_grad():
    save('classifier_io.pth', {'x': x, 'logits': model(x)})

# ---- every dtype ---------------------------------------------------------------------------------
inf, nan = math.inf, math.nan
save('dtypes.pth', {
    'float32': torch.tensor([0.0, -0.0, 1.5, -2.25, 3.4028234663852886e38, 1e-45, inf, -inf, nan], dtype=torch.float32),
    'float64': torch.tensor([0.0, -0.0, math.pi, 1e308, 5e-324, -inf, nan], dtype=torch.float64),
    'float16': torch.tensor([0.0, -0.0, 1.5, 65504.0, 6e-8, inf, nan], dtype=torch.float16),
    'bfloat16': torch.tensor([0.0, -0.0, 1.5, 3.3895313892515355e38, -inf, nan], dtype=torch.bfloat16),
    'int8': torch.tensor([-128, 127, 0, -1], dtype=torch.int8),
    'uint8': torch.tensor([0, 255, 7], dtype=torch.uint8),
    'int16': torch.tensor([-32768, 32767, 1], dtype=torch.int16),
    'int32': torch.tensor([-2**31, 2**31 - 1, 5], dtype=torch.int32),
    'int64': torch.tensor([-2**63, 2**63 - 1, 2**53 + 1, 0], dtype=torch.int64),
    'bool': torch.tensor([True, False, True]),
})

# ---- sharing and layouts ---------------------------------------------------------------------------
a = torch.arange(12, dtype=torch.float32).reshape(3, 4)
save('shared_view.pth', {'base': a, 'row': a[1], 'col': a[:, 2], 'strided': a[1:, ::2], 't': a.t(), 'same': [a, a]})
save('noncontiguous.pth', {
    'permuted': torch.arange(24).reshape(2, 3, 4).permute(2, 0, 1),
    'expanded': torch.tensor([1.0, 2.0, 3.0]).expand(4, 3),
    'narrowed': torch.arange(10.0, dtype=torch.float64)[3:7],
})
save('scalars.pth', {
    'f': torch.tensor(3.5), 'i': torch.tensor(-7), 'b': torch.tensor(True),
    'empty': torch.zeros(0), 'empty2d': torch.zeros(2, 0, 3, dtype=torch.int32),
})
save('int64_big.pth', {
    't': torch.tensor([2**60, -2**60, 2**63 - 1, -2**63, 2**53 + 1]),
    'n': 2**60, 'neg': -2**62, 'huge': 2**70,
})
save('parameter.pth', {'p': nn.Parameter(torch.ones(2)), 'frozen': nn.Parameter(torch.zeros(3), requires_grad=False), 'q': torch.ones(2, requires_grad=True)})
save('python_values.pth', {
    'tuple': (1, 'a', 2.5), 'nested': {'list': [1, [2, [3]]]}, 'none': None, 'yes': True, 'no': False,
    'set': {1, 2, 3}, 'bytes': b'\x00\xffab', 'float_int': 2.0, 'int_keys': {1: 'a', 2: 'b'},
    'tuple_keys': {(1, 2): 'x'}, 'unicode': 'h\u00e9llo \u2713', 'dtype': torch.float16, 'size': torch.Size([2, 3]),
    'neg': -5, 'i16': 40000, 'i32': -100000, 'f': -1.25e-300,
})

# ---- legacy format ----------------------------------------------------------------------------
b = torch.arange(6, dtype=torch.int16).reshape(2, 3)
save('legacy.pth', {'w': b, 'view': b[1:], 'sd': mlp.state_dict(), 'n': 5, 'x': 0.25}, _use_new_zipfile_serialization=False)

# ---- a zip written on a big-endian machine -------------------------------------------------------
buf = io.BytesIO()
torch.save({'x': torch.tensor([1.5, -2.0], dtype=torch.float32), 'y': torch.tensor([258], dtype=torch.int64)}, buf)
src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
with zipfile.ZipFile(path('big_endian.pth'), 'w', compression=zipfile.ZIP_STORED) as z:
    for info in src.infolist():
        data = src.read(info.filename)
        if '/data/' in info.filename:
            itemsize = 4 if info.filename.endswith('/0') else 8
            data = b''.join(data[i:i + itemsize][::-1] for i in range(0, len(data), itemsize))
        z.writestr(info.filename, data)
    z.writestr('archive/byteorder', 'big')
manifest['big_endian.pth'] = describe({'x': torch.tensor([1.5, -2.0]), 'y': torch.tensor([258])})


# ---- safetensors, by hand from the spec -------------------------------------------------------
def safetensors_bytes(tensors, metadata=None, pad=True):
    header, data, off = {}, b'', 0
    if metadata is not None:
        header['__metadata__'] = metadata
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {'dtype': dtype, 'shape': shape, 'data_offsets': [off, off + len(raw)]}
        data += raw
        off += len(raw)
    h = json.dumps(header).encode()
    if pad:
        h += b' ' * ((8 - len(h) % 8) % 8)
    return struct.pack('<Q', len(h)) + h + data


st_tensors = {
    'weight': ('F32', [2, 3], struct.pack('<6f', 1.0, -2.0, 3.5, 0.0, 1e-3, -1e30)),
    'bias': ('F64', [3], struct.pack('<3d', 0.1, math.pi, -0.0)),
    'half': ('F16', [2], struct.pack('<2e', 1.5, -65504.0)),
    'bf16': ('BF16', [2], struct.pack('<2H', 0x3fc0, 0xc000)),
    'i8': ('I8', [3], struct.pack('<3b', -128, 0, 127)),
    'u8': ('U8', [2], struct.pack('<2B', 0, 255)),
    'i16': ('I16', [2], struct.pack('<2h', -32768, 32767)),
    'i32': ('I32', [1, 2], struct.pack('<2i', -2**31, 7)),
    'i64': ('I64', [2], struct.pack('<2q', 2**60 + 1, -2**63)),
    'mask': ('BOOL', [3], bytes([1, 0, 1])),
    'scalar': ('F32', [], struct.pack('<f', 42.0)),
    'empty': ('F32', [0, 4], b''),
}
write('hand.safetensors', safetensors_bytes(st_tensors, {'format': 'pt', 'author': 'kindling'}))
st_expected = {
    'weight': torch.tensor([[1.0, -2.0, 3.5], [0.0, 1e-3, -1e30]], dtype=torch.float32),
    'bias': torch.tensor([0.1, math.pi, -0.0], dtype=torch.float64),
    'half': torch.tensor([1.5, -65504.0], dtype=torch.float16),
    'bf16': torch.tensor([1.5, -2.0], dtype=torch.bfloat16),
    'i8': torch.tensor([-128, 0, 127], dtype=torch.int8),
    'u8': torch.tensor([0, 255], dtype=torch.uint8),
    'i16': torch.tensor([-32768, 32767], dtype=torch.int16),
    'i32': torch.tensor([[-2**31, 7]], dtype=torch.int32),
    'i64': torch.tensor([2**60 + 1, -2**63], dtype=torch.int64),
    'mask': torch.tensor([True, False, True]),
    'scalar': torch.tensor(42.0),
    'empty': torch.zeros(0, 4),
}
manifest['hand.safetensors'] = {'tensors': {k: describe(v) for k, v in st_expected.items()}, 'metadata': {'format': 'pt', 'author': 'kindling'}}

two = {'a': ('F32', [2], struct.pack('<2f', 1, 2)), 'b': ('F32', [2], struct.pack('<2f', 3, 4))}
overlap = safetensors_bytes(two)
overlap = overlap.replace(b'"data_offsets": [8, 16]', b'"data_offsets": [4, 12]')
write('st_overlap.safetensors', overlap)
gap = safetensors_bytes({'a': ('F32', [1], struct.pack('<f', 1)), 'b': ('F32', [1], struct.pack('<f', 2))})
gap = gap.replace(b'"data_offsets": [4, 8]', b'"data_offsets": [5, 9]')
write('st_gap.safetensors', gap)
write('st_huge_header.safetensors', struct.pack('<Q', 2**40) + b'{"a": {}}')
write('st_truncated.safetensors', safetensors_bytes(two)[:-3])
write('st_bad_dtype.safetensors', safetensors_bytes({'c': ('C64', [1], b'\0' * 8)}))
write('st_bad_shape.safetensors', safetensors_bytes({'a': ('F32', [3], struct.pack('<2f', 1, 2))}))


# ---- hostile pickles ---------------------------------------------------------------------------
torch_zip('hostile_os_system.pth', b'\x80\x02cos\nsystem\nq\x00X\x0a\x00\x00\x00echo pwnedq\x01\x85q\x02Rq\x03.')
torch_zip('hostile_eval.pth', b'\x80\x02cbuiltins\neval\nq\x00X\x0b\x00\x00\x00print("hi")q\x01\x85q\x02Rq\x03.')


class Evil:
    def __reduce__(self):
        return (os.system, ('echo pwned',))


torch.save({'payload': Evil()}, path('hostile_legacy.pth'), _use_new_zipfile_serialization=False)

N = 5000
torch_zip('deep_nesting.pth', b'\x80\x02' + b']' * N + b'a' * (N - 1) + b'.')
torch_zip('memo_missing.pth', b'\x80\x02}q\x00X\x01\x00\x00\x00ah\x05s.')


class FakeStorage:
    pass


class FakeTensor:
    def __init__(self, size):
        self.size = size

    def __reduce__(self):
        return (torch._utils._rebuild_tensor_v2, (FakeStorage(), 0, self.size, (1,), False, OrderedDict()))


def fake_pickle(obj, numel):
    buf = io.BytesIO()
    p = pickle.Pickler(buf, protocol=2)
    p.persistent_id = lambda o: ('storage', torch.FloatStorage, '0', 'cpu', numel) if isinstance(o, FakeStorage) else None
    p.dump(obj)
    return buf.getvalue()


torch_zip('huge_numel.pth', fake_pickle({'t': FakeTensor((4,))}, 2**40), {'0': b'\0' * 16})
torch_zip('tensor_oob.pth', fake_pickle({'t': FakeTensor((1000,))}, 4), {'0': b'\0' * 16})

good = open(path('mlp_state_dict.pth'), 'rb').read()
write('truncated.pth', good[:len(good) // 2])
z = zipfile.ZipFile(path('mlp_state_dict.pth'))
info = next(i for i in z.infolist() if '/data/' in i.filename)
local_extra = struct.unpack('<H', good[info.header_offset + 28:info.header_offset + 30])[0]
data_at = info.header_offset + 30 + len(info.filename) + local_extra
flipped = bytearray(good)
flipped[data_at] ^= 0xff
write('bad_crc.pth', bytes(flipped))
cd = good.rfind(b'PK\x01\x02')  # the last central-directory entry
moved = bytearray(good)
moved[cd + 42:cd + 46] = struct.pack('<I', len(good) + 1000)
write('bad_offset.pth', bytes(moved))
write('truncated_legacy.pth', open(path('legacy.pth'), 'rb').read()[:200])

with open(path('manifest.json'), 'w') as f:
    json.dump(manifest, f, indent=1, sort_keys=True)
    f.write('\n')
print(f'wrote {len(os.listdir(OUT))} files to fixtures/io')
