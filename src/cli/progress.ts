import type { Progress } from '../engine/types';

/** One self-overwriting status line on a terminal: "apply 12/40". */
export function ttyProgress(stream: NodeJS.WritableStream): Progress {
  let phase = '';
  let total: number | undefined;
  let count = 0;
  const draw = () => stream.write(`\r\x1b[2K${phase} ${count}${total !== undefined ? `/${total}` : ''}`);
  return {
    start(p, t) {
      phase = p;
      total = t;
      count = 0;
      draw();
    },
    tick(n = 1) {
      count += n;
      draw();
    },
    done() {
      stream.write('\r\x1b[2K');
    },
  };
}
