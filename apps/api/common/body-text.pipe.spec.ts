import { BadRequestException } from '@nestjs/common';
import { BodyTextPipe, controlCharacterIn } from './body-text.pipe';

describe(BodyTextPipe.name, () => {
  const sut = new BodyTextPipe();

  it('names where a control character is: a field, an item of a list, a key, the body itself', () => {
    expect(controlCharacterIn({ cityName: 'Isfahan\u0000' })).toBe('cityName');
    expect(
      controlCharacterIn({
        districts: [
          { id: 'd1', name: 'ok' },
          { id: 'd2', name: 'a\u001bb' },
        ],
      }),
    ).toBe('districts[1].name');
    expect(controlCharacterIn({ details: { ['k\u0007']: 1 } })).toBe('details');
    expect(controlCharacterIn('\u007f')).toBe('');
  });

  it("passes tabs and line breaks, Persian's zero-width non-joiner and the direction marks", () => {
    const text = 'برنامه‌ریزی\u200c مناطق\u200f\u200e\tline\r\nnext';
    expect(controlCharacterIn({ reason: text, list: [text], n: 1, b: true, none: null })).toBeUndefined();
    expect(sut.transform({ reason: text }, { type: 'body' })).toEqual({ reason: text });
  });

  it('refuses such a body with a 400 naming the field, and leaves queries and parameters alone', () => {
    const refusal = (body: unknown) => {
      try {
        sut.transform(body, { type: 'body' });
      } catch (err) {
        if (err instanceof BadRequestException) return (err.getResponse() as { message: unknown }).message;
        throw err;
      }
      return 'accepted';
    };
    expect(refusal({ contacts: [{ name: 'x\u0000' }] })).toEqual([
      'contacts[0].name must not contain control characters',
    ]);
    expect(refusal('\u0000')).toEqual(['the request body must not contain control characters']);
    expect(sut.transform({ q: '\u0000' }, { type: 'query' })).toEqual({ q: '\u0000' });
  });
});
