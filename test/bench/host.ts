import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { HostReply, HostRequest } from './protocol';

/** The emulator host process, and a request/answer call over its IPC channel. */
export class EmulatorHost {
  private readonly child: ChildProcess;
  private next = 1;
  private readonly waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  constructor() {
    this.child = fork(path.join(__dirname, 'emulator-host.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (m: HostReply) => {
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (m.ok) w?.resolve(m.value);
      else w?.reject(new Error(`emulator host: ${m.error}`));
    });
    this.child.on('exit', (code) => {
      for (const w of this.waiting.values()) w.reject(new Error(`emulator host exited (${code ?? 'signal'})`));
      this.waiting.clear();
    });
  }

  ask<T>(req: HostRequest): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: (v) => resolve(v as T), reject });
      this.child.send({ id, req });
    });
  }

  /** Stop the emulators and let the process end. */
  async close(): Promise<void> {
    await this.ask({ op: 'stop' }).catch(() => undefined);
    this.child.disconnect();
  }
}
