import { spawnSync } from 'node:child_process';
import { memoryIo } from '../support/cli-io';
import { run } from '../../src/cli/main';

async function masync(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await run(['node', 'masync', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

const COMMANDS = ['plan', 'sync', 'status', 'findings', 'audit', 'history', 'report', 'daemon', 'doctor', 'init', 'demo', 'schema', 'completion', 'help'];
const SYNC_OPTIONS = ['-c', '--config', '--log-format', '--log-level', '--json', '--source', '--plan', '-y', '--yes', '--allow-mass-retire', '--accept-short-read', '--full', '--wait', '--concurrency', '-h', '--help'];

/** What bash offers for the command line `words`, the last word being the one under the cursor. */
function bashCompletes(script: string, words: string[]): string[] {
  const quoted = words.map((w) => `'${w}'`).join(' ');
  const probe = `${script}\nCOMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _masync; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const res = spawnSync('bash', ['--norc', '--noprofile', '-c', probe], { encoding: 'utf8' });
  expect(res.stderr).toBe('');
  return res.stdout.split('\n').filter((l) => l !== '');
}

describe('masync completion', () => {
  it('the bash script names every command and the options of sync', async () => {
    const { code, out } = await masync('completion', 'bash');
    expect(code).toBe(0);
    expect(out).toContain('complete -o default -F _masync masync');
    expect(bashCompletes(out, ['masync', ''])).toEqual([...COMMANDS, '-V', '--version', '-h', '--help']);
    expect(bashCompletes(out, ['masync', 'sync', '-']).sort()).toEqual([...SYNC_OPTIONS].sort());
  });

  it('bash completes choices, prefixes, --option=value and the help command', async () => {
    const { out } = await masync('completion', 'bash');
    expect(bashCompletes(out, ['masync', 'sy'])).toEqual(['sync']);
    expect(bashCompletes(out, ['masync', 'sync', '-c', 'm.yaml', '--log-format', ''])).toEqual(['human', 'json']);
    expect(bashCompletes(out, ['masync', 'plan', '--log-level', '='])).toEqual(['error', 'warn', 'info', 'debug']);
    expect(bashCompletes(out, ['masync', 'plan', '--log-level', '=', 'd'])).toEqual(['debug']);
    expect(bashCompletes(out, ['masync', 'sync', '--con'])).toEqual(['--config', '--concurrency']);
    expect(bashCompletes(out, ['masync', 'sync', '--wait', ''])).toEqual([]);
    expect(bashCompletes(out, ['masync', 'completion', ''])).toEqual(['bash', 'zsh']);
    expect(bashCompletes(out, ['masync', 'help', 's'])).toEqual(['sync', 'status', 'schema']);
  });

  it('the zsh script describes every command and completes option values', async () => {
    const { code, out } = await masync('completion', 'zsh');
    expect(code).toBe(0);
    expect(out.startsWith('#compdef masync\n')).toBe(true);
    for (const c of COMMANDS) expect(out).toMatch(new RegExp(`^        '${c}:`, 'm'));
    expect(out).toContain(`'(-c --config)'{-c,--config}'[config file (YAML); default $MASYNC_CONFIG, else ./masync.yaml]:file:_files'`);
    expect(out).toContain(`:format:(human json)'`);
    expect(out).toContain(`'*--source[sync only these sources (records of the others are left alone)]:name:'`);
    expect(out).toContain(`'1:shell:(bash zsh)'`);
    // The one apostrophe in a description closes and reopens the single-quoted word.
    expect(out).toContain(`'daemon:sync on the config'\\''s cron schedule`);
  });

  it('an unknown shell is a usage error', async () => {
    const { code, out, err } = await masync('completion', 'fish');
    expect(code).toBe(64);
    expect(out).toBe('');
    expect(err).toBe('masync: unknown shell "fish": completion scripts exist for bash and zsh\n');
  });

  it('help shows the usage line and how to install the script', async () => {
    const top = await masync('--help');
    expect(top.out).toMatch(/^ {2}completion <shell> +print a shell completion script for bash or zsh$/m);
    const own = await masync('completion', '--help');
    expect(own.code).toBe(0);
    expect(own.out).toContain('source <(masync completion bash)');
    expect(own.out).toContain('masync completion zsh > ~/.zsh/completions/_masync');
  });
});
