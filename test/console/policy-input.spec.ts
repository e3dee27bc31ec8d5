import { asciiDigits, listItems } from '../../apps/console/src/digits';
import { policyDuration, policyDurations, quorumValue } from '../../apps/console/src/pages/policy-input';

// The start form's policy fields as a Persian keyboard types them.
describe('the start form reads Persian and Arabic-Indic digits', () => {
  it('turns every digit to ASCII and leaves the rest', () => {
    expect(asciiDigits('۰۱۲۳۴۵۶۷۸۹ ٠١٢٣٤٥٦٧٨٩ 09 PT3M')).toBe('0123456789 0123456789 09 PT3M');
  });

  it('splits a list at Latin and Persian commas and spaces', () => {
    expect(listItems('member-1، member-2,member-3  member-4')).toEqual([
      'member-1',
      'member-2',
      'member-3',
      'member-4',
    ]);
  });

  it.each([
    ['60', 60],
    [' ۹۰ ', 90],
    ['٣٠', 30],
    ['PT3M', 'PT3M'],
    ['۹۰ روز', '90 روز'],
  ])('reads the duration %j as %j', (typed, sent) => {
    expect(policyDuration(typed)).toEqual(sent);
  });

  it('reads a list of durations and a quorum', () => {
    expect(policyDurations('۷، ۱')).toEqual([7, 1]);
    expect(policyDurations('PT10S')).toEqual(['PT10S']);
    expect(quorumValue('۳')).toBe(3);
    expect(quorumValue('  ')).toBeUndefined();
  });
});
