// The input naming evidence to attach, and its check: shared by attachEvidence (evidence.ts) and
// submitRectification (problems.ts), and kept apart from both so neither imports the other.
import { type EvidenceItem, MAX_EVIDENCE_PER_WRITE } from '@rrm/db';
import { builder } from '../builder.ts';
import { badInput } from '../errors.ts';

export const EvidenceInput = builder.inputType('EvidenceInput', {
  description: 'A file you uploaded (POST /api/evidence), to attach.',
  fields: (t) => ({
    sha256: t.string({
      required: true,
      description:
        'The SHA-256 the upload answered (64 hex digits); the file keeps the name it was uploaded under.',
    }),
  }),
});

/** Checks a list of evidence to attach: at most a write's worth, each hash well-formed. */
export function checkEvidence(
  argument: string,
  items: readonly { sha256: string }[] | null | undefined,
): EvidenceItem[] {
  if (!items) return [];
  if (items.length > MAX_EVIDENCE_PER_WRITE)
    throw badInput(argument, `at most ${MAX_EVIDENCE_PER_WRITE} files at once, got ${items.length}`);
  return items.map((item, n) => {
    if (!/^[0-9a-f]{64}$/.test(item.sha256))
      throw badInput(`${argument}[${n}].sha256`, 'must be a SHA-256 in hex (64 characters, 0–9 a–f)');
    return { sha256: item.sha256 };
  });
}
