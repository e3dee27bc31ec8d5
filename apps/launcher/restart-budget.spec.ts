import { RestartBudget } from './restart-budget';

describe(RestartBudget.name, () => {
  it('allows the limit within the window, then refuses', () => {
    const sut = new RestartBudget(3, 60_000);
    expect([sut.take(0), sut.take(1_000), sut.take(2_000), sut.take(3_000)]).toEqual([true, true, true, false]);
    expect(sut.taken(3_000)).toBe(3);
  });

  it('allows again once the first restarts leave the window', () => {
    const sut = new RestartBudget(2, 60_000);
    expect([sut.take(0), sut.take(30_000), sut.take(59_999)]).toEqual([true, true, false]);
    expect(sut.take(60_000)).toBe(true); // the one at 0 has left the window
    expect(sut.taken(60_000)).toBe(2);
    expect(sut.take(60_001)).toBe(false);
  });
});
