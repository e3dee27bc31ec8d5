// The start form's text areas read as the API's start body: districts (pasted, one a line),
// contacts and obligations (one a line, fields separated by "|").
import type { Role } from '@kudak/contracts/actor.types';
import type { Schemas } from '../api/client';
import { dueAtFromInput } from '../due-date';

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
const cells = (line: string) => line.split('|').map((cell) => cell.trim());
// The API checks the role and says which field is wrong.
const asRole = (value: string) => value as Role;

/** "District 1" becomes { id: "district-1", name: "District 1" }; "d1 | District 1" names its id. */
export function parseDistricts(text: string): Schemas['DistrictDto'][] {
  return lines(text).map((line, i) => {
    const [first, second] = cells(line);
    return second !== undefined ? { id: first, name: second } : { id: `district-${i + 1}`, name: first };
  });
}

/** id | name | role | locale | district (optional) | e-mail (optional) */
export function parseContacts(text: string): Schemas['ContactDto'][] {
  return lines(text).map((line) => {
    const [id, name, role, locale, districtId, email] = cells(line);
    return {
      id,
      name: name ?? '',
      role: asRole(role ?? ''),
      locale: locale === 'en' ? 'en' : 'fa',
      ...(districtId ? { districtId } : {}),
      ...(email ? { email } : {}),
    };
  });
}

/** id | party | party's role | owed to | description | due (a Solar Hijri day, or ISO 8601) | stage it gates (optional) */
export function parseObligations(text: string): Schemas['ObligationDto'][] {
  return lines(text).map((line) => {
    const [id, party, partyRole, owedTo, description, dueAt, gatesStage] = cells(line);
    return {
      id,
      party: party ?? '',
      partyRole: asRole(partyRole ?? ''),
      owedTo: owedTo ?? '',
      description: description ?? '',
      dueAt: dueAtFromInput(dueAt ?? ''),
      ...(gatesStage ? { gatesStage: gatesStage as Schemas['ObligationDto']['gatesStage'] } : {}),
    };
  });
}
