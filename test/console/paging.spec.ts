import { pageOf, pageQuery } from '../../apps/console/src/paging';

describe('console paging by limit and offset', () => {
  it('asks for one item more than a page shows, from the page start', () => {
    expect(pageQuery(0, 10)).toEqual({ limit: 11, offset: 0 });
    expect(pageQuery(2, 10)).toEqual({ limit: 11, offset: 20 });
  });

  it('offers a next page only when the extra item came back', () => {
    const items = Array.from({ length: 11 }, (_, i) => i);
    expect(pageOf(items, 10)).toEqual({ shown: items.slice(0, 10), more: true });
    expect(pageOf(items.slice(0, 10), 10)).toEqual({ shown: items.slice(0, 10), more: false });
    expect(pageOf([], 10)).toEqual({ shown: [], more: false });
  });
});
