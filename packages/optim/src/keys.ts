// Option names are camelCase at the API and PyTorch's snake_case inside state dicts, so a state dict
// written by PyTorch loads here and one written here loads in PyTorch. Names that are symbols rather
// than words (T_max, T_0, T_mult) have no lowercase letter before their underscore and stay as they are.

/** `weightDecay` → `weight_decay`, `_stepCount` → `_step_count`, `T_max` → `T_max`. */
export function toSnake(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, (_, a: string, b: string) => `${a}_${b.toLowerCase()}`);
}

/** `weight_decay` → `weightDecay`, `_step_count` → `_stepCount`, `T_max` → `T_max`. */
export function toCamel(key: string): string {
  return key.replace(/([a-z0-9])_([a-z])/g, (_, a: string, b: string) => `${a}${b.toUpperCase()}`);
}
