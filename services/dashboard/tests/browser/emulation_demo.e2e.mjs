// The demo emulation year end to end against real processes (stack.mjs):
// `fed-demo emulation` carries cluster 1's 2025 year from covenant to award
// through the emulation service's public API as the cluster's people would
// (registry, aggregator with the demo reports, ranking with its scheme,
// emulation, reporting and the dashboard, each its own process). Then, as
// those people through the dashboard's /api/call: the year's history, the
// three columns, the generated dossier, and the awarded flag in the next
// annual draft's pre-fill. No browser: the screens have their own test
// (emulation.e2e.mjs).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { Stack } from './stack.mjs';

const KEY = { organiserCode: 'VUSTA', year: 2025, clusterNumber: 1 };
let stack;
let office;

before(async () => {
  stack = new Stack({ name: 'emulation_demo', contests: false, emulation: 'awarded' });
  await stack.start();
  office = await stack.apiSession(stack.token('national_admin', 'VUSTA'));
}, { timeout: 600_000 });

after(async () => {
  await stack?.stop();
});

async function ok(call, service, method, body) {
  const res = await call(service, method, body);
  assert.equal(res.status, 200, `${method}: ${JSON.stringify(res.body)}`);
  return res.body;
}

describe('the demo emulation year', () => {
  test('went through every state, with a returned dossier and a re-ballot', async () => {
    const year = await ok(office, 'emulation', 'GetYear', { key: KEY });
    assert.equal(year.state, 'YEAR_STATE_AWARDED');
    assert.deepEqual(year.transitions.map((t) => t.to.replace('YEAR_STATE_', '')), [
      'SCHEME_ISSUED', 'COVENANT_SIGNED', 'IN_PROGRESS', 'SELF_ASSESSED', 'CROSS_CHECKED', 'VOTED',
      'DOSSIER_SUBMITTED', 'DOSSIER_RETURNED', 'DOSSIER_SUBMITTED', 'COUNCIL_REVIEWED', 'DECIDED', 'AWARDED',
    ]);
    // The merged members (Yên Bái into Lào Cai, Hoà Bình into Phú Thọ) signed but took no part after.
    const apart = year.members.filter((m) => !m.takesPart).map((m) => m.organizationCode).sort();
    assert.deepEqual(apart, ['15', '17']);
    assert.equal(year.covenant.registrations.length, 6);
    // The certificates' first round tied; the second decided among the tied.
    const merit = year.ballots.filter((b) => b.tally.kind === 'BALLOT_KIND_MERIT_CERTIFICATE');
    assert.deepEqual(merit.map((b) => b.outcome), ['BALLOT_OUTCOME_TIE', 'BALLOT_OUTCOME_DECIDED']);
    assert.deepEqual([...merit[1].tally.votes.map((v) => v.organizationCode)].sort(), [...merit[0].tiedCodes].sort());
    assert.equal(year.reviews.length, 2);
    assert.equal(year.reviews[0].approved, false);
    assert.ok(year.reviews[0].returnReason.length > 0);
    assert.equal(year.dossier.revision, 2);
    // Rotation: this year's deputy heads the next.
    assert.equal(year.nextHeadCode, year.covenant.deputyCode);
    // Every award presented, the Government flag granted by the Prime Minister.
    assert.ok(year.awards.length >= 3);
    for (const award of year.awards) assert.equal(award.state, 'AWARD_STATE_PRESENTED', JSON.stringify(award));
    const government = year.awards.find((a) => a.kind === 'AWARD_KIND_GOVERNMENT_FLAG');
    assert.equal(government.organizationCode, year.covenant.headCode);
  });

  test('shows computed, self and verified scores side by side to a member', async () => {
    const member = await stack.apiSession(stack.token('province_reporter', '14', 'clerk-14'));
    const table = await ok(member, 'emulation', 'GetAssessment', { key: KEY });
    assert.equal(table.computedAvailable, true);
    const taking = table.members.filter((m) => m.takesPart);
    assert.equal(taking.length, 4);
    assert.deepEqual(taking.map((m) => m.rank).sort(), [1, 2, 3, 4].slice(0, taking.length).sort());
    // The demo's members claim 2 points more than the data show on the first
    // criterion; the cross-check takes them back, with a reason.
    for (const m of taking) {
      assert.ok(m.selfTotal >= m.verifiedTotal, JSON.stringify(m));
      const changed = m.criteria.filter((c) => c.hasVerified && c.verifiedPoints !== c.selfPoints);
      for (const c of changed) assert.ok(c.reason.length > 0, JSON.stringify(c));
    }
    assert.ok(taking.some((m) => m.criteria.some((c) => c.reason.length > 0)));
  });

  test('generates the dossier in Vietnamese from the records', async () => {
    const docs = await ok(office, 'emulation', 'GetDocuments', { key: KEY });
    assert.deepEqual(docs.documents.map((d) => d.kind), [
      'DOCUMENT_KIND_PROPOSAL_LETTER', 'DOCUMENT_KIND_ACHIEVEMENT_REPORT', 'DOCUMENT_KIND_MINUTES',
      'DOCUMENT_KIND_VOTE_COUNT',
    ]);
    assert.match(docs.documents[0].text, /TỜ TRÌNH/);
    assert.match(docs.documents[3].text, /Số phiếu phát ra: 8; hợp lệ: 8/);
    assert.match(docs.documents[3].text, /vòng 2/);
  });

  test('puts the awarded flags and certificates into the next annual draft', async () => {
    const year = await ok(office, 'emulation', 'GetYear', { key: KEY });
    const flag = year.awards.find((a) => a.kind === 'AWARD_KIND_UNION_FLAG');
    const winner = flag.organizationCode;
    const clerk = await stack.apiSession(stack.token('province_reporter', winner, `clerk-${winner}`));
    const decidedYear = Number(flag.decidedOn.slice(0, 4));
    const counted = await ok(clerk, 'emulation', 'ListAwards', { organizationCode: winner, decidedYear });
    assert.ok(counted.emulationFlags >= 1);
    const draft = await ok(clerk, 'reporting', 'CreateDraft', {
      organizationCode: winner, period: String(decidedYear), prefill: true,
    });
    const value = (code) => Number(draft.values.find((v) => v.code === code)?.count ?? -1);
    assert.equal(value('emulation_flags'), counted.emulationFlags);
    assert.equal(value('merit_certificates'), counted.meritCertificates);
  });

  test('keeps other provinces out, whatever they ask', async () => {
    const outsider = await stack.apiSession(stack.token('province_reporter', '20', 'clerk-20'));
    const res = await outsider('emulation', 'GetYear', { key: KEY });
    assert.equal(res.status, 403);
    const listed = await ok(outsider, 'emulation', 'ListYears', {});
    assert.equal(listed.years.length, 0);
    const member = await stack.apiSession(stack.token('province_reporter', '12', 'clerk-12'));
    const revoke = await member('emulation', 'RevokeYear', { key: KEY, reason: 'thử' });
    assert.equal(revoke.status, 403);
  });

  test('reads the same through fedctl, and is revoked with it', async () => {
    const fedctl = (...args) => stack.fedctlRun(['--as_role=national_admin', '--as_org=VUSTA', 'emulation', ...args,
      `--emulation=${stack.emulationAddress}`]);
    const key = ['--year=2025', '--cluster=1'];
    const shown = JSON.parse(fedctl('show', ...key, '--json'));
    assert.equal(shown.state, 'YEAR_STATE_AWARDED');
    const table = fedctl('assessment', ...key, '--csv');
    assert.equal(table.trim().split('\n').length, 1 + 6, table);  // a header and the six members
    const listed = fedctl('years', '--year=2025');
    assert.match(listed, /awarded/);
    // fedctl's --json keeps the proto's field names (organization_code).
    const flag = shown.awards.find((a) => a.kind === 'AWARD_KIND_UNION_FLAG').organization_code;
    assert.match(fedctl('awards', `--org=${flag}`), /union_flag/);
    // A false dossier found afterwards: the awards no longer count.
    fedctl('revoke', ...key, '--reason=Hồ sơ không trung thực (thử nghiệm)');
    const clerk = await stack.apiSession(stack.token('province_reporter', flag, `clerk-${flag}`));
    const counted = await ok(clerk, 'emulation', 'ListAwards', { organizationCode: flag });
    assert.equal(counted.emulationFlags, 0);
    assert.ok(counted.awards.every((a) => a.state === 'AWARD_STATE_REVOKED'));
  });

  test('is left as it is when the demo runs again', async () => {
    const before = await ok(office, 'emulation', 'GetYear', { key: KEY });
    stack.demoRun(['emulation', `--emulation=${stack.emulationAddress}`]);
    const again = await ok(office, 'emulation', 'GetYear', { key: KEY });
    assert.equal(again.revision, before.revision);
  });
});
