import type { FieldSpec } from '../../../src/mapping/schema';
import type { ItemKind } from '../../../src/inventory';
import { fieldShape } from './item-fields';
import type { MappedShape, MappedType } from './mapped';
import { ATTR, DEFAULT_TYPE } from './wire';

/** An attribute as `--apply-schema` would create it. */
export interface PlannedAttribute {
  name: string;
  type: number;
  defaultTypeId?: number;
  options?: string[];
  /** Object reference: the object type it points at. */
  referenceTo?: string;
  /** Most values; -1 for no limit. */
  max?: number;
  /** As an admin reads it: `Integer`, `Select (Active, Retired)`, `reference to "ML Model" (one)`. */
  describe: string;
}

// Assets Text holds 255 characters; longer values need Textarea.
const TEXT_MAX = 255;
// Every object type has these (Name is its label); `--apply-schema` never creates them.
const BUILT_IN = new Set(['name', 'key', 'created', 'updated']);

/**
 * The attributes a mapped object type needs, with the Assets type each value
 * fits: numbers and booleans as the inventory's own schema types them, links
 * as URLs, owners as users, long or structured text as Textarea, the
 * lifecycle attribute as a Select of the values masync writes, and each
 * relation as a reference to the type at its other end.
 */
export function plannedAttributes(mt: MappedType, shape: MappedShape): PlannedAttribute[] {
  const out = new Map<string, PlannedAttribute>();
  const put = (p: PlannedAttribute) => {
    if (!BUILT_IN.has(p.name.toLowerCase())) out.set(p.name, p);
  };
  for (const [name, specs] of mt.attributes) {
    const retired = shape.retired[name];
    if (retired !== undefined) {
      const options = [...new Set([...specs.flatMap((s) => (s.spec.value !== undefined ? [s.spec.value] : [])), retired])];
      put({ name, type: ATTR.default, defaultTypeId: DEFAULT_TYPE.select, options, describe: `Select (${options.join(', ')})` });
    } else if (specs.some((s) => s.spec.lookup)) put({ name, type: ATTR.user, max: 1, describe: 'User' });
    else put(widest(name, specs.map((s) => defaultType(s.kind, s.spec))));
  }
  for (const name of [shape.identity, shape.ownership]) if (!out.has(name)) put(text(name, DEFAULT_TYPE.text));
  for (const [name, value] of Object.entries(shape.retired)) {
    if (!out.has(name)) put({ name, type: ATTR.default, defaultTypeId: DEFAULT_TYPE.select, options: [value], describe: `Select (${value})` });
  }
  for (const ref of mt.references.values()) {
    const max = ref.several ? -1 : 1;
    put({ name: ref.attribute, type: ATTR.reference, referenceTo: ref.targetType, max, describe: `reference to "${ref.targetType}" (${ref.several ? 'several' : 'one'})` });
  }
  return [...out.values()];
}

function defaultType(kind: ItemKind, spec: FieldSpec): number {
  const long = spec.maxLength === undefined || spec.maxLength > TEXT_MAX;
  if (spec.from === undefined) return spec.template !== undefined && long ? DEFAULT_TYPE.textarea : DEFAULT_TYPE.text;
  const shape = fieldShape(kind, spec.from);
  if (shape?.type === 'integer') return DEFAULT_TYPE.integer;
  if (shape?.type === 'number') return DEFAULT_TYPE.double;
  if (shape?.type === 'boolean') return DEFAULT_TYPE.boolean;
  if (spec.from.startsWith('links.') && shape?.type === 'string') return DEFAULT_TYPE.url;
  return long ? DEFAULT_TYPE.textarea : DEFAULT_TYPE.text;
}

/** One attribute several kinds write: their common type, or text wide enough for all. */
function widest(name: string, types: number[]): PlannedAttribute {
  const [first] = types;
  if (first !== undefined && types.every((t) => t === first)) return text(name, first);
  return text(name, types.includes(DEFAULT_TYPE.textarea) ? DEFAULT_TYPE.textarea : DEFAULT_TYPE.text);
}

const NAMES: Record<number, string> = {
  [DEFAULT_TYPE.text]: 'Text',
  [DEFAULT_TYPE.textarea]: 'Textarea',
  [DEFAULT_TYPE.integer]: 'Integer',
  [DEFAULT_TYPE.double]: 'Double',
  [DEFAULT_TYPE.boolean]: 'Boolean',
  [DEFAULT_TYPE.url]: 'URL',
};

function text(name: string, defaultTypeId: number): PlannedAttribute {
  return { name, type: ATTR.default, defaultTypeId, describe: NAMES[defaultTypeId] ?? `default type ${defaultTypeId}` };
}
