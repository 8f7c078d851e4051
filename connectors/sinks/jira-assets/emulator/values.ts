import { badRequest } from './errors';
import type { EmuAttr } from './model';

/** How the emulator resolves what a write names: a user id, an object key. */
export interface ValueLookups {
  userExists(id: string): boolean;
  /** The id of the object with this key, if it exists and is of `typeId`. */
  objectOfType(key: string, typeId: string): string | undefined;
}

/**
 * One written value as Assets stores it, or a 400 naming the attribute: a
 * number that is not one, an option the select lacks, an unknown user, a
 * reference to a key that does not exist or is of the wrong type.
 */
export function storedValue(attr: EmuAttr, value: string, lookups: ValueLookups): string {
  const bad = (why: string) => badRequest(`${attr.name}: ${why}`, attr.id);
  if (attr.type === 2) {
    if (!lookups.userExists(value)) throw bad(`no user ${value}`);
    return value;
  }
  if (attr.type === 1) {
    const id = lookups.objectOfType(value, attr.referenceObjectTypeId ?? '');
    if (!id) throw bad(`no object ${value} of the referenced object type`);
    return id;
  }
  if (attr.type !== 0) return value;
  switch (attr.defaultTypeId) {
    case 1:
      if (!/^-?\d+$/.test(value)) throw bad(`${value} is not an integer`);
      return String(Number(value));
    case 2:
      if (!/^(true|false)$/i.test(value)) throw bad(`${value} is not a boolean`);
      return value.toLowerCase();
    case 3:
      if (value.trim() === '' || !Number.isFinite(Number(value))) throw bad(`${value} is not a number`);
      return String(Number(value));
    case 7:
      if (!/^https?:\/\/\S+$/.test(value)) throw bad(`${value} is not a URL`);
      return value;
    case 10:
      if (!attr.options.includes(value)) throw bad(`${value} is not one of the options ${attr.options.join(', ')}`);
      return value;
    default:
      return value;
  }
}

/** A stored number as Java prints a double: Assets answers 12 as "12.0". */
export function displayedValue(attr: EmuAttr, stored: string): string {
  if (attr.type === 0 && attr.defaultTypeId === 3 && /^-?\d+$/.test(stored)) return `${stored}.0`;
  return stored;
}
