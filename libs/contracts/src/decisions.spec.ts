import * as candidacyMessages from './candidacy.messages';
import * as districtMessages from './district-plan.messages';
import { ROLES } from './actor.types';
import { CANDIDACY_STAGES } from './candidacy.types';
import { DECISIONS } from './decisions';

const updatesIn = (module: Record<string, unknown>) =>
  Object.values(module).filter(
    (v): v is { type: 'update'; name: string } => (v as { type?: string })?.type === 'update',
  );

describe('DECISIONS', () => {
  const rules = Object.values(DECISIONS);

  it('names every Update of both workflows, each once', () => {
    const all = [...updatesIn(candidacyMessages), ...updatesIn(districtMessages)].map((u) => u.name).sort();
    expect(rules.map((r) => r.update.name).sort()).toEqual(all);
  });

  it('is keyed by the name of the Update it carries', () => {
    for (const [key, rule] of Object.entries(DECISIONS)) expect(rule.update.name).toBe(key);
  });

  it('gives every decision at least one role and only known roles, stages and positive limits', () => {
    for (const rule of rules) {
      expect(rule.roles.length).toBeGreaterThan(0);
      for (const role of rule.roles) expect(ROLES).toContain(role);
      for (const stage of 'stages' in rule ? rule.stages : []) expect(CANDIDACY_STAGES).toContain(stage);
      for (const limit of Object.values(rule.limits)) expect(limit).toBeGreaterThan(0);
      expect(rule.summary).not.toHaveLength(0);
    }
  });
});
