import { run } from '../../src/cli/main';
import { memoryIo } from '../support/cli-io';

const io = () => memoryIo();

const argv = (...args: string[]) => ['node', 'masync', ...args];

describe('CLI argument handling (in process)', () => {
  it('rejects a non-numeric --wait as a usage error instead of waiting forever', async () => {
    const x = io();
    expect(await run(argv('sync', '-c', 'x.yaml', '--wait', 'soon'), x)).toBe(64);
    expect(x.err()).toContain("option '--wait <seconds>' argument 'soon' is invalid. expected a whole number from 0 to 86400");
  });

  it('an unknown finding type is a usage error that lists every type a policy raises', async () => {
    const x = io();
    expect(await run(argv('findings', '-c', 'x.yaml', '--type', 'zomby'), x)).toBe(64);
    expect(x.err()).toContain("argument 'zomby' is invalid. Allowed choices are zombie, retired-but-serving, shadow, unserved-production, retirement-candidate,");
    expect(x.err()).toContain('rollback-depth, stale');
  });

  it('an unknown command is a usage error; --version is not', async () => {
    const a = io();
    expect(await run(argv('synk'), a)).toBe(64);
    expect(a.err()).toContain("unknown command 'synk'");
    const b = io();
    expect(await run(argv('--version'), b)).toBe(0);
    expect(b.out()).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('a missing config file is a config error naming the file', async () => {
    const x = io();
    expect(await run(argv('plan', '-c', '/nonexistent/masync.yaml'), x)).toBe(78);
    expect(x.err()).toBe('masync: /nonexistent/masync.yaml: cannot read file: ENOENT\n');
  });

  it('prints the JSON Schema', async () => {
    const x = io();
    expect(await run(argv('schema'), x)).toBe(0);
    expect(JSON.parse(x.out())).toMatchObject({ title: 'masync configuration', required: expect.arrayContaining(['sources', 'sinks']) });
  });
});
