import { loadDemoPeople, parseDemoPeople } from './demo-people';

const person = {
  id: 'focal-point',
  name: { fa: 'مریم احمدی', en: 'Maryam Ahmadi' },
  role: 'administrator',
  organisation: { fa: 'شهرداری اصفهان', en: 'Isfahan Municipality' },
  country: 'IR',
  cities: ['isfahan'],
};

describe('demo people', () => {
  it('the shipped seed is valid: ids unique, a district for each submitter', () => {
    const sut = loadDemoPeople();
    expect(new Set(sut.map((p) => p.id)).size).toBe(sut.length);
    for (const p of sut.filter((p) => p.role === 'district_submitter')) expect(p.districts?.length).toBeGreaterThan(0);
  });

  it("gives each of Isfahan's 15 districts (district-1 to district-15) a submitter, so a rehearsal needs no waiver", () => {
    const covered = new Set(
      loadDemoPeople()
        .filter((p) => p.role === 'district_submitter' && p.cities.includes('isfahan'))
        .flatMap((p) => p.districts ?? []),
    );
    expect(Array.from({ length: 15 }, (_, i) => `district-${i + 1}`).filter((d) => !covered.has(d))).toEqual([]);
  });

  it.each([
    [{ people: [] }, 'demo-people.json: people must be a non-empty list'],
    [{ people: [{ ...person, id: 'Focal' }] }, 'people[0].id must be lowercase letters, digits and dashes'],
    [{ people: [person, person] }, 'people[1].id "focal-point" is used twice'],
    [{ people: [{ ...person, name: { fa: 'مریم' } }] }, 'people[0].name.en must be a non-empty string'],
    [{ people: [{ ...person, role: 'mayor' }] }, 'people[0]: token role is not one of administrator'],
    [{ people: [{ ...person, role: 'district_submitter' }] }, 'people[0]: token districts are required'],
    [{ people: [{ ...person, country: 'Iran' }] }, 'people[0]: token country must be an ISO 3166-1 alpha-2 code'],
  ])('refuses %j naming the entry and field', (seed, message) => {
    expect(() => parseDemoPeople(seed)).toThrow(message);
  });
});
