// Shared by the policy tests: the example policy, and the text a SourceRange covers (computed from line
// breaks independently of src/core/text/lineIndex.ts, so a test does not check the helper with itself).
import type { SourceRange } from '../../../src/core/health/types';

export const EXAMPLE_POLICY = `{
  "$schema": "./schemas/proxbox.policy.schema.json",
  "rules": [
    { "match": { "vmid": [101, 102] }, "exclude": true, "reason": "backed up by the storage team's snapshots" },
    { "match": { "tag": "prod" }, "maxAgeHours": 26, "requireStorage": ["type:pbs"] },
    {
      "match": { "name": "db-*", "endpoint": "lab" },
      "maxVerifyAgeDays": 30,
      "description": "the DBA team restores from these"
    },
    { "match": {}, "maxAgeHours": 72 }
  ]
}
`;

export function offsetOf(text: string, line: number, character: number): number {
  const re = /\r\n|\r|\n/g;
  let start = 0;
  for (let l = 0; l < line; l++) {
    const m = re.exec(text);
    if (!m) throw new Error(`line ${line} is past the end of the text`);
    start = m.index + m[0].length;
  }
  return start + character;
}

export function textAt(text: string, r: SourceRange): string {
  return text.slice(offsetOf(text, r.startLine, r.startCharacter), offsetOf(text, r.endLine, r.endCharacter));
}
