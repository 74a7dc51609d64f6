import * as torch from 'kindling';

const { nn } = torch;
const F = nn.functional;

/** Handbook 15.1: the basic classifier (three linear layers, batch norm, dropout). */
export class Classifier extends nn.Module {
  fc1: torch.nn.Linear;
  fc2: torch.nn.Linear;
  fc3: torch.nn.Linear;
  dropout: torch.nn.Dropout;
  bn1: torch.nn.BatchNorm1d;
  bn2: torch.nn.BatchNorm1d;
  constructor(inputDim: number, hiddenDim: number, numClasses: number, dropout = 0.5) {
    super();
    this.fc1 = new nn.Linear(inputDim, hiddenDim);
    this.fc2 = new nn.Linear(hiddenDim, hiddenDim);
    this.fc3 = new nn.Linear(hiddenDim, numClasses);
    this.dropout = new nn.Dropout(dropout);
    this.bn1 = new nn.BatchNorm1d(hiddenDim);
    this.bn2 = new nn.BatchNorm1d(hiddenDim);
  }
  override forward(x: torch.Tensor): torch.Tensor {
    x = F.relu(this.bn1.forward(this.fc1.forward(x)));
    x = this.dropout.forward(x);
    x = F.relu(this.bn2.forward(this.fc2.forward(x)));
    x = this.dropout.forward(x);
    return this.fc3.forward(x); // logits
  }
}

/** Handbook 15.2: the CNN (its first layer takes one channel here: MNIST digits are grayscale). */
export class CNN extends nn.Module {
  features: torch.nn.Sequential;
  classifier: torch.nn.Linear;
  constructor(numClasses = 10, inChannels = 1) {
    super();
    this.features = new nn.Sequential(
      new nn.Conv2d(inChannels, 64, 3, { padding: 1 }),
      new nn.BatchNorm2d(64),
      new nn.ReLU(true),
      new nn.MaxPool2d(2, 2),

      new nn.Conv2d(64, 128, 3, { padding: 1 }),
      new nn.BatchNorm2d(128),
      new nn.ReLU(true),
      new nn.MaxPool2d(2, 2),

      new nn.Conv2d(128, 256, 3, { padding: 1 }),
      new nn.BatchNorm2d(256),
      new nn.ReLU(true),
      new nn.AdaptiveAvgPool2d([1, 1]),
    );
    this.classifier = new nn.Linear(256, numClasses);
  }
  override forward(x: torch.Tensor): torch.Tensor {
    let h = this.features.forward(x) as torch.Tensor;
    h = h.flatten(1);
    return this.classifier.forward(h);
  }
}
