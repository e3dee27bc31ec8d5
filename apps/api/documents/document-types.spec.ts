import { detectDocumentType, documentFileName } from './document-types';

describe('detectDocumentType', () => {
  it('goes by the signature of the bytes', async () => {
    expect(await detectDocumentType(Buffer.from('%PDF-1.7\n%%EOF\n'))).toEqual({
      accepted: true,
      mime: 'application/pdf',
    });
    expect(await detectDocumentType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0]))).toEqual(
      {
        accepted: true,
        mime: 'image/jpeg',
      },
    );
  });

  it('refuses other types, naming them, and bytes of no known type', async () => {
    const gif = Buffer.from('GIF89a\u0001\u0000\u0001\u0000', 'latin1');
    expect(await detectDocumentType(gif)).toEqual({ accepted: false, mime: 'image/gif', ext: 'gif' });
    expect(await detectDocumentType(Buffer.from('just words'))).toEqual({ accepted: false });
  });
});

describe('documentFileName', () => {
  it.each([
    ['plan.pdf', 'application/pdf', 'plan.pdf'],
    ['PLAN.PDF', 'application/pdf', 'PLAN.PDF'],
    ['photo.jpeg', 'image/jpeg', 'photo.jpeg'],
    ['report.txt', 'application/pdf', 'report.txt.pdf'],
    [
      'C:\\Users\\me\\plan.docx',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'plan.docx',
    ],
    ['../../etc/passwd', 'image/png', 'passwd.png'],
    ['bad\u0000\nname.pdf', 'application/pdf', 'badname.pdf'],
    ['', 'image/png', 'document.png'],
    [undefined, 'application/pdf', 'document.pdf'],
  ])('%j holding %s is stored as %j', (requested, mime, expected) => {
    expect(documentFileName(requested, mime)).toBe(expected);
  });

  it('shortens a long name to 200 characters, keeping the extension', () => {
    const name = documentFileName(`${'a'.repeat(300)}.pdf`, 'application/pdf');
    expect(name).toHaveLength(200);
    expect(name.endsWith('a.pdf')).toBe(true);
  });
});
