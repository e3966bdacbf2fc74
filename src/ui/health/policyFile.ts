// Placeholder until the policy file watcher lands (branch `policy`).
import * as vscode from 'vscode';
import type { BackupPolicy, PolicyViolation } from '../../core/health/types';

export class PolicyFile implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  current(): { policy: BackupPolicy } | null { return null; }
  publish(violations: PolicyViolation[], endpointName: (id: string) => string): void { void violations; void endpointName; }
  dispose(): void { this.changed.dispose(); }
}
