// Evidence (佐证材料) through the API: each problem's files, and attaching the caller's uploads to
// a problem (here on their own; with a rectification, submitRectification's `evidence`). The files
// themselves go up and come down over plain HTTP (server/src/evidence/route.ts): POST /api/evidence
// answers the upload's SHA-256, which these mutations take.
import { addProblemEvidence, type EvidenceRow, MAX_EVIDENCE_PER_PROBLEM } from '@rrm/db';
import { builder } from '../builder.ts';
import { sized } from '../cost.ts';
import { checkEvidence, EvidenceInput } from './evidence-input.ts';
import { changeProblem, ProblemRef, versioned } from './problems.ts';

const EvidenceRef = builder.objectRef<EvidenceRow>('Evidence').implement({
  description: '佐证材料: a photo or document attached to a problem.',
  fields: (t) => ({
    id: t.exposeInt('id', { description: 'Attachment number.' }),
    fileName: t.exposeString('fileName', { description: 'The name it was attached under.' }),
    mediaType: t.exposeString('mediaType', {
      description: 'Its type, as read from its bytes: image/jpeg, image/png, application/pdf, XLSX or DOCX.',
    }),
    size: t.exposeInt('size', { description: 'Bytes.' }),
    sha256: t.exposeString('sha256', {
      description: 'SHA-256 of the content (hex): it is stored once by this.',
    }),
    attachedBy: t.exposeString('attachedBy', { description: 'Who attached it.' }),
    attachedAt: t.exposeString('attachedAt', { description: 'When (ISO 8601, UTC).' }),
    url: t.string({
      description: 'Where to download it (needs the same login that reads the problem).',
      resolve: (e) => `/api/evidence/${e.id}`,
    }),
    thumbnailUrl: t.string({
      nullable: true,
      description: 'A small JPEG of an image (null for documents).',
      resolve: (e) => (e.hasThumbnail ? `/api/evidence/${e.id}/thumbnail` : null),
    }),
  }),
});

builder.objectField(ProblemRef, 'evidence', (t) =>
  t.field({
    type: [EvidenceRef],
    ...sized(MAX_EVIDENCE_PER_PROBLEM),
    description: `佐证材料: its files, in the order attached (at most ${MAX_EVIDENCE_PER_PROBLEM}).`,
    resolve: (p, _a, ctx) => ctx.loaders.problemEvidence.load(p.id),
  }),
);

builder.mutationField('attachEvidence', (t) =>
  t.field({
    type: ProblemRef,
    description:
      '佐证材料: attaches files you uploaded to a problem that is not closed (its department’s users, supervisors in scope, admins). Each goes into its history.',
    args: {
      ...versioned(t),
      evidence: t.arg({ type: [EvidenceInput], required: true, description: 'The files (1–10).' }),
    },
    resolve: (_r, args, ctx) =>
      changeProblem(
        ctx,
        'attachEvidence',
        args,
        () => ({ evidence: checkEvidence('evidence', args.evidence) }),
        addProblemEvidence,
        'department too',
      ),
  }),
);
