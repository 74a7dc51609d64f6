// The training run the page shows, shared with the Node test: handbook 15.1's Classifier (the very
// class the main job trains, examples/mnist/src/models.ts), a few AdamW steps on a fixed synthetic
// batch of "images" (784 features, 10 classes), everything seeded. Same seed, same numbers: in Node and
// in the browser the TypeScript kernels run the same float32 arithmetic.
import * as torch from 'kindling';
import { Classifier } from '../../mnist/src/models.js';

export interface TrainOptions {
  steps?: number;
  batchSize?: number;
  hidden?: number;
  seed?: number;
  device?: string;
}

export interface TrainResult {
  device: string;
  losses: number[];
  /** Accuracy on the training batch after the last step, in eval mode. */
  accuracy: number;
}

export async function train(opts: TrainOptions = {}): Promise<TrainResult> {
  const { steps = 8, batchSize = 32, hidden = 64, seed = 0, device = 'cpu' } = opts;
  const { nn, optim } = torch;
  torch.manualSeed(seed);
  // Synthetic, learnable data: each class has its own mean pattern, plus noise.
  const centers = torch.randn(10, 784);
  const y = torch.randint(0, 10, [batchSize]);
  const x = centers.indexSelect(0, y).add(torch.randn(batchSize, 784).mul(0.5)).to(device);
  const target = y.to(device);

  const model = new Classifier(784, hidden, 10).to(device);
  const optimizer = new optim.AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.01 });
  const criterion = new nn.CrossEntropyLoss();
  const losses: number[] = [];
  model.train();
  for (let step = 0; step < steps; step++) {
    optimizer.zeroGrad();
    const loss = criterion.forward(model.forward(x), target);
    loss.backward();
    optimizer.step();
    losses.push(Number(await loss.itemAsync()));
  }
  model.eval();
  const correct = await torch.noGrad(() => model.forward(x).argmax(1).eq(target).sum()).itemAsync();
  return { device, losses, accuracy: Number(correct) / batchSize };
}
