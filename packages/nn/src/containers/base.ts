import { Module } from '../module.js';

/**
 * Children kept in an ordered Map (plain objects would reorder integer-like names), readable as
 * properties too: `seq[0]` by position and `seq.fc1` by name, as in PyTorch. Names that would shadow a
 * method or field (`keys`, `forward`) are reachable only through `get`.
 */
export abstract class ModuleContainer extends Module {
  protected readonly items = new Map<string, Module>();
  private exposed: string[] = [];
  constructor() {
    super();
    Object.defineProperty(this, 'items', { value: this.items, enumerable: false });
    Object.defineProperty(this, 'exposed', { value: this.exposed, enumerable: false, writable: true });
  }
  protected override ownModules(): [string, Module | null][] {
    return [...this.items];
  }
  /** Redefine the accessor properties after any change to `items`. */
  protected refresh(): void {
    for (const k of this.exposed) delete (this as Record<string, unknown>)[k];
    this.exposed = [];
    const expose = (key: string, get: () => Module | undefined) => {
      if (key in this) return;
      Object.defineProperty(this, key, { get, enumerable: false, configurable: true });
      this.exposed.push(key);
    };
    const entries = [...this.items];
    entries.forEach(([, m], i) => expose(String(i), () => m));
    for (const [k, m] of entries) expose(k, () => m);
  }
  protected put(name: string, m: Module): void {
    if (!(m instanceof Module)) throw new TypeError(`${String(m)} is not a Module subclass`);
    if (name.includes('.')) throw new Error(`module name can't contain ".", got: ${name}`);
    if (name === '') throw new Error('module name can\'t be empty string ""');
    this.items.set(name, m);
    this.refresh();
  }
  /** Position (negative from the end) to key, with Python's IndexError message. */
  protected keyAt(i: number): string {
    const keys = [...this.items.keys()];
    const n = keys.length;
    const j = i < 0 ? i + n : i;
    if (!Number.isInteger(i) || j < 0 || j >= n) throw new RangeError(`index ${i} is out of range`);
    return keys[j]!;
  }
  get length(): number {
    return this.items.size;
  }
}
