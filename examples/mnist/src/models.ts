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
