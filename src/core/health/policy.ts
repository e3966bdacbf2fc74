// The backup policy file (`proxbox.policy.json`): parsed with the position of every rule, so that a guest breaking a
// rule and a mistake in the file both become a diagnostic on the right line. Never throws for bad input.
//
// Decisions (the schema in schemas/proxbox.policy.schema.json says the same, and a test holds the two together):
// - Strict JSON: comments and trailing commas are problems. VS Code's JSON mode reports them as errors in a `.json`
//   file, and a CI job may read the file with any JSON tool (jq, Python), so accepting them here would let the
//   editor, the CLI and those tools disagree. The why of a rule goes in its `description`.
// - A rule with any problem is not applied at all; the valid rules are. Half a rule could match more guests than
//   meant (a typo in `match` would widen an `exclude` to every guest), and one typo must not switch off the others.
// - A rule whose text holds a syntax error is not applied either: the tolerant parser recovers by dropping what it
//   cannot read (`{"tag" "prod"}` becomes `{}`), so its meaning is a guess. Comments and trailing commas are
//   reported but do not drop a rule, since what the rule says is still certain.
// - `PolicyRule.range` is the whole rule object: every violation of the rule is shown on it, and the Problems
//   panel lists it at the rule's first line. A problem's range is the offending value (or key, for an unknown key).
import { getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { readCustomEntry, type CustomEntry } from '../calendar/custom';
import { LineIndex } from '../text/lineIndex';
import type { BackupPolicy, PolicyMatch, PolicyRule, SourceRange } from './types';

export interface PolicyProblem {
  message: string;
  range: SourceRange;
}

/** A policy read from text: the rules that are valid, and a problem for each part that is not. */
export interface ParsedPolicy {
  policy: BackupPolicy;
  problems: PolicyProblem[];
}

/** The file name looked for at a workspace root (and the schema's `fileMatch`). */
export const POLICY_FILE_NAME = 'proxbox.policy.json';

/** Storage types that can hold vzdump backups: a `type:` entry must name one of them. */
export const BACKUP_STORAGE_TYPES: readonly string[] = ['dir', 'nfs', 'cifs', 'cephfs', 'glusterfs', 'btrfs', 'pbs'];

/** Proxmox guest ids (`pve-vmid`). */
export const VMID_MIN = 100;
export const VMID_MAX = 999_999_999;

const TOP_KEYS = ['$schema', 'rules', 'calendar'] as const;
const SETTING_KEYS = ['exclude', 'maxAgeHours', 'requireStorage', 'maxVerifyAgeDays'] as const;
const RULE_KEYS = ['match', ...SETTING_KEYS, 'reason', 'description'] as const;
const MATCH_KEYS = ['vmid', 'name', 'tag', 'pool', 'node', 'endpoint'] as const;

// The same character sets as the schema's patterns. Guest names and storage ids hold only these characters in
// Proxmox, so anything else (`[0-9]`, `{a,b}`, a space) can never match and is a mistake, not a pattern.
const NAME_GLOB = /^[A-Za-z0-9._*?-]+$/;
const STORAGE_GLOB = /^[A-Za-z0-9._*?-]+$/;
/** Proxmox's tag format (`pve-tag`), case-insensitive. */
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_+.-]*$/;
const NO_SPACE = /^\S+$/;

export function parsePolicy(text: string): ParsedPolicy {
  return new PolicyReader(text).read();
}

class PolicyReader {
  private readonly lines: LineIndex;
  private readonly problems: PolicyProblem[] = [];
  /** Errors that make a rule's meaning uncertain (the tolerant parse's errors: not comments, not trailing commas). */
  private meaningErrors: ParseError[] = [];

  constructor(private readonly text: string) {
    this.lines = new LineIndex(text);
  }

  read(): ParsedPolicy {
    const rules: PolicyRule[] = [];
    if (this.text.trim() === '') {
      // One problem that says what to write, rather than the parser's "value expected".
      this.add(0, 0, `The policy file is empty: write { "rules": [ … ] } with at least one rule, for example ` +
        `{ "rules": [ { "match": {}, "maxAgeHours": 26 } ] }.`);
      return this.done(rules);
    }
    const strictErrors: ParseError[] = [];
    parseTree(this.text, strictErrors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    const root = parseTree(this.text, this.meaningErrors, { disallowComments: false, allowTrailingComma: true });
    this.reportSyntax(strictErrors);
    if (root === undefined) return this.done(rules);
    if (root.type !== 'object') {
      this.addAt(root, `The policy must be a JSON object with a "rules" array, like { "rules": [ … ] }; ` +
        `found ${describe(root)}.`);
      return this.done(rules);
    }

    let rulesNode: Node | undefined;
    let calendarNode: Node | undefined;
    for (const [key, keyNode, value] of this.properties(root)) {
      if (key === '$schema') {
        if (value && value.type !== 'string') this.addAt(value, `"$schema" must be a string (the schema's URL or path); found ${describe(value)}: remove it or quote it.`);
      } else if (key === 'rules') {
        rulesNode = value;
      } else if (key === 'calendar') {
        calendarNode = value;
      } else {
        this.unknownKey(keyNode, key, TOP_KEYS, 'the policy file');
      }
    }

    if (calendarNode) this.calendar(calendarNode);
    if (!rulesNode) {
      // A file that only shares calendar entries needs no rules.
      if (!calendarNode) {
        this.addAt(root, `The policy has no "rules": add "rules": [ … ] with at least one rule, for example ` +
          `{ "match": {}, "maxAgeHours": 26 }.`, true);
      }
    } else if (rulesNode.type !== 'array') {
      this.addAt(rulesNode, `"rules" must be an array of rule objects, like "rules": [ { "match": {}, "maxAgeHours": 26 } ]; found ${describe(rulesNode)}.`);
    } else if (!rulesNode.children?.length) {
      this.addAt(rulesNode, `"rules" is empty, so the policy checks nothing: add a rule, for example { "match": {}, "maxAgeHours": 26 }, or delete the file.`);
    } else {
      rulesNode.children.forEach((ruleNode, index) => {
        const rule = this.rule(ruleNode, index);
        if (rule) rules.push(rule);
      });
    }
    return this.done(rules);
  }

  private done(rules: PolicyRule[]): ParsedPolicy {
    // In file order, so that the Problems panel and the CLI list them top to bottom.
    const problems = [...this.problems].sort((a, b) => a.range.startLine - b.range.startLine || a.range.startCharacter - b.range.startCharacter);
    return { policy: this.calendarEntries.length ? { rules, calendar: { entries: this.calendarEntries } } : { rules }, problems };
  }

  // ---- The calendar section: custom entries the team shares (src/core/calendar/custom.ts checks each) ----

  private readonly calendarEntries: CustomEntry[] = [];

  private calendar(node: Node): void {
    const example = '"calendar": { "entries": [ { "name": "db dump", "schedule": { "cron": "15 2 * * *", "timeZone": "Europe/Vienna" } } ] }';
    if (node.type !== 'object') {
      this.addAt(node, `"calendar" must be an object like ${example}; found ${describe(node)}.`);
      return;
    }
    for (const [key, keyNode, value] of this.properties(node)) {
      if (!value) continue;
      if (key !== 'entries') {
        this.unknownKey(keyNode, key, ['entries'], '"calendar"');
        continue;
      }
      if (value.type !== 'array') {
        this.addAt(value, `"entries" must be an array of calendar entries, like ${example}; found ${describe(value)}.`);
        continue;
      }
      (value.children ?? []).forEach((entryNode, i) => {
        const where = `Calendar entry ${i + 1}`;
        // An entry touched by a syntax error may have lost a key in the tolerant parse: not shown until fixed.
        if (this.touchedBySyntaxError(entryNode)) {
          this.addAt(entryNode, `${where} is not shown until the syntax error in it is fixed.`, true);
          return;
        }
        const read = readCustomEntry(getNodeValue(entryNode), where, 'policy');
        for (const error of read.errors) this.addAt(entryNode, error, true);
        if (!read.entry) return;
        if (this.calendarEntries.some((e) => e.name === read.entry!.name)) {
          this.addAt(entryNode, `${where}: the name "${read.entry.name}" is used by an earlier entry; give each entry its own name.`, true);
          return;
        }
        this.calendarEntries.push(read.entry);
      });
    }
  }

  // ---- One rule ----

  private rule(node: Node, index: number): PolicyRule | undefined {
    const before = this.problems.length;
    const where = `Rule ${index + 1}`;
    if (node.type !== 'object') {
      this.addAt(node, `${where} must be an object like { "match": { "tag": "prod" }, "maxAgeHours": 26 }; found ${describe(node)}.`);
      return undefined;
    }
    const rule: PolicyRule = { index, match: {}, range: this.rangeOf(node) };
    let excludeProp: Node | undefined;
    let excludes = false;
    let reasonProp: Node | undefined;
    let reason: string | undefined;
    const settings: Node[] = [];

    for (const [key, keyNode, value, prop] of this.properties(node)) {
      if (!value) continue; // A property without a value is a syntax error, reported already.
      switch (key) {
        case 'match': {
          const m = this.match(value, where);
          if (m) rule.match = m;
          break;
        }
        case 'exclude':
          excludeProp = prop;
          settings.push(prop);
          excludes = value.type === 'boolean' && value.value === true;
          if (!excludes) {
            this.addAt(value, value.type === 'boolean'
              ? `"exclude": false sets nothing: remove the key (a guest is checked unless a rule excludes it).`
              : `"exclude" must be true (with a "reason"); found ${describe(value)}.`);
          }
          break;
        case 'reason':
          reasonProp = prop;
          if (value.type !== 'string' || String(value.value).trim() === '') {
            this.addAt(value, `"reason" must say in words why the guests are excluded (for example "backed up by the storage team's snapshots"); found ${describe(value)}.`);
          } else {
            reason = String(value.value);
          }
          break;
        case 'maxAgeHours':
          settings.push(prop);
          rule.maxAgeHours = this.positive(value, key, 'hours: the newest backup may be at most this old, for example 26 for a daily backup with slack');
          break;
        case 'maxVerifyAgeDays':
          settings.push(prop);
          rule.maxVerifyAgeDays = this.positive(value, key, 'days: the newest backup must have been verified on PBS at most this long ago, for example 30');
          break;
        case 'requireStorage':
          settings.push(prop);
          rule.requireStorage = this.storages(value);
          break;
        case 'description':
          if (value.type !== 'string') this.addAt(value, `"description" is free text about the rule and must be a string; found ${describe(value)}: quote it.`);
          break;
        default:
          this.unknownKey(keyNode, key, RULE_KEYS, `a rule`);
      }
    }

    if (excludeProp && excludes) {
      if (reasonProp === undefined) {
        this.addAt(excludeProp, `An excluded guest needs a "reason" (it is shown wherever the guest is): add "reason": "…", for example "backed up by the storage team's snapshots".`);
      } else if (reason !== undefined) {
        rule.exclude = { reason };
      }
      // An excluded guest is never checked, so a check in the same rule could never apply: say so rather than
      // leave the reader believing it does.
      for (const s of settings) {
        if (s === excludeProp) continue;
        const name = String(s.children?.[0]?.value);
        this.addAt(s, `"${name}" has no effect in a rule that excludes its guests (excluded guests are not checked): remove it, or move it to a rule of its own.`);
      }
    } else if (reasonProp && !excludeProp) {
      this.addAt(reasonProp, `"reason" explains an exclusion, but this rule has no "exclude": true: add "exclude": true, or use "description" for a note about the rule.`);
    }
    // Only when nothing else is wrong: a mistyped setting ("maxAgeHour") is the cause, and one problem says it.
    if (settings.length === 0 && this.problems.length === before) {
      this.addAt(node, `${where} sets nothing to check: add "maxAgeHours", "requireStorage", "maxVerifyAgeDays", or "exclude": true with a "reason".`);
    }

    if (this.touchedBySyntaxError(node)) {
      this.addAt(node, `${where} is not applied until the syntax error in it is fixed: what it says cannot be read with certainty.`, true);
    }
    return this.problems.length === before ? rule : undefined;
  }

  private match(node: Node, where: string): PolicyMatch | undefined {
    if (node.type !== 'object') {
      this.addAt(node, `"match" must be an object of criteria, like { "tag": "prod" } ({} matches every guest); found ${describe(node)}.`);
      return undefined;
    }
    const m: PolicyMatch = {};
    for (const [key, keyNode, value] of this.properties(node)) {
      if (!value) continue;
      switch (key) {
        case 'vmid': {
          const ids = this.vmids(value);
          if (ids) m.vmid = ids;
          break;
        }
        case 'name':
          m.name = this.pattern(value, key, NAME_GLOB,
            `a glob on the guest's name, like "db-*" (* is any run of characters, ? one character; names hold only letters, digits, ".", "-" and "_")`);
          break;
        case 'tag':
          m.tag = this.pattern(value, key, TAG,
            `one Proxmox tag, matched exactly, like "prod" (letters, digits, "_", "-", "+", "."; a rule matches one tag)`);
          break;
        case 'pool':
          m.pool = this.pattern(value, key, NO_SPACE, `a Proxmox pool id, like "production"`);
          break;
        case 'node':
          m.node = this.pattern(value, key, NO_SPACE, `a Proxmox node name, like "pve1"`);
          break;
        case 'endpoint':
          if (value.type !== 'string' || String(value.value).trim() === '') {
            this.addAt(value, `"endpoint" must be an endpoint's id or name as in Proxbox's endpoint list, like "lab"; found ${describe(value)}.`);
          } else {
            m.endpoint = String(value.value);
          }
          break;
        default:
          this.unknownKey(keyNode, key, MATCH_KEYS, `"match" (in ${where.toLowerCase()})`);
      }
    }
    return m;
  }

  private vmids(node: Node): number[] | undefined {
    const ok = (n: Node): boolean => n.type === 'number' && Number.isInteger(n.value) && n.value >= VMID_MIN && n.value <= VMID_MAX;
    const bad = (n: Node): void => this.addAt(n, `A guest id must be a whole number from ${VMID_MIN} to ${VMID_MAX}, like 101; found ${describe(n)}.`);
    if (node.type === 'number') {
      if (ok(node)) return [node.value as number];
      bad(node);
      return undefined;
    }
    if (node.type !== 'array') {
      this.addAt(node, `"vmid" must be a guest id or an array of guest ids, like 101 or [101, 102]; found ${describe(node)}.`);
      return undefined;
    }
    const items = node.children ?? [];
    if (items.length === 0) {
      this.addAt(node, `"vmid" is an empty array, which matches no guest: list guest ids like [101, 102], or remove "vmid" to match every guest.`);
      return undefined;
    }
    const bads = items.filter((n) => !ok(n));
    bads.forEach(bad);
    return bads.length ? undefined : items.map((n) => n.value as number);
  }

  private pattern(node: Node, key: string, re: RegExp, what: string): string | undefined {
    if (node.type === 'string' && re.test(String(node.value))) return String(node.value);
    const found = node.type === 'string' && String(node.value) !== ''
      ? `"${String(node.value)}" has ${offending(String(node.value), re)}, which can never match`
      : `found ${describe(node)}`;
    this.addAt(node, `"${key}" must be ${what}; ${found}.`);
    return undefined;
  }

  private positive(node: Node, key: string, what: string): number | undefined {
    if (node.type === 'number' && typeof node.value === 'number' && node.value > 0 && Number.isFinite(node.value)) return node.value;
    const hint = node.type === 'string' && Number(node.value) > 0 ? ': remove the quotes' : '';
    this.addAt(node, `"${key}" must be a number greater than 0, in ${what}; found ${describe(node)}${hint}.`);
    return undefined;
  }

  private storages(node: Node): string[] | undefined {
    const entries = node.type === 'string' ? [node] : node.type === 'array' ? node.children ?? [] : undefined;
    if (!entries) {
      this.addAt(node, `"requireStorage" must be a storage entry or an array of them, like "pbs-*" or ["type:pbs"]; found ${describe(node)}.`);
      return undefined;
    }
    if (entries.length === 0) {
      this.addAt(node, `"requireStorage" is an empty array, which no backup can satisfy: list storage ids (globs) or "type:<type>" entries, like ["type:pbs"].`);
      return undefined;
    }
    const out: string[] = [];
    let failed = false;
    for (const e of entries) {
      const s = e.type === 'string' ? String(e.value) : undefined;
      if (s !== undefined && s.startsWith('type:')) {
        const t = s.slice('type:'.length);
        if (BACKUP_STORAGE_TYPES.includes(t)) { out.push(s); continue; }
        this.addAt(e, `"${s}" is not a storage type that holds backups: use type:${BACKUP_STORAGE_TYPES.join(', type:')}, ` +
          `or name a storage of another type by its id (a glob like "backup-*").`);
      } else if (s !== undefined && STORAGE_GLOB.test(s)) {
        out.push(s);
        continue;
      } else {
        const found = s ? `"${s}" has ${offending(s, STORAGE_GLOB)}, which no storage id holds` : `found ${describe(e)}`;
        this.addAt(e, `A "requireStorage" entry must be a storage id glob like "pbs-*" (letters, digits, ".", "-", "_", * and ?) or "type:<type>" like "type:pbs"; ${found}.`);
      }
      failed = true;
    }
    return failed ? undefined : out;
  }

  // ---- Shared pieces ----

  /** The properties of an object node, each once: a duplicate key is a problem (JSON readers disagree on which wins). */
  private properties(obj: Node): Array<[string, Node, Node | undefined, Node]> {
    const seen = new Set<string>();
    const out: Array<[string, Node, Node | undefined, Node]> = [];
    for (const prop of obj.children ?? []) {
      const [keyNode, value] = prop.children ?? [];
      if (!keyNode) continue;
      const key = String(keyNode.value);
      if (seen.has(key)) {
        this.addAt(keyNode, `Duplicate key "${key}": JSON tools disagree on which one counts; keep one.`);
        continue;
      }
      seen.add(key);
      out.push([key, keyNode, value, prop]);
    }
    return out;
  }

  private unknownKey(keyNode: Node, key: string, known: readonly string[], where: string): void {
    const suggestion = closest(key, known);
    // A key written one level off (a criterion beside "match", a setting inside it) is a common slip: say where it goes.
    const misplaced = (MATCH_KEYS as readonly string[]).includes(key) && known === RULE_KEYS
      ? ` A match criterion goes inside "match": { "${key}": … }.`
      : ([...SETTING_KEYS, 'reason', 'description'] as string[]).includes(key) && known === MATCH_KEYS
        ? ` "${key}" belongs to the rule, beside "match", not inside it.`
        : known === TOP_KEYS && (RULE_KEYS as readonly string[]).includes(key) ? ` "${key}" belongs inside a rule of "rules".` : '';
    const fix = misplaced || (suggestion ? ` Did you mean "${suggestion}"?` : ` Known keys: ${known.map((k) => `"${k}"`).join(', ')}.`);
    this.addAt(keyNode, `Unknown key "${key}" in ${where}: it would be ignored, so the policy would check less than it says.${fix}`);
  }

  private touchedBySyntaxError(node: Node): boolean {
    const start = node.offset;
    const last = node.offset + node.length - 1;
    // An object that does not end with its "}" was cut off; an error after its "{" and up to its "}" is inside it.
    // (An error at its "{" belongs before it: a missing comma between two rules says nothing about either.)
    if (this.text[last] !== '}') return true;
    return this.meaningErrors.some((e) => e.offset > start && e.offset <= last);
  }

  private reportSyntax(strictErrors: ParseError[]): void {
    const seen = new Set<string>();
    for (const e of strictErrors) {
      let offset = e.offset;
      let length = e.length;
      let message = syntaxMessage(e);
      const tolerated = !this.meaningErrors.some((m) => m.offset === e.offset && m.error === e.error);
      const code = printParseErrorCode(e.error);
      if (tolerated && (code === 'PropertyNameExpected' || code === 'ValueExpected')) {
        // Seen only by the strict parse and not a comment: a comma before "}" or "]". Point at the comma itself.
        let i = e.offset - 1;
        while (i >= 0 && /\s/.test(this.text[i])) i--;
        if (this.text[i] === ',') {
          offset = i;
          length = 1;
          message = `Trailing comma: JSON allows no comma before "${this.text[e.offset] ?? '}'}"; remove it.`;
        }
      }
      const key = `${offset}:${message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      this.add(offset, length, message);
    }
  }

  private add(offset: number, length: number, message: string): void {
    this.problems.push({ message, range: this.lines.range(offset, length) });
  }

  /** A problem on a node; `openingOnly` marks just its first character (for a whole object that spans many lines). */
  private addAt(node: Node, message: string, openingOnly = false): void {
    this.add(node.offset, openingOnly ? 1 : node.length, message);
  }

  private rangeOf(node: Node): SourceRange {
    return this.lines.range(node.offset, node.length);
  }
}

function syntaxMessage(e: ParseError): string {
  // By name: ParseErrorCode is a const enum, which an isolated-modules build cannot read at run time.
  const code = printParseErrorCode(e.error);
  switch (code) {
    case 'InvalidCommentToken':
      return `Comments are not allowed in a JSON file (editors and JSON tools reject them): remove it, and put the why of a rule in its "description".`;
    case 'UnexpectedEndOfComment':
      return `Unterminated comment; comments are not allowed in a JSON file anyway: remove it.`;
    case 'UnexpectedEndOfString':
      return `Unterminated string: add the closing double quote.`;
    case 'InvalidSymbol':
      return `Unexpected character: JSON allows objects, arrays, strings in double quotes, numbers, true, false and null here; check for a missing quote or a single quote.`;
    case 'InvalidNumberFormat':
    case 'UnexpectedEndOfNumber':
      return `Not a valid JSON number: write digits like 26 or 0.5 (no leading zeros, no trailing dot).`;
    case 'PropertyNameExpected':
      return `A key in double quotes is expected here, like "maxAgeHours".`;
    case 'ValueExpected':
      return `A value is expected here: write it, or remove the extra comma or colon.`;
    case 'ColonExpected':
      return `A ":" is expected between a key and its value.`;
    case 'CommaExpected':
      return `A "," is expected between two entries.`;
    case 'CloseBraceExpected':
      return `A "}" is expected to close this object.`;
    case 'CloseBracketExpected':
      return `A "]" is expected to close this array.`;
    case 'EndOfFileExpected':
      return `Text after the end of the policy object: the file holds one JSON object; remove what follows it.`;
    case 'InvalidUnicode':
    case 'InvalidEscapeCharacter':
      return `Invalid escape in a string: use \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX.`;
    case 'InvalidCharacter':
      return `Invalid character in a string (a raw tab or line break): escape it as \\t or \\n.`;
    default:
      return `JSON syntax error (${code}): fix the text here.`;
  }
}

/** How a value reads in a message: its type, and the value itself when short. */
function describe(node: Node): string {
  switch (node.type) {
    case 'string': return node.value === '' ? 'an empty string' : `the string ${JSON.stringify(clip(String(node.value)))}`;
    case 'number': return `the number ${String(node.value)}`;
    case 'boolean': return String(node.value);
    case 'null': return 'null';
    case 'array': return 'an array';
    case 'object': return 'an object';
    default: return 'nothing readable';
  }
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/** The characters of `s` outside the set `re` allows, for a message ("[", "]"). */
function offending(s: string, re: RegExp): string {
  // Tested after a harmless first letter, so that a character allowed only after the first one is not listed.
  const bad = [...new Set([...s].filter((c) => !re.test(`a${c}`)))];
  if (bad.length === 0) return 'a first character that is not allowed';
  return bad.map((c) => (c === ' ' ? 'a space' : `"${c}"`)).join(', ');
}

/** The known key closest to a mistyped one (case or up to two edits), or undefined when none is close. */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = k.toLowerCase() === key.toLowerCase() ? 0 : editDistance(k.toLowerCase(), key.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
