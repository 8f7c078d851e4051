/** What the emulated workspace holds. Ids are strings of digits, as Cloud sends them. */

export interface EmuSchema {
  id: string;
  name: string;
  key: string;
  /** Next number of an object key (`MLI-<n>`). */
  nextSeq: number;
}

export interface EmuType {
  id: string;
  schemaId: string;
  name: string;
  iconId: string;
}

export interface EmuAttr {
  id: string;
  typeId: string;
  name: string;
  /** 0 default, 1 object reference, 2 user, 7 status. */
  type: number;
  /** Default type (text 0, integer 1, boolean 2, double 3, datetime 6, url 7, textarea 9, select 10); -1 otherwise. */
  defaultTypeId: number;
  options: string[];
  /** Object reference: the type it points at, and the reference type. */
  referenceObjectTypeId?: string;
  referenceTypeId?: string;
  min: number;
  /** -1: no limit. */
  max: number;
  unique: boolean;
  label: boolean;
  /** Key, Created, Updated: kept by Assets itself. */
  system: boolean;
  position: number;
}

export interface EmuObject {
  id: string;
  typeId: string;
  key: string;
  created: number;
  updated: number;
  /** Attribute id → stored values: text for default types, a user id for users, an object id for references. */
  values: Map<string, string[]>;
}

/** What an account may do, as Assets roles grant it. */
export type EmuRole = 'user' | 'developer' | 'manager' | 'admin';

export interface EmuUser {
  /** Cloud accountId, or Data Center user key. */
  id: string;
  name: string;
  email: string;
  displayName: string;
  active: boolean;
  /** Cloud users may hide their email from API clients. */
  emailHidden: boolean;
  role: EmuRole;
}

export interface EmuIcon {
  id: string;
  name: string;
}

export interface EmuReferenceType {
  id: string;
  name: string;
}

/** A value for one attribute, as a write sends it. */
export interface AttributeInput {
  objectTypeAttributeId: string;
  values: string[];
}
