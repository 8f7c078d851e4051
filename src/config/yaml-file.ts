import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../errors';

/** A parsed YAML file that can say where a path is, for error messages. */
export interface YamlSource {
  file: string;
  data: unknown;
  /** `file:line:col` of the node at `path`, or of its nearest existing parent. */
  where(path: ReadonlyArray<PropertyKey>): string;
}

export function readYamlFile(file: string): YamlSource {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`${file}: cannot read file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { file }, { cause: err });
  }
  return parseYamlText(file, text);
}

export function parseYamlText(file: string, text: string): YamlSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const pos = lines.linePos(first.pos[0]);
    throw new ConfigError(`${file}:${pos.line}:${pos.col}: invalid YAML: ${first.message.split('\n')[0]}`, { file });
  }
  return { file, data: doc.toJS({ maxAliasCount: 100 }) ?? {}, where: (path) => locate(file, doc, lines, path) };
}

function locate(file: string, doc: Document, lines: LineCounter, path: ReadonlyArray<PropertyKey>): string {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true);
    if (isNode(node) && node.range) {
      const pos = lines.linePos(node.range[0]);
      return `${file}:${pos.line}:${pos.col}`;
    }
  }
  return file;
}

/** `sources[0].auth.token`; `empty` names the root. */
export function formatPath(path: ReadonlyArray<PropertyKey>, empty = '(top level)'): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out || empty;
}

/**
 * Validate parsed data; on failure throw one ConfigError listing every problem
 * as `file:line:col: path: expectation`.
 */
export function validateYaml<S extends z.ZodType>(src: YamlSource, schema: S, data: unknown = src.data): z.output<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${src.where(i.path)}: ${formatPath(i.path)}: ${describeIssue(i)}`);
  const [head, ...rest] = problems;
  throw new ConfigError(rest.length ? `${head}\n${rest.map((p) => `  ${p}`).join('\n')}` : (head as string), { file: src.file });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return issue.message;
}
