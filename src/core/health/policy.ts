// The backup policy file (`proxbox.policy.json`): parsed with the position of every rule, so that a guest breaking a
// rule and a mistake in the file both become a diagnostic on the right line. Never throws for bad input.
import type { BackupPolicy, SourceRange } from './types';

export interface PolicyProblem {
  message: string;
  range: SourceRange;
}

/** A policy read from text: the rules that are valid, and a problem for each part that is not. */
export interface ParsedPolicy {
  policy: BackupPolicy;
  problems: PolicyProblem[];
}

export function parsePolicy(text: string): ParsedPolicy {
  // Placeholder until the parser lands: the signature is the contract.
  void text;
  return { policy: { rules: [] }, problems: [] };
}
