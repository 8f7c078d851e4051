import type { EmulatorServer } from './server';

/** A vendor emulator around the kit's server: start, stop and its URL, the same for every one. */
export abstract class HostedEmulator {
  abstract readonly server: EmulatorServer;

  /** Listens on 127.0.0.1 (a free port unless given); resolves to the base URL. */
  start(port?: number): Promise<string> {
    return this.server.start(port);
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  get url(): string {
    return this.server.url;
  }
}
