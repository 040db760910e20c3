import { describe, it, expect } from 'vitest';
import { applyUserMapping } from './migrate.node.ts';
import type { FullPlan } from './plan.node.ts';

describe('applyUserMapping', () => {
  it('the user\'s choice wins for that folder, is marked "user", and the copy uses it', () => {
    const line = { source: 'Factures', destination: 'INBOX.Factures', role: null, reason: 'converted' as const, exists: false, messages: 3, bytes: 300 };
    const plan: FullPlan = {
      folders: [line, { ...line, source: 'INBOX', destination: 'INBOX', role: 'inbox' }],
      mapping: [
        { source: 'Factures', destination: 'INBOX.Factures', role: null, reason: 'converted', exists: false },
        { source: 'INBOX', destination: 'INBOX', role: 'inbox', reason: 'special-use', exists: true },
      ],
      quotaOk: true, quota: null, wontGo: [], notes: [], sizeLimit: null,
    };
    const out = applyUserMapping(plan, [{ source: 'Factures', destination: 'INBOX.Papiers.Factures' }]);
    expect(out.folders[0]).toMatchObject({ destination: 'INBOX.Papiers.Factures', reason: 'user' });
    expect(out.mapping[0].destination).toBe('INBOX.Papiers.Factures');
    expect(out.folders[1]).toEqual(plan.folders[1]);
    expect(applyUserMapping(plan, undefined)).toBe(plan);
  });
});
