// Paths (Node): save/load to files, as torch.save(obj, 'model.pth') / torch.load('model.pth').
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import * as torch from '@kindling/tensor';
import { Tensor } from '@kindling/tensor';
import { load, loadSafetensors, safetensorsMetadata, save, saveAsync, saveSafetensors } from '../src/index.js';
import { ZipReader } from '../src/zip/reader.js';
import { FIXTURES } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'kindling-io-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('files', () => {
  it('save to a path and load it back; the archive is named after the file, as torch names it', async () => {
    const sd = { 'fc.weight': torch.ones(2, 3), 'fc.bias': torch.zeros(2) };
    const path = join(dir, 'model_weights.v1.pth');
    await save(sd, path);
    const zip = new ZipReader(new Uint8Array(readFileSync(path)));
    expect(zip.has('model_weights.v1/data.pkl')).toBe(true);
    const back = await load<Record<string, Tensor>>(path);
    expect(back['fc.weight']!.tolist()).toEqual([[1, 1, 1], [1, 1, 1]]);
    const viaUrl = await load<Record<string, Tensor>>(pathToFileURL(path));
    expect(viaUrl['fc.bias']!.shape).toEqual([2]);
  });

  it('loads PyTorch fixtures by path, with options', async () => {
    const sd = await load<Record<string, Tensor>>(join(FIXTURES, 'mlp_state_dict.pth'), { mapLocation: 'cpu' });
    expect(Object.keys(sd)).toHaveLength(9);
  });

  it('bytes in, bytes out: Uint8Array and ArrayBuffer', async () => {
    const bytes = save(torch.arange(3));
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(load<Tensor>(bytes.slice().buffer).tolist()).toEqual([0, 1, 2]);
    expect(load<Tensor>(await saveAsync(torch.arange(2))).tolist()).toEqual([0, 1]);
  });

  it('safetensors by path', async () => {
    const path = join(dir, 'weights.safetensors');
    await saveSafetensors({ w: torch.full([2], 3) }, path, { metadata: { step: '10' } });
    expect((await loadSafetensors(path))['w']!.tolist()).toEqual([3, 3]);
    expect(await safetensorsMetadata(path)).toEqual({ step: '10' });
  });

  it('a missing file is the file system error', async () => {
    await expect(load(join(dir, 'nope.pth'))).rejects.toThrow(/ENOENT/);
  });
});
