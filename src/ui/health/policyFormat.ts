// The words of a policy diagnostic, kept apart from policyFile.ts (which imports vscode) so that a plain mocha test
// reads them. Formatting only: what a violation is, and its message, come from the health rules in src/core/health.
import type { PolicyRule, PolicyViolation } from '../../core/health/types';

/** `db (101) on Lab cluster: newest backup is 31 h old; the policy allows 26 h`. */
export function violationText(v: PolicyViolation, endpointName: (id: string) => string): string {
  const guest = v.name ? `${v.name} (${v.vmid})` : `guest ${v.vmid}`;
  return `${guest} on ${endpointName(v.endpoint) || v.endpoint}: ${v.message}`;
}

/**
 * The diagnostic code of a violation: the setting its rule checks, when the rule sets one (a violation does not say
 * which of several settings it broke), else `rule <n>` (1-based, as a reader counts).
 */
export function violationCode(rule: PolicyRule | undefined, index: number): string {
  if (rule) {
    const set = (['exclude', 'maxAgeHours', 'requireStorage', 'maxVerifyAgeDays'] as const).filter((k) => rule[k] !== undefined);
    if (set.length === 1) return set[0];
  }
  return `rule ${index + 1}`;
}

/** Said on a policy file that is not used (multi-root workspaces use the first folder's file). */
export function unusedPolicyText(usedFolder: string): string {
  return `This policy is not used: in a multi-root workspace Proxbox uses the first folder's proxbox.policy.json, ` +
    `the one in "${usedFolder}". Move these rules there, or reorder the folders.`;
}
