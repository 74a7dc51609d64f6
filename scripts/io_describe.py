#!/usr/bin/python3
"""Describe objects loaded by torch.load as JSON, for @kindling/io's tests.

Used two ways:
- imported by gen_io_fixtures.py, to write the expected contents of each fixture;
- run as `/usr/bin/python3 scripts/io_describe.py FILE...` by packages/io/test/torch-interop.test.ts,
  to check that PyTorch reads the files Kindling writes. It prints one JSON object: for each file,
  {"value": description} from torch.load, plus "weights_only": description or error message
  (or, for a .safetensors file, {"safetensors": {tensors, metadata, order}} from a reader written
  from the spec).

A description is exact: floats are JSON numbers (repr round-trips) or "nan"/"inf"/"-inf"/"-0";
int64 tensor elements and Python ints are decimal strings; tensors list dtype, shape, stride,
storage offset, a storage id (numbered in order of first appearance, so sharing is visible),
requires_grad, whether it is a Parameter, and the values in logical (row-major) order.
"""
import json
import math
import sys
from collections import OrderedDict

import torch


def enc_float(v):
    if math.isnan(v):
        return 'nan'
    if math.isinf(v):
        return 'inf' if v > 0 else '-inf'
    if v == 0 and math.copysign(1.0, v) < 0:
        return '-0'
    return v


DTYPES = {
    torch.float32: 'float32', torch.float64: 'float64', torch.float16: 'float16', torch.bfloat16: 'bfloat16',
    torch.int8: 'int8', torch.uint8: 'uint8', torch.int16: 'int16', torch.int32: 'int32', torch.int64: 'int64',
    torch.bool: 'bool',
}


class Describer:
    def __init__(self):
        self.storages = {}

    def storage_id(self, t):
        s = t.storage()
        ptr = s.data_ptr()
        key = ptr if ptr != 0 else ('empty', id(t))
        if key not in self.storages:
            self.storages[key] = len(self.storages)
        return self.storages[key]

    def tensor(self, t):
        flat = t.detach().reshape(-1).tolist()
        if t.dtype == torch.int64:
            values = [str(v) for v in flat]
        elif t.dtype == torch.bool:
            values = [bool(v) for v in flat]
        elif t.dtype.is_floating_point:
            values = [enc_float(v) for v in flat]
        else:
            values = [int(v) for v in flat]
        return {
            'tensor': DTYPES[t.dtype],
            'shape': list(t.shape),
            'stride': list(t.stride()),
            'offset': t.storage_offset(),
            'storage': self.storage_id(t),
            'requires_grad': t.requires_grad,
            'parameter': isinstance(t, torch.nn.Parameter),
            'device': str(t.device),
            'values': values,
        }

    def __call__(self, x):
        if isinstance(x, torch.Tensor):
            return self.tensor(x)
        if isinstance(x, bool) or x is None:
            return x
        if isinstance(x, int):
            return {'int': str(x)}
        if isinstance(x, float):
            return {'float': enc_float(x)}
        if isinstance(x, str):
            return x
        if isinstance(x, bytes):
            return {'bytes': list(x)}
        if isinstance(x, torch.dtype):
            return {'dtype': DTYPES.get(x, str(x))}
        if isinstance(x, torch.Size):
            return {'tuple': [self(v) for v in x]}
        if isinstance(x, tuple):
            return {'tuple': [self(v) for v in x]}
        if isinstance(x, list):
            return {'list': [self(v) for v in x]}
        if isinstance(x, (set, frozenset)):
            return {'set': sorted((self(v) for v in x), key=json.dumps)}
        if isinstance(x, dict):
            out = {'dict': [[self(k), self(v)] for k, v in x.items()]}
            if isinstance(x, OrderedDict):
                out['ordered'] = True
                meta = getattr(x, '_metadata', None)
                if meta is not None:
                    out['metadata'] = self(meta)
            return out
        return {'object': type(x).__name__}


def describe(x):
    return Describer()(x)


ST_DTYPES = {
    'F32': torch.float32, 'F64': torch.float64, 'F16': torch.float16, 'BF16': torch.bfloat16, 'I8': torch.int8,
    'U8': torch.uint8, 'I16': torch.int16, 'I32': torch.int32, 'I64': torch.int64, 'BOOL': torch.bool,
}


def read_safetensors(p):
    """A reader written from the safetensors spec (the safetensors package is not installed)."""
    import struct
    data = open(p, 'rb').read()
    (n,) = struct.unpack('<Q', data[:8])
    header = json.loads(data[8:8 + n])
    body = data[8 + n:]
    metadata = header.pop('__metadata__', {})
    tensors = {}
    for name, info in header.items():
        begin, end = info['data_offsets']
        raw = bytearray(body[begin:end])
        dtype = ST_DTYPES[info['dtype']]
        t = torch.frombuffer(raw, dtype=dtype) if raw else torch.empty(0, dtype=dtype)
        tensors[name] = t.reshape(info['shape'])
    return {'tensors': {k: describe(v) for k, v in tensors.items()}, 'metadata': metadata, 'order': list(header.keys())}


def main(paths):
    out = {}
    for p in paths:
        entry = {}
        if p.endswith('.safetensors'):
            try:
                entry['safetensors'] = read_safetensors(p)
            except Exception as e:  # noqa: BLE001
                entry['error'] = f'{type(e).__name__}: {e}'
            out[p] = entry
            continue
        try:
            entry['value'] = describe(torch.load(p))
        except Exception as e:  # noqa: BLE001 - reported to the test
            entry['error'] = f'{type(e).__name__}: {e}'
        try:
            entry['weights_only'] = describe(torch.load(p, weights_only=True))
        except Exception as e:  # noqa: BLE001
            entry['weights_only_error'] = f'{type(e).__name__}: {e}'
        out[p] = entry
    json.dump(out, sys.stdout)


if __name__ == '__main__':
    main(sys.argv[1:])
