// The "Proxbox" LogOutputChannel: one line per pipeline event (LogOutputChannel adds the timestamp and level), every
// line passed through the one secret redactor and capped at MAX_LINE characters. The last lines are kept in memory for the test API.
import * as vscode from 'vscode';
import { describeEvent, type LineLevel } from '../core/pipeline/reducer';
import type { PipelineEvent } from '../core/pipeline/events';
import { redactSecrets } from '../core/secrets/redact';
import { capText } from '../core/text/cap';
import { formatClock } from '../core/text/time';

const RANK: Record<LineLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };
const KEEP = 2000;
/** A line longer than this (a server's error page, a huge name) is cut, and says how much was cut. */
export const MAX_LINE = 4000;

export class ProxboxLog implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  private readonly recent: string[] = [];

  constructor(private readonly secrets: () => Iterable<string>, private readonly minLevel: () => LineLevel) {
    this.channel = vscode.window.createOutputChannel('Proxbox', { log: true });
  }

  /** Writes one pipeline event; returns the line as written (timestamped), or undefined when filtered out. */
  event(e: PipelineEvent, prefix?: string): string | undefined {
    const { level, text } = describeEvent(e, prefix);
    return this.write(level, text);
  }

  /** Text as the log would write it: every known secret masked (for a notification that says the same). */
  redact(text: string): string {
    return redactSecrets(text, this.secrets());
  }

  write(level: LineLevel, message: string): string | undefined {
    if (RANK[level] < RANK[this.minLevel()]) return undefined;
    // Redacted before it is cut, so that a cut can never leave the start of a secret unmasked.
    const text = capText(this.redact(message), MAX_LINE);
    this.channel[level](text);
    const line = `${formatClock(Date.now())} [${level}] ${text}`;
    this.recent.push(line);
    if (this.recent.length > KEEP) this.recent.splice(0, this.recent.length - KEEP);
    return line;
  }

  info(message: string): void { this.write('info', message); }
  warn(message: string): void { this.write('warn', message); }
  error(message: string): void { this.write('error', message); }

  lines(): string[] {
    return [...this.recent];
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
