// Kindling's whole-model format. PyTorch pickles a whole model as its Python classes, which only
// Python can rebuild; Kindling stores instead, as plain data inside an ordinary torch.save file:
//
//   { __kindling__: 'module', format_version: 1, class: 'Classifier',
//     state_dict: OrderedDict(...),        // model.stateDict(): what PyTorch users can load
//     structure: node }                    // how to rebuild the object without its constructor
//   node = { __kindling__: 'node', class, training,
//            attributes: [[name, value, enumerable], ...],   // own data properties, in order;
//                                                            // child modules are nodes
//            buffers: [[name, tensor | None, persistent], ...],
//            aliases: [[name, path], ...] }                  // getters that reach a child (seq.fc1)
//                                                            // or a buffer (bn.runningMean)
//   Maps and Sets in attributes: { __kindling__: 'map', items: [[k, v], ...] } / { …: 'set', items }
//
// `load` rebuilds it from classes registered by name (registry.ts), the way Python's unpickler makes
// an object without calling __init__ and then restores its __dict__.

export const MODULE_MARK = '__kindling__';
export const MODULE_FORMAT_VERSION = 1;
