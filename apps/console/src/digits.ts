// A Persian keyboard types Persian digits (۰-۹), an Arabic one Arabic-Indic digits (٠-٩), and
// Persian text separates a list with "،": what people type, read as the API's ASCII.

/** Persian and Arabic-Indic digits as ASCII digits; everything else as it is. */
export function asciiDigits(text: string): string {
  return text.replace(/[۰-۹٠-٩]/g, (d) => {
    const code = d.charCodeAt(0);
    return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660);
  });
}

/** The items of a list typed with commas (Latin or Arabic-script) or spaces between them. */
export function listItems(text: string): string[] {
  return text.split(/[,،\s]+/).filter(Boolean);
}
