import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';

/** The first Chromium on PATH (Debian's `chromium`, or another build's name), or undefined. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CHROMIUM_BIN) return env.CHROMIUM_BIN;
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
      try {
        accessSync(path.join(dir, name), constants.X_OK);
        return path.join(dir, name);
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** What went wrong on a page while it loaded and ran: console errors, uncaught exceptions, dialogs (an `alert` that ran). */
export interface PageProblems {
  console: string[];
  exceptions: string[];
  dialogs: string[];
  /** Every URL the page asked for besides itself. */
  requests: string[];
}

type Message = { id?: number; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown>; error?: { message: string }; sessionId?: string };

const TIMEOUT_MS = 20_000;

/**
 * Headless Chromium driven over the DevTools protocol through a pipe
 * (`--remote-debugging-pipe`: JSON messages ending in NUL on file
 * descriptors 3 and 4). No port to pick or race for, no WebSocket client
 * (Node 20 has none built in), and the protocol's events are the only
 * reliable way to read console errors, exceptions and dialogs.
 */
export class Chromium {
  private next = 0;
  private buffer = '';
  private readonly pending = new Map<number, { resolve(m: Message): void; reject(e: Error): void }>();
  private readonly listeners: Array<(m: Message) => void> = [];
  private stderr = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly profile: string,
  ) {
    const out = child.stdio[4] as Readable;
    out.on('data', (d: Buffer) => this.receive(d.toString('utf8')));
    child.stderr?.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4000)));
    child.on('exit', () => {
      for (const p of this.pending.values()) p.reject(new Error(`chromium exited:\n${this.stderr}`));
      this.pending.clear();
    });
  }

  static async launch(bin: string): Promise<Chromium> {
    const profile = mkdtempSync(path.join(os.tmpdir(), 'masync-chromium-'));
    const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--remote-debugging-pipe', `--user-data-dir=${profile}`];
    const quiet = ['--no-first-run', '--no-default-browser-check', '--disable-extensions', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--mute-audio'];
    const child = spawn(bin, [...args, ...quiet, 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
    const browser = new Chromium(child, profile);
    await browser.send('Browser.getVersion');
    return browser;
  }

  /** Load `url` in a fresh tab `width` × `height` CSS pixels, and wait for its load event; `javascript: false` loads it as a browser with scripts off would. */
  async open(url: string, viewport: { width: number; height: number }, opts: { javascript?: boolean } = {}): Promise<Page> {
    const { targetId } = (await this.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await this.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    const problems: PageProblems = { console: [], exceptions: [], dialogs: [], requests: [] };
    this.listeners.push((m) => {
      if (m.sessionId !== sessionId || !m.params) return;
      // Protocol events are JSON of many shapes; only the few fields read below matter.
      const p = m.params as Record<string, any>;
      if (m.method === 'Runtime.consoleAPICalled' && (p.type === 'error' || p.type === 'assert')) problems.console.push((p.args as Array<{ value?: unknown; description?: string }>).map((a) => String(a.value ?? a.description)).join(' '));
      if (m.method === 'Log.entryAdded' && p.entry.level === 'error') problems.console.push(`${p.entry.source}: ${p.entry.text}`);
      if (m.method === 'Runtime.exceptionThrown') problems.exceptions.push(String(p.exceptionDetails.exception?.description ?? p.exceptionDetails.text));
      if (m.method === 'Page.javascriptDialogOpening') {
        problems.dialogs.push(`${p.type}: ${p.message}`);
        void this.send('Page.handleJavaScriptDialog', { accept: false }, sessionId);
      }
      if (m.method === 'Network.requestWillBeSent' && p.request.url !== url) problems.requests.push(p.request.url);
    });
    for (const domain of ['Runtime', 'Log', 'Page', 'Network']) await this.send(`${domain}.enable`, {}, sessionId);
    await this.send('Emulation.setDeviceMetricsOverride', { width: viewport.width, height: viewport.height, deviceScaleFactor: 1, mobile: viewport.width < 600 }, sessionId);
    if (opts.javascript === false) await this.send('Emulation.setScriptExecutionDisabled', { value: true }, sessionId);
    const loaded = this.event('Page.loadEventFired', sessionId);
    await this.send('Page.navigate', { url }, sessionId);
    await loaded;
    return new Page(this, sessionId, problems, viewport);
  }

  async close(): Promise<void> {
    await this.send('Browser.close').catch(() => undefined);
    if (this.child.exitCode === null) await new Promise((resolve) => this.child.once('exit', resolve));
    rmSync(this.profile, { recursive: true, force: true });
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`chromium: ${method} timed out`));
      }, TIMEOUT_MS);
      this.pending.set(id, {
        resolve: (m) => {
          clearTimeout(timer);
          if (m.error) reject(new Error(`chromium: ${method}: ${m.error.message}`));
          else resolve(m.result ?? {});
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      (this.child.stdio[3] as Writable).write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  }

  private event(method: string, sessionId: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`chromium: no ${method} within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      this.listeners.push((m) => {
        if (m.method === method && m.sessionId === sessionId) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }

  private receive(text: string): void {
    this.buffer += text;
    for (let end = this.buffer.indexOf('\0'); end >= 0; end = this.buffer.indexOf('\0')) {
      const m = JSON.parse(this.buffer.slice(0, end)) as Message;
      this.buffer = this.buffer.slice(end + 1);
      const waiting = m.id !== undefined ? this.pending.get(m.id) : undefined;
      if (waiting && m.id !== undefined) {
        this.pending.delete(m.id);
        waiting.resolve(m);
      } else for (const l of this.listeners) l(m);
    }
  }
}

/** One loaded tab. */
export class Page {
  constructor(
    private readonly browser: Chromium,
    private readonly sessionId: string,
    readonly problems: PageProblems,
    private readonly viewport: { width: number; height: number },
  ) {}

  /** Evaluate an expression in the page; its value comes back as JSON. */
  async evaluate<T>(expression: string): Promise<T> {
    const r = (await this.browser.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }, this.sessionId)) as { result: { value: T }; exceptionDetails?: { text: string } };
    if (r.exceptionDetails) throw new Error(`in the page: ${r.exceptionDetails.text}`);
    return r.result.value;
  }

  /** A PNG of the viewport, or of the whole page. */
  async screenshot(file: string, opts: { fullPage: boolean }): Promise<void> {
    let clip: Record<string, number> | undefined;
    if (opts.fullPage) {
      const m = (await this.browser.send('Page.getLayoutMetrics', {}, this.sessionId)) as { cssContentSize: { height: number } };
      clip = { x: 0, y: 0, width: this.viewport.width, height: Math.ceil(m.cssContentSize.height), scale: 1 };
    }
    const shot = (await this.browser.send('Page.captureScreenshot', { format: 'png', ...(clip ? { clip, captureBeyondViewport: true } : {}) }, this.sessionId)) as { data: string };
    writeFileSync(file, Buffer.from(shot.data, 'base64'));
  }
}
