// The fake NetBox's data: rows as written (related objects as ids, choices as values), NetBox's own validation
// that a schema cannot express, deletes with Django's on_delete, and rendering rows the way NetBox reads them.
// Rendering is driven by the model's response component: every property it lists is produced.
import { MODELS, byContentType, type ModelDef, type Unique } from './models';
import type { NetBoxSchema } from './schema';

export type Row = Record<string, unknown> & { id: number };
type Json = Record<string, unknown>;
export type FieldErrors = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const pyRepr = (o: Json): string => `{${Object.entries(o).map(([k, v]) => `'${k}': ${typeof v === 'string' ? `'${v}'` : String(v)}`).join(', ')}}`;

export class ProtectedError extends Error {}

export class Store {
  readonly tables = new Map<string, Map<number, Row>>();
  private readonly nextId = new Map<string, number>();
  private clock = Date.parse('2026-01-01T00:00:00Z');
  /** Bumped by every stored change, so the uniqueness indexes are rebuilt at most once per request. */
  private generation = 0;
  private readonly indexes = new Map<string, { generation: number; keys: Map<string, number[]> }>();

  constructor(private readonly schema: NetBoxSchema, private readonly baseUrl: () => string, private readonly selectAsObject: boolean) {
    for (const path of MODELS.keys()) this.tables.set(path, new Map());
  }

  table(path: string): Map<number, Row> {
    const t = this.tables.get(path);
    if (!t) throw new Error(`no model at ${path}`);
    return t;
  }

  private stamp(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString();
  }

  allocate(path: string): number {
    const id = (this.nextId.get(path) ?? 0) + 1;
    this.nextId.set(path, id);
    return id;
  }

  /** Resolves an id or an attribute dict to one row id, NetBox's way; a string error when it cannot. */
  private resolve(path: string, value: unknown, pending: Row[]): number | string {
    if (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value))) {
      const id = Number(value);
      return this.table(path).has(id) ? id : `Related object not found using the provided numeric ID: ${id}`;
    }
    const rows = [...this.table(path).values(), ...pending];
    if (isObject(value)) {
      const hits = rows.filter((r) => Object.entries(value).every(([k, v]) => k === 'id' ? r.id === v : r[k] === v));
      if (hits.length === 1) return hits[0].id;
      return hits.length ? `Multiple objects match the provided attributes: ${pyRepr(value)}` : `Related object not found using the provided attributes: ${pyRepr(value)}`;
    }
    return 'Related objects must be referenced by numeric ID or by dictionary of attributes.';
  }

  /** Custom fields defined for a content type, by name. */
  customFields(contentType: string): Row[] {
    return [...this.table('/api/extras/custom-fields/').values()].filter((cf) => Array.isArray(cf.object_types) && cf.object_types.includes(contentType));
  }

  private checkCustomFields(def: ModelDef, data: unknown, errors: FieldErrors): Json | undefined {
    if (!isObject(data)) {
      errors.custom_fields = ['Invalid data. Expected a dictionary.'];
      return undefined;
    }
    const fields = new Map(this.customFields(def.contentType).map((cf) => [String(cf.name), cf]));
    const problems: string[] = [];
    for (const [name, value] of Object.entries(data)) {
      const cf = fields.get(name);
      if (!cf) { problems.push(`Unknown field name '${name}' in custom field data.`); continue; }
      if (value === null) continue;
      const type = String(cf.type);
      if ((type === 'text' || type === 'longtext') && typeof value !== 'string') problems.push(`Value must be a string.`);
      if (type === 'integer' && !Number.isInteger(value)) problems.push(`Value must be an integer.`);
      if (type === 'boolean' && typeof value !== 'boolean') problems.push(`Value must be true or false.`);
      if (type === 'select' && !(Array.isArray(cf.choices) && cf.choices.some((c) => (Array.isArray(c) ? c[0] : c) === value))) {
        problems.push(`Invalid choice (${String(value)}) for choice set ${String(cf.choice_set_name ?? cf.name)}.`);
      }
    }
    if (problems.length) errors.custom_fields = problems;
    return data;
  }

  /**
   * Validates one object to be written (create when `existing` is undefined) the way NetBox's serializer and
   * model clean() do, beyond the schema. Returns the row to store, or the field errors.
   */
  prepare(def: ModelDef, item: Json, existing: Row | undefined, pending: Row[], replace: boolean): { row?: Row; errors?: FieldErrors } {
    const errors: FieldErrors = {};
    const base: Json = existing && !replace ? { ...existing } : { ...def.defaults, ...(existing ? { id: existing.id, created: existing.created, custom_fields: existing.custom_fields } : {}) };
    const row: Json = { ...base };
    for (const [k, v] of Object.entries(item)) {
      if (k === 'id' || k === 'changelog_message' || k === 'add_tags' || k === 'remove_tags') continue;
      row[k] = v;
    }
    for (const [field, rel] of Object.entries(def.relations)) {
      if (!(field in item) || item[field] === null) continue;
      const r = this.resolve(rel.to, item[field], rel.to === def.path ? pending : []);
      if (typeof r === 'string') errors[field] = [r];
      else row[field] = r;
    }
    if ('tags' in item) {
      const ids: number[] = [];
      for (const t of Array.isArray(item.tags) ? item.tags : []) {
        const r = this.resolve('/api/extras/tags/', t, []);
        if (typeof r === 'string') errors.tags = [...((errors.tags as string[]) ?? []), r];
        else ids.push(r);
      }
      row.tags = ids;
    }
    if ('custom_fields' in item) {
      const cf = this.checkCustomFields(def, item.custom_fields, errors);
      if (cf) row.custom_fields = { ...(isObject(base.custom_fields) ? base.custom_fields : {}), ...cf };
    }
    if (def.generic && row.assigned_object_type != null) {
      const target = byContentType(String(row.assigned_object_type));
      if (!target) errors.assigned_object_type = [`Invalid content type: ${String(row.assigned_object_type)}`];
      else if (!this.table(target.path).has(Number(row.assigned_object_id))) errors.assigned_object_id = [`Related object not found using the provided numeric ID: ${String(row.assigned_object_id)}`];
    }
    if (def.path === '/api/virtualization/virtual-machines/') {
      if (row.site == null && row.cluster == null) errors.cluster = ['A virtual machine must be assigned to a site and/or cluster.'];
      for (const family of [4, 6]) {
        const field = `primary_ip${family}`;
        const ip = row[field] == null || errors[field] ? undefined : this.table('/api/ipam/ip-addresses/').get(Number(row[field]));
        if (!ip) continue;
        const version = String(ip.address).includes(':') ? 6 : 4;
        const iface = ip.assigned_object_type === 'virtualization.vminterface' ? this.table('/api/virtualization/interfaces/').get(Number(ip.assigned_object_id)) : undefined;
        if (version !== family) errors[field] = [`Must be an IPv${family} address. (${String(ip.address)} is an IPv${version} address.)`];
        else if (!existing || !iface || iface.virtual_machine !== existing.id) errors[field] = [`The specified IP address (${String(ip.address)}) is not assigned to this VM.`];
      }
      const disks = existing ? [...this.table('/api/virtualization/virtual-disks/').values()].filter((d) => d.virtual_machine === existing.id) : [];
      const total = disks.reduce((n, d) => n + Number(d.size), 0);
      if (disks.length && 'disk' in item && item.disk !== null && item.disk !== total) {
        errors.disk = [`The specified disk size (${String(item.disk)}) must match the aggregate size of assigned virtual disks (${total}).`];
      }
    }
    // Rows staged earlier in this batch replace their stored versions.
    const staged = new Set(pending.map((r) => r.id));
    def.unique.forEach((u, i) => {
      const key = uniqueKey(u, row);
      if (key === undefined) return; // NULLs are distinct in PostgreSQL
      const stored = this.uniqueIndex(def, u, i).get(key) ?? [];
      const clash = stored.some((id) => id !== existing?.id && !staged.has(id)) || pending.some((r) => r.id !== existing?.id && uniqueKey(u, r) === key);
      if (clash) Object.assign(errors, u.error);
    });
    if (Object.keys(errors).length) return { errors };
    const now = this.stamp();
    const id = existing?.id ?? -1 - pending.length; // real ids are allocated at commit, in input order
    return { row: { ...row, id, created: existing?.created ?? now, last_updated: now } as Row };
  }

  /** Stores a row (create or update). */
  put(path: string, row: Row): void {
    this.table(path).set(row.id, row);
    this.generation++;
  }

  private uniqueIndex(def: ModelDef, u: Unique, n: number): Map<string, number[]> {
    const name = `${def.path}#${n}`;
    let ix = this.indexes.get(name);
    if (!ix || ix.generation !== this.generation) {
      const keys = new Map<string, number[]>();
      for (const r of this.table(def.path).values()) {
        const key = uniqueKey(u, r);
        if (key !== undefined) keys.set(key, [...(keys.get(key) ?? []), r.id]);
      }
      ix = { generation: this.generation, keys };
      this.indexes.set(name, ix);
    }
    return ix.keys;
  }

  commitCreate(path: string, rows: Row[]): Row[] {
    return rows.map((r) => {
      const row = { ...r, id: this.allocate(path) };
      this.put(path, row);
      return row;
    });
  }

  /** Rows that would block deleting `ids` of `path` (PROTECT), outside the set being deleted. */
  protectors(path: string, ids: Set<number>): Array<{ def: ModelDef; row: Row }> {
    const out: Array<{ def: ModelDef; row: Row }> = [];
    for (const def of MODELS.values()) {
      for (const [field, rel] of Object.entries(def.relations)) {
        if (rel.to !== path || rel.onDelete !== 'protect') continue;
        for (const row of this.table(def.path).values()) if (ids.has(Number(row[field]))) out.push({ def, row });
      }
    }
    return out;
  }

  /** Deletes with cascades and SET_NULLs; throws ProtectedError with NetBox's message when something protects. */
  delete(path: string, ids: number[]): void {
    const present = new Set(ids.filter((id) => this.table(path).has(id)));
    const blockers = this.protectors(path, present);
    if (blockers.length) {
      const list = blockers.map(({ def, row }) => `${def.display(row)} (${row.id})`).join(', ');
      throw new ProtectedError(`Unable to delete object. ${blockers.length} dependent objects were found: ${list}`);
    }
    const def = MODELS.get(path)!;
    this.generation++;
    for (const id of present) {
      if (!this.table(path).delete(id)) continue;
      for (const other of MODELS.values()) {
        for (const [field, rel] of Object.entries(other.relations)) {
          if (rel.to !== path) continue;
          const hit = [...this.table(other.path).values()].filter((r) => r[field] === id);
          if (rel.onDelete === 'cascade') this.delete(other.path, hit.map((r) => r.id));
          else for (const r of hit) r[field] = null;
        }
        if (other.generic) {
          const hit = [...this.table(other.path).values()].filter((r) => r.assigned_object_type === def.contentType && r.assigned_object_id === id);
          if (other.generic === 'cascade') this.delete(other.path, hit.map((r) => r.id));
          else for (const r of hit) { r.assigned_object_type = null; r.assigned_object_id = null; }
        }
      }
      if (path === '/api/extras/tags/') for (const t of this.tables.values()) for (const r of t.values()) if (Array.isArray(r.tags)) r.tags = r.tags.filter((x) => x !== id);
    }
  }

  private url(path: string, id: number): string {
    return `${this.baseUrl()}${path}${id}/`;
  }

  private customFieldValues(def: ModelDef, row: Row): Json {
    const stored = isObject(row.custom_fields) ? row.custom_fields : {};
    const out: Json = {};
    for (const cf of this.customFields(def.contentType)) {
      const name = String(cf.name);
      const value = stored[name] ?? null;
      if (value !== null && cf.type === 'select' && this.selectAsObject) {
        const choice = (cf.choices as unknown[]).find((c) => (Array.isArray(c) ? c[0] : c) === value);
        out[name] = { value, label: Array.isArray(choice) ? choice[1] : value };
      } else out[name] = value;
    }
    return out;
  }

  /** A row as NetBox reads it, with the properties of response component `component`. */
  render(path: string, row: Row, component: string): Json {
    const def = MODELS.get(path)!;
    const props = this.schema.rawProperties(component);
    const required = new Set(this.schema.rawRequired(component));
    const out: Json = {};
    for (const [key, prop] of Object.entries(props)) {
      const value = this.field(def, row, key, prop);
      if (value !== undefined) out[key] = value;
      else if (required.has(key) || !prop.readOnly) out[key] = defaultFor(prop);
    }
    return out;
  }

  private field(def: ModelDef, row: Row, key: string, prop: Json): unknown {
    switch (key) {
      case 'id': return row.id;
      case 'url': return this.url(def.path, row.id);
      case 'display_url': return this.url(def.path, row.id).replace('/api/', '/');
      case 'display': return def.display(row);
      case 'tags': return (Array.isArray(row.tags) ? row.tags : []).map((t) => {
        const tag = this.table('/api/extras/tags/').get(Number(t));
        return tag ? this.render('/api/extras/tags/', tag, 'NestedTag') : undefined;
      }).filter(Boolean);
      case 'custom_fields': return this.customFieldValues(def, row);
      case 'assigned_object': {
        const target = row.assigned_object_type ? byContentType(String(row.assigned_object_type)) : undefined;
        const obj = target?.path ? this.table(target.path).get(Number(row.assigned_object_id)) : undefined;
        if (!target || !obj) return null;
        const parentKey = 'device' in obj ? 'device' : 'virtual_machine';
        const parent = target.relations[parentKey];
        const p = parent ? this.table(parent.to).get(Number(obj[parentKey])) : undefined;
        return { id: obj.id, url: this.url(target.path, obj.id), display: target.display(obj), name: obj.name, ...(p && parent ? { [parentKey]: { id: p.id, url: this.url(parent.to, p.id), display: MODELS.get(parent.to)!.display(p), name: p.name } } : {}) };
      }
      case 'primary_ip': return this.field(def, row, 'primary_ip4', prop) ?? this.field(def, row, 'primary_ip6', prop) ?? null;
      case 'disk':
        if (def.path === '/api/virtualization/virtual-machines/') {
          const disks = [...this.table('/api/virtualization/virtual-disks/').values()].filter((d) => d.virtual_machine === row.id);
          if (disks.length) return disks.reduce((n, d) => n + Number(d.size), 0);
        }
        break;
      case 'interface_count': return def.path.includes('virtual-machines') ? this.count('/api/virtualization/interfaces/', 'virtual_machine', row.id) : this.count('/api/dcim/interfaces/', 'device', row.id);
      case 'virtual_disk_count': return this.count('/api/virtualization/virtual-disks/', 'virtual_machine', row.id);
      case 'virtualmachine_count': return this.count('/api/virtualization/virtual-machines/', def.path.includes('clusters') ? 'cluster' : 'site', row.id);
      case 'device_count': return this.count('/api/dcim/devices/', def.path.includes('device-types') ? 'device_type' : def.path.includes('platforms') ? 'platform' : def.path.includes('roles') ? 'role' : 'site', row.id);
    }
    const relation = def.relations[key] ?? (key === 'primary_ip' ? undefined : undefined);
    const ref = refOf(prop);
    if (relation || (ref && typeof row[key] === 'number' && MODELS.has(relatedPath(def, key)))) {
      const to = relation?.to ?? relatedPath(def, key);
      const target = row[key] == null ? undefined : this.table(to).get(Number(row[key]));
      return target && ref ? this.render(to, target, ref) : target ? target.id : null;
    }
    const choice = choiceOf(prop);
    if (choice) {
      const v = row[key];
      if (v === undefined || v === null) return choice.nullable ? null : undefined;
      const i = choice.values.indexOf(v);
      return { value: v, label: i >= 0 ? choice.labels[i] : String(v) };
    }
    return row[key];
  }

  private count(path: string, field: string, id: number): number {
    let n = 0;
    for (const r of this.table(path).values()) if (r[field] === id) n++;
    return n;
  }
}

/** A row's value for a uniqueness constraint, or undefined when a field is empty (NULLs never clash). */
function uniqueKey(u: Unique, row: Record<string, unknown>): string | undefined {
  const values = u.fields.map((f) => row[f]);
  if (values.some((v) => v === undefined || v === null || v === '')) return undefined;
  return JSON.stringify(values.map((v, i) => (u.ci && i === values.length - 1 ? String(v).toLowerCase() : v)));
}

function relatedPath(def: ModelDef, key: string): string {
  return def.relations[key]?.to ?? '';
}

function refOf(prop: Json): string | undefined {
  if (typeof prop.$ref === 'string') return prop.$ref.split('/').pop();
  if (Array.isArray(prop.allOf) && isObject(prop.allOf[0]) && typeof prop.allOf[0].$ref === 'string') return prop.allOf[0].$ref.split('/').pop();
  return undefined;
}

function choiceOf(prop: Json): { values: unknown[]; labels: unknown[]; nullable: boolean } | undefined {
  const p = prop.properties;
  if (prop.type !== 'object' || !isObject(p) || !isObject(p.value) || !isObject(p.label)) return undefined;
  return { values: (p.value.enum as unknown[]) ?? [], labels: (p.label.enum as unknown[]) ?? [], nullable: prop.nullable === true };
}

function defaultFor(prop: Json): unknown {
  if (prop.nullable === true || refOf(prop)) return null;
  // A server fills what nobody wrote with the model's default: the schema's own, else the first value it allows.
  if ('default' in prop) return prop.default;
  if (Array.isArray(prop.enum) && prop.enum.length) return prop.enum[0];
  if ((prop.type === 'integer' || prop.type === 'number') && typeof prop.minimum === 'number') return Math.max(0, prop.minimum);
  if (prop.type === 'string' && prop.format === 'date-time') return '1970-01-01T00:00:00Z';
  const branch = (prop.oneOf ?? prop.anyOf) as Json[] | undefined;
  if (Array.isArray(branch) && isObject(branch[0])) return defaultFor(branch[0]);
  switch (prop.type) {
    case 'string': return '';
    case 'integer': case 'number': return 0;
    case 'boolean': return false;
    case 'array': return [];
    case 'object': return {};
    default: return null;
  }
}
