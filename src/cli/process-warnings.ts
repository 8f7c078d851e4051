import type { StopControl } from './io';

/**
 * Node prints process warnings (a library's deprecation or support notice,
 * such as the AWS SDK's Node-version notice) as raw multi-line text on
 * stderr, which breaks a log read by a machine. They go through the
 * command's logger once it has one (`notify`, as signal notices do), as one
 * line; before that, as one `masync: warning:` line.
 */
export function routeProcessWarnings(stderr: NodeJS.WritableStream, control: Pick<StopControl, 'notify'>): () => void {
  const previous = process.listeners('warning');
  process.removeAllListeners('warning');
  const onWarning = (w: Error) => {
    const text = `${w.name === 'Warning' ? '' : `${w.name}: `}${w.message}`.replace(/\s+/g, ' ').trim();
    if (control.notify) control.notify(text);
    else stderr.write(`masync: warning: ${text}\n`);
  };
  process.on('warning', onWarning);
  return () => {
    process.off('warning', onWarning);
    for (const l of previous) process.on('warning', l);
  };
}
