import type { RunContext } from '../../../src/engine/types';
import { parseWire } from './parse';
import type { AssetsTransport } from './transport';
import { assetObject, cloudAqlPage, dcAqlPage, type AssetObject } from './wire';

/** One attribute of a create or update: its id and every value it should hold afterwards ([] clears it). */
export interface AttributeWrite {
  objectTypeAttributeId: string;
  objectAttributeValues: Array<{ value: string }>;
}

/**
 * Object calls of the Assets REST API. There is no delete here on purpose:
 * masync retires an object by updating it, and removes a relation by editing
 * the reference attribute that holds it.
 */
export class AssetsClient {
  constructor(
    private readonly transport: AssetsTransport,
    private readonly connector: string,
    private readonly pageSize: number,
  ) {}

  /**
   * Every object an AQL query matches, attributes included, page by page.
   * Paging follows what the server returns, so a server that caps the page
   * size lower than asked is read to the end all the same.
   */
  async *search(qlQuery: string, ctx: RunContext, opts: { pageSize?: number; pages?: number } = {}): AsyncIterable<AssetObject> {
    const size = opts.pageSize ?? this.pageSize;
    const seen = new Set<string>();
    for (let page = 0, startAt = 0; opts.pages === undefined || page < opts.pages; page++) {
      const { objects, last } = await this.page(qlQuery, page, startAt, size, ctx);
      for (const o of objects) {
        // Offset paging repeats an object when one is added mid-read; yield each once.
        if (seen.has(o.id)) continue;
        seen.add(o.id);
        yield o;
      }
      if (last || objects.length === 0) return;
      startAt += objects.length;
    }
  }

  async get(id: string, ctx: RunContext): Promise<AssetObject> {
    const res = await this.transport.assets({ method: 'GET', path: `object/${encodeURIComponent(id)}` }, ctx);
    return parseWire(assetObject, res.data, { connector: this.connector, what: `GET object/${id}` });
  }

  /** POST object/create. Not idempotent: the HTTP layer never sends it twice. */
  async create(objectTypeId: string, attributes: AttributeWrite[], ctx: RunContext): Promise<AssetObject> {
    const res = await this.transport.assets({ method: 'POST', path: 'object/create', body: { objectTypeId, attributes } }, ctx);
    return parseWire(assetObject, res.data, { connector: this.connector, what: 'POST object/create' });
  }

  /** PUT object/{id} with exactly the attributes given; the others stay as they are. */
  async update(id: string, objectTypeId: string, attributes: AttributeWrite[], ctx: RunContext): Promise<AssetObject> {
    const res = await this.transport.assets({ method: 'PUT', path: `object/${encodeURIComponent(id)}`, body: { objectTypeId, attributes } }, ctx);
    return parseWire(assetObject, res.data, { connector: this.connector, what: `PUT object/${id}` });
  }

  private async page(qlQuery: string, page: number, startAt: number, size: number, ctx: RunContext): Promise<{ objects: AssetObject[]; last: boolean }> {
    if (this.transport.deployment === 'cloud') {
      const res = await this.transport.assets(
        { method: 'POST', path: 'object/aql', query: { startAt, maxResults: size, includeAttributes: true }, body: { qlQuery }, idempotent: true },
        ctx,
      );
      const body = parseWire(cloudAqlPage, res.data, { connector: this.connector, what: 'POST object/aql' });
      return { objects: body.values, last: body.isLast };
    }
    const number = page + 1;
    const res = await this.transport.assets({ method: 'GET', path: 'aql/objects', query: { qlQuery, page: number, resultPerPage: size, includeAttributes: true } }, ctx);
    const body = parseWire(dcAqlPage, res.data, { connector: this.connector, what: 'GET aql/objects' });
    const last = body.pageSize !== undefined ? number >= body.pageSize : body.objectEntries.length < size;
    return { objects: body.objectEntries, last };
  }
}
