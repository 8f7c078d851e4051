import { readFileSync } from 'node:fs';
import path from 'node:path';
import { formatPath } from './yaml-file';

/**
 * Replace `${NAME}` / `${env:NAME}` with environment variables and
 * `${file:PATH}` with a file's contents (trailing newline dropped), in every
 * string of a parsed config. `$${` writes a literal `${`. Secrets thus stay out
 * of config files; problems are collected with the path they occurred at.
 */
export interface InterpolationProblem {
  path: PropertyKey[];
  message: string;
}

export function interpolate(
  value: unknown,
  env: NodeJS.ProcessEnv,
  baseDir: string,
): { value: unknown; problems: InterpolationProblem[] } {
  const problems: InterpolationProblem[] = [];
  const walk = (v: unknown, at: PropertyKey[]): unknown => {
    if (typeof v === 'string') return substitute(v, at);
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...at, i]));
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, [...at, k])]));
    }
    return v;
  };
  const substitute = (s: string, at: PropertyKey[]): string =>
    s.replace(/\$\$\{|\$\{([^}]*)\}/g, (match, ref: string | undefined) => {
      if (match === '$${') return '${';
      const spec = (ref ?? '').trim();
      if (spec.startsWith('file:')) {
        const file = path.resolve(baseDir, spec.slice('file:'.length).trim());
        try {
          return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
        } catch (err) {
          problems.push({ path: at, message: `cannot read secret file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}` });
          return '';
        }
      }
      const name = spec.startsWith('env:') ? spec.slice('env:'.length).trim() : spec;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        problems.push({ path: at, message: `"\${${spec}}" is not a variable reference; use \${NAME}, \${env:NAME} or \${file:PATH} (write $\${ for a literal)` });
        return '';
      }
      const found = env[name];
      if (found === undefined || found === '') {
        problems.push({ path: at, message: `environment variable ${name} is not set` });
        return '';
      }
      return found;
    });
  return { value: walk(value, []), problems };
}

export function describeProblems(problems: InterpolationProblem[], where: (p: PropertyKey[]) => string): string {
  return problems.map((p) => `${where(p.path)}: ${formatPath(p.path)}: ${p.message}`).join('\n  ');
}
