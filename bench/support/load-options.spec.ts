import { parseLoadOptions } from './load-options';

describe('parseLoadOptions', () => {
  it('defaults to 8 cities back to back at 10, 100 and 1,000 open candidacies', () => {
    expect(parseLoadOptions([])).toEqual({
      cities: 8,
      open: [10, 100, 1000],
      temporal: undefined,
      short: false,
      direct: false,
      floor: false,
      shape: false,
      pause: 0,
    });
  });

  it('takes the short form, a pause, a cluster and the extra batches', () => {
    expect(
      parseLoadOptions(['--short', '--pause', '150', '--temporal', '127.0.0.1:7233', '--direct', '--floor', '--shape']),
    ).toEqual({
      cities: 2,
      open: [10, 100],
      temporal: '127.0.0.1:7233',
      short: true,
      direct: true,
      floor: true,
      shape: true,
      pause: 150,
    });
  });

  it.each([
    [['--cities', '1'], '--cities must be an integer of at least 2'],
    [['--open', '10,x'], '--open must list positive integers'],
    [['--pause', '-5'], '--pause must be a whole number of ms, 0 or more'],
    [['--pause', 'soon'], '--pause must be a whole number of ms, 0 or more'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseLoadOptions(argv)).toThrow(message);
  });
});
