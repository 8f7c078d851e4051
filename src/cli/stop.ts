import type { StopControl } from './io';

/**
 * Signal handling for the real process: the first SIGINT/SIGTERM asks the
 * command to stop (no new writes), a second one or the grace period running
 * out cuts what is in flight. Handlers stay installed, so a second signal
 * never kills the process before the lease is released and the journal written.
 */
export function processStopControl(stderr: NodeJS.WritableStream): StopControl & { dispose(): void } {
  const soft = new AbortController();
  const hard = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const control: StopControl & { dispose(): void } = {
    stopping: soft.signal,
    signal: hard.signal,
    graceMs: 30_000,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (timer) clearTimeout(timer);
    },
  };
  const say = (text: string) => (control.notify ? control.notify(text) : stderr.write(`\nmasync: ${text}\n`));
  function onSignal(sig: NodeJS.Signals): void {
    if (!control.received) {
      control.received = sig;
      say(`${sig}: starting nothing new; writes in flight get up to ${Math.round(control.graceMs / 1000)} s to finish (send it again to stop at once)`);
      soft.abort(new Error(`stopped by ${sig}`));
      timer = setTimeout(() => hard.abort(new Error(`stopped by ${sig}: grace period over`)), control.graceMs);
      timer.unref();
      return;
    }
    say(`${sig} again: stopping now`);
    hard.abort(new Error(`stopped by a second ${sig}`));
  }
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return control;
}

/** 128 + the signal's number, as shells report a process a signal ended: 130 for SIGINT, 143 for SIGTERM. */
export function signalExitCode(sig: NodeJS.Signals): number {
  return sig === 'SIGINT' ? 130 : sig === 'SIGTERM' ? 143 : 1;
}
