import { BadRequestException } from '@nestjs/common';
import { BodyDepthPipe, MAX_BODY_DEPTH, nestsDeeperThan } from './body-depth.pipe';

describe(BodyDepthPipe.name, () => {
  const nested = (depth: number): unknown => {
    let value: unknown = {};
    for (let i = 1; i < depth; i++) value = { a: value };
    return value;
  };

  it('measures objects and arrays, the top level being 1', () => {
    expect(nestsDeeperThan('text', 0)).toBe(false);
    expect(nestsDeeperThan({}, 1)).toBe(false);
    expect(nestsDeeperThan({ a: [] }, 1)).toBe(true);
    expect(nestsDeeperThan({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(nestsDeeperThan({ a: [{ b: [] }] }, 3)).toBe(true);
  });

  it('passes a body up to the limit, refuses one past it with a 400, and leaves other arguments alone', () => {
    const sut = new BodyDepthPipe();
    const ok = nested(MAX_BODY_DEPTH);
    expect(sut.transform(ok, { type: 'body' })).toBe(ok);
    expect(() => sut.transform(nested(MAX_BODY_DEPTH + 1), { type: 'body' })).toThrow(
      new BadRequestException('the request body must not nest objects and arrays more than 32 deep'),
    );
    expect(sut.transform(nested(MAX_BODY_DEPTH + 1), { type: 'query' })).toBeDefined();
  });

  it('measures a body nested far deeper than the stack allows recursion', () => {
    expect(nestsDeeperThan(JSON.parse('['.repeat(200_000) + ']'.repeat(200_000)), MAX_BODY_DEPTH)).toBe(true);
  });
});
