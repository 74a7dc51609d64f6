// The Classifier trains in a web page: the page is built with Vite (from the packages' published
// entry points, dist/, as a user's bundler sees them), served by a small static server, and opened in
// headless Chromium (Debian's package, driven by playwright-core). Its losses must equal the same run
// in Node exactly: this project runs Node with KINDLING_NO_NATIVE=1 (vitest.config.ts), so both sides
// run the same TypeScript kernels, whose float32 arithmetic (Math.fround after every operation, sums in
// a fixed order) has one correct result in any conforming JavaScript engine. The seed fixes the data, the
// initial weights and the dropout masks.
//
// `npm test` installs Chromium (scripts/install-chromium.sh) when it runs as root. Without it
// this test is skipped, loudly; in CI (CI=true) a missing Chromium is a failure instead.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { train, type TrainResult } from '../src/train.js';

const here = dirname(fileURLToPath(import.meta.url));
const exampleDir = join(here, '..');
const CHROMIUM = process.env['KINDLING_CHROMIUM'] ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const inCI = !!process.env['CI'] && process.env['CI'] !== 'false';

if (!haveChromium) {
  const message = `browser test: ${CHROMIUM} not found (install Debian's chromium: apt-get install -y chromium, or set KINDLING_CHROMIUM)`;
  if (!inCI) console.warn(`${message}; SKIPPING the browser test`);
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
};

/** Serves a directory, nothing outside it. */
function serve(root: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(root, path);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!file.startsWith(root) || !existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

interface PageResult {
  done: boolean;
  cpu?: TrainResult;
  webgpu?: TrainResult | { skipped: string };
  slice?: { name: string; ok: boolean; detail: string }[];
  error?: string;
}

describe.skipIf(!haveChromium && !inCI)('the Classifier in headless Chromium', () => {
  let server: Server | undefined;
  let profile = '';
  let page: PageResult | undefined;
  const consoleLines: string[] = [];
  const buildWarnings: string[] = [];

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`CI=true but ${CHROMIUM} is missing: the set-up should have installed Debian's chromium`);
    const { build, createLogger } = await import('vite');
    const outDir = mkdtempSync(join(tmpdir(), 'kindling-browser-dist-'));
    const customLogger = createLogger('warn');
    const warn = customLogger.warn.bind(customLogger);
    const warnOnce = customLogger.warnOnce.bind(customLogger);
    customLogger.warn = (msg, options) => {
      buildWarnings.push(msg);
      warn(msg, options);
    };
    customLogger.warnOnce = (msg, options) => {
      buildWarnings.push(msg);
      warnOnce(msg, options);
    };
    // A production build, as `vite build` makes it (vitest sets NODE_ENV=test, which Vite would follow).
    const nodeEnv = process.env['NODE_ENV'];
    process.env['NODE_ENV'] = 'production';
    try {
      await build({ root: exampleDir, configFile: join(exampleDir, 'vite.config.ts'), mode: 'production', logLevel: 'warn', customLogger, build: { outDir, emptyOutDir: true } });
    } finally {
      process.env['NODE_ENV'] = nodeEnv;
    }
    server = await serve(outDir);
    const { port } = server.address() as AddressInfo;

    const { chromium } = await import('playwright-core');
    profile = mkdtempSync(join(tmpdir(), 'kindling-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless', '--no-sandbox', '--disable-quic', '--no-first-run',
        // WebGPU on SwiftShader, Chromium's own CPU Vulkan: no GPU needed.
        '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--enable-features=Vulkan', '--use-angle=swiftshader',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
        '--disable-dev-shm-usage', // containers (CI) give /dev/shm 64 MB
      ],
    });
    try {
      const tab = context.pages()[0] ?? (await context.newPage());
      tab.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
      tab.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
      await tab.goto(`http://127.0.0.1:${port}/`);
      await tab.waitForFunction(() => (window as { kindlingResult?: { done: boolean } }).kindlingResult?.done === true, null, { timeout: 120_000 });
      page = await tab.evaluate(() => (window as unknown as { kindlingResult: PageResult }).kindlingResult);
      const shown = await tab.textContent('#losses');
      consoleLines.push(`#losses: ${shown ?? ''}`);
    } finally {
      await context.close();
      rmSync(outDir, { recursive: true, force: true });
    }
  });

  afterAll(() => {
    server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  test('the packages bundle for the browser without Node built-ins (their `browser` fields map them away)', () => {
    expect(buildWarnings.filter((w) => /externalized for browser compatibility|node:/.test(w))).toEqual([]);
  });

  test('the page trains on the cpu device without errors', () => {
    expect(page?.error, consoleLines.join('\n')).toBeUndefined();
    expect(page?.cpu?.device).toBe('cpu');
    const losses = page!.cpu!.losses;
    expect(losses).toHaveLength(8);
    for (const l of losses) expect(Number.isFinite(l)).toBe(true);
    expect(losses[7]!).toBeLessThan(losses[0]!); // it learns
    expect(consoleLines.filter((l) => l.startsWith('pageerror'))).toEqual([]);
  });

  test('same seed, same numbers: the page\'s losses equal Node\'s exactly', async () => {
    const node = await train({ device: 'cpu' });
    expect(page!.cpu!.losses).toEqual(node.losses);
    expect(page!.cpu!.accuracy).toBe(node.accuracy);
  });

  test('the same training steps run on webgpu (SwiftShader) and give the cpu losses', () => {
    expect(page?.webgpu).toBeDefined();
    const w = page!.webgpu!;
    console.log(`browser: cpu losses ${page!.cpu!.losses.map((l) => l.toFixed(4)).join(' ')}; webgpu: ${'skipped' in w ? `skipped (${w.skipped})` : w.losses.map((l) => l.toFixed(4)).join(' ')}`);
    // Chromium is started with WebGPU on SwiftShader, so the page must have run it.
    if ('skipped' in w) expect.fail(`webgpu did not run in the page: ${w.skipped}`);
    else {
      expect(w.device).toBe('webgpu');
      expect(w.losses).toHaveLength(8);
      // Same seed, same data, weights and dropout masks on every backend; the GPU sums in another order,
      // so the float32 losses agree to about 1e-4 over these 8 steps, not bit for bit.
      w.losses.forEach((l, i) => expect(Math.abs(l - page!.cpu!.losses[i]!)).toBeLessThan(1e-3));
    }
  });

  test('a slice of the op suite on webgpu in the page equals cpu', () => {
    const slice = page?.slice ?? [];
    console.log(`browser: webgpu op slice: ${slice.filter((c) => c.ok).length}/${slice.length} agree with cpu`);
    expect(slice.length).toBeGreaterThanOrEqual(17);
    expect(slice.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`)).toEqual([]);
  });
});

// Without Chromium (and not in CI) the suite above is skipped; this names the reason in the summary.
if (!haveChromium && !inCI) test.skip(`browser test: ${CHROMIUM} is not installed (apt-get install -y chromium)`, () => {});
