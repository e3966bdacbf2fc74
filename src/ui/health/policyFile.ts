// The backup policy file of the workspace (proxbox.policy.json at a folder root): found, watched, parsed (by the core's
// parsePolicy) and shown in the Problems panel. No rule lives here: which guests break the policy is decided by the
// health rules, which hand their violations to `publish`.
//
// Decisions:
// - The text of an open editor counts, saved or not: the Problems panel reflects the buffer for every other
//   language, and a diagnostic's line must be a line of the text the user sees (after an unsaved edit the file on
//   disk has other line numbers). Closing an editor without saving falls back to the file on disk.
// - Multi-root: the first workspace folder (in folder order) that has the file wins; a policy file in a later folder
//   is still checked (its mistakes are shown) and carries a note that it is not used, so it is never silently ignored.
// - When the policy text changes, the violations on it are cleared (its rules may have moved or changed) and
//   `onDidChange` fires: the owner re-evaluates health with `current()` and calls `publish` again.
import * as vscode from 'vscode';
import { POLICY_FILE_NAME, parsePolicy, type PolicyProblem } from '../../core/health/policy';
import type { BackupPolicy, PolicyViolation, SourceRange } from '../../core/health/types';
import { unusedPolicyText, violationCode, violationText } from './policyFormat';

export interface PolicySnapshot {
  uri: vscode.Uri;
  policy: BackupPolicy;
  problems: PolicyProblem[];
}

interface Loaded extends PolicySnapshot {
  folder: vscode.WorkspaceFolder;
  text: string;
}

export const POLICY_DIAGNOSTIC_SOURCE = 'Proxbox policy';
export const POLICY_DIAGNOSTIC_COLLECTION = 'proxbox-policy';
/** Code of the diagnostics about the file itself (a mistake in it, or a file that is not used). */
export const POLICY_FILE_CODE = 'policy file';
/** Typing produces an event per keystroke; parse once the typing pauses. */
const EDIT_DELAY_MS = 250;

export function toRange(r: SourceRange): vscode.Range {
  return new vscode.Range(r.startLine, r.startCharacter, r.endLine, r.endCharacter);
}

export class PolicyFile implements vscode.Disposable {
  readonly diagnostics: vscode.DiagnosticCollection;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the policy in force (or a file's problems) changed: re-evaluate and `publish` again. */
  readonly onDidChange: vscode.Event<void> = this.changed.event;

  /** By folder URI. */
  private readonly loaded = new Map<string, Loaded>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Bumped per folder on each read, so that a slow read finishing after a newer one is discarded. */
  private readonly generation = new Map<string, number>();
  private watchers: vscode.Disposable[] = [];
  private readonly subscriptions: vscode.Disposable[] = [];
  private violations: PolicyViolation[] = [];
  private endpointName: (id: string) => string = (id) => id;
  /** Resolves when the first look at every folder is done (tests and the composition root may await it). */
  readonly ready: Promise<void>;

  constructor() {
    this.diagnostics = vscode.languages.createDiagnosticCollection(POLICY_DIAGNOSTIC_COLLECTION);
    this.subscriptions.push(
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.reloadAll()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length) this.schedule(e.document.uri, EDIT_DELAY_MS);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.schedule(d.uri, 0)),
    );
    this.ready = this.reloadAll();
  }

  /** The policy in force: the first workspace folder's file that exists, or null when no folder has one. */
  current(): PolicySnapshot | null {
    const used = this.used();
    return used ? { uri: used.uri, policy: used.policy, problems: used.problems } : null;
  }

  /**
   * Shows the file's problems (errors) and the guests that break its rules (warnings, on the rule each breaks). The
   * violations are kept and shown again after a re-read that does not change the text (a save, say).
   */
  publish(violations: PolicyViolation[], endpointName: (id: string) => string): void {
    this.violations = violations;
    this.endpointName = endpointName;
    this.render();
  }

  /** Reads every folder's policy file again (also done by the watchers on their own). */
  reloadAll(): Promise<void> {
    this.watchFolders();
    const folders = vscode.workspace.workspaceFolders ?? [];
    for (const key of [...this.loaded.keys()]) {
      if (!folders.some((f) => f.uri.toString() === key)) this.loaded.delete(key);
    }
    return Promise.all(folders.map((f) => this.reload(f))).then(() => this.render());
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const d of [...this.watchers, ...this.subscriptions]) d.dispose();
    this.diagnostics.dispose();
    this.changed.dispose();
  }

  // ---- Reading ----

  private watchFolders(): void {
    for (const w of this.watchers) w.dispose();
    this.watchers = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, POLICY_FILE_NAME));
      this.watchers.push(w, w.onDidCreate((u) => this.schedule(u, 0)), w.onDidChange((u) => this.schedule(u, 0)), w.onDidDelete((u) => this.schedule(u, 0)));
    }
  }

  /** Re-reads the folder of `uri` after `delayMs`, when `uri` is that folder's policy file. */
  private schedule(uri: vscode.Uri, delayMs: number): void {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder || vscode.Uri.joinPath(folder.uri, POLICY_FILE_NAME).toString() !== uri.toString()) return;
    const key = folder.uri.toString();
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      void this.reload(folder).then((changed) => {
        if (changed) this.render();
      });
    }, delayMs));
  }

  /** Reads one folder's policy; true when what it holds changed (the text, or whether the file exists). */
  private async reload(folder: vscode.WorkspaceFolder): Promise<boolean> {
    const key = folder.uri.toString();
    const generation = (this.generation.get(key) ?? 0) + 1;
    this.generation.set(key, generation);
    const uri = vscode.Uri.joinPath(folder.uri, POLICY_FILE_NAME);
    const read = await readText(uri);
    // A newer read started while this one waited for the disk: that one decides.
    if (this.generation.get(key) !== generation) return false;
    const before = this.loaded.get(key);
    if (read === undefined) {
      if (!before) return false;
      this.loaded.delete(key);
    } else if ('text' in read) {
      if (before?.text === read.text) return false;
      this.loaded.set(key, { folder, uri, text: read.text, ...parsePolicy(read.text) });
    } else {
      const text = `\u0000unreadable: ${read.error}`; // never equal to a real file's text
      if (before?.text === text) return false;
      const problem = { message: `The policy file cannot be read (${read.error}): make it a readable file, or remove it.`, range: { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0 } };
      this.loaded.set(key, { folder, uri, text, policy: { rules: [] }, problems: [problem] });
    }
    // The rules may have moved or changed: the violations published against the old text no longer apply.
    this.violations = [];
    this.changed.fire();
    return true;
  }

  private used(): Loaded | undefined {
    for (const f of vscode.workspace.workspaceFolders ?? []) {
      const l = this.loaded.get(f.uri.toString());
      if (l) return l;
    }
    return undefined;
  }

  // ---- Showing ----

  private render(): void {
    this.diagnostics.clear();
    const used = this.used();
    for (const l of this.loaded.values()) {
      const list = l.problems.map((p) => fileDiagnostic(p.message, p.range, vscode.DiagnosticSeverity.Error));
      if (used && l !== used) {
        list.push(fileDiagnostic(unusedPolicyText(used.folder.name), { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0 }, vscode.DiagnosticSeverity.Information));
      }
      if (l === used) {
        for (const v of this.violations) {
          const rule = l.policy.rules.find((r) => r.index === v.rule);
          // A violation of a rule this text no longer has cannot be placed on it; the file's first line still shows it.
          const d = new vscode.Diagnostic(toRange(rule?.range ?? { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0 }),
            violationText(v, this.endpointName), vscode.DiagnosticSeverity.Warning);
          d.source = POLICY_DIAGNOSTIC_SOURCE;
          d.code = violationCode(rule, v.rule);
          list.push(d);
        }
      }
      this.diagnostics.set(l.uri, list);
    }
  }
}

function fileDiagnostic(message: string, range: SourceRange, severity: vscode.DiagnosticSeverity): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(range), message, severity);
  d.source = POLICY_DIAGNOSTIC_SOURCE;
  d.code = POLICY_FILE_CODE;
  return d;
}

/** The open editor's text when the file is open (saved or not), else the file on disk; undefined when there is none. */
async function readText(uri: vscode.Uri): Promise<{ text: string } | { error: string } | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open && !open.isClosed) return { text: open.getText() };
  try {
    // TextDecoder drops a UTF-8 byte-order mark, as the editor does, so positions agree with the editor's.
    return { text: new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri)) };
  } catch (e) {
    if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') return undefined;
    // Unreadable for another reason (permissions, a folder by that name): said on the file rather than hidden.
    return { error: e instanceof Error ? e.message : String(e) };
  }
}
