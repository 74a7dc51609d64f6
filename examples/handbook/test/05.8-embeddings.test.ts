// Handbook 5.8 Embedding 层 (embeddings): the section's code block in TypeScript, run as a test that checks
// the values and shapes its comments state.
import { describe, expect, test } from 'vitest';
import * as torch from 'kindling';
import { nn } from 'kindling';

describe('5.8 embeddings', () => {
  test('Embedding with padding_idx', () => {
    const embedding = new nn.Embedding({ numEmbeddings: 10000, embeddingDim: 256, paddingIdx: 0 });
    const inputIds = torch.tensor([[1, 2, 4, 5], [4, 3, 2, 0]]);
    const embedded = embedding.forward(inputIds);
    expect(embedded.shape).toEqual([2, 4, 256]);
    expect(embedding.weight.select(0, 0).abs().sum().item()).toBe(0);
    embedded.sum().backward();
    expect(embedding.weight.grad!.select(0, 0).abs().sum().item()).toBe(0);
    expect(embedding.weight.grad!.select(0, 4).tolist()).toEqual(new Array(256).fill(2));
  });
  test('from_pretrained(freeze=False) shares and trains the given tensor', () => {
    const pretrained = torch.randn(10000, 256);
    const embedding = nn.Embedding.fromPretrained(pretrained, { freeze: false });
    expect(embedding.weight.requiresGrad).toBe(true);
    expect(embedding.weight.equal(pretrained)).toBe(true);
    expect(nn.Embedding.fromPretrained(pretrained).weight.requiresGrad).toBe(false);
  });
  test('EmbeddingBag(mode=mean) with offsets', () => {
    const embag = new nn.EmbeddingBag(1000, 128, { mode: 'mean' });
    const inputIds = torch.tensor([1, 2, 4, 5, 4, 3, 2]);
    const offsets = torch.tensor([0, 4]);
    const output = embag.forward(inputIds, offsets);
    expect(output.shape).toEqual([2, 128]);
    const w = embag.weight;
    expect(output.select(0, 1).allclose(w.index(torch.tensor([4, 3, 2])).mean(0))).toBe(true);
  });
});
