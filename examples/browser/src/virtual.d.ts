declare module 'virtual:kindling-webgpu' {
  /** Imports @kindling/backend-webgpu (registering the webgpu device), or null when the page was built without it. */
  export const loadWebgpu: (() => Promise<unknown>) | null;
}
