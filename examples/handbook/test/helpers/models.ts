// The handbook's models (5.9, 15.1) written as a Kindling user would write them.
import type { Tensor } from 'kindling';
import { nn } from 'kindling';

/** Handbook 15.1: the very class the main job trains. */
import { Classifier } from '../../../mnist/src/models.js';

export { Classifier };

/** Handbook 5.9: ModuleList. */
export class MyModel extends nn.Module {
  layers: nn.ModuleList;
  constructor(numLayers: number) {
    super();
    this.layers = new nn.ModuleList(Array.from({ length: numLayers }, () => new nn.Linear(128, 128)));
  }
  override forward(x: Tensor): Tensor {
    for (const layer of this.layers) x = layer.forward(x) as Tensor;
    return x;
  }
}

/** Handbook 5.9: ModuleDict. */
export class MultiTaskModel extends nn.Module {
  backbone = new nn.Linear(128, 64);
  heads = new nn.ModuleDict({
    classification: new nn.Linear(64, 10),
    regression: new nn.Linear(64, 1),
  });
  override forward(x: Tensor, task: string): Tensor {
    x = this.backbone.forward(x);
    return this.heads.get(task).forward(x) as Tensor;
  }
}

export function handbookModels(): Record<string, nn.Module> {
  return {
    Classifier: new Classifier(784, 256, 10),
    Sequential: new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 128), new nn.ReLU(), new nn.Linear(128, 10)),
    SequentialOrderedDict: new nn.Sequential({ fc1: new nn.Linear(784, 256), relu1: new nn.ReLU(), fc2: new nn.Linear(256, 10) }),
    MyModel: new MyModel(3),
    MultiTaskModel: new MultiTaskModel(),
  };
}
