// The start form's policy fields as people type them (a Persian keyboard's digits, "،" in lists).
import { asciiDigits, listItems } from '../digits';

/** A policy duration: "60" or "۶۰" is a number of days (months, years), anything else (PT3M) as typed. */
export function policyDuration(typed: string): number | string {
  const value = asciiDigits(typed.trim());
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** A policy list of durations ("7, 1", "۷، ۱", "PT10S"). */
export function policyDurations(typed: string): Array<number | string> {
  return listItems(typed).map(policyDuration);
}

/** The committee's quorum as typed ("3" or "۳"); undefined when left empty. */
export function quorumValue(typed: string): number | undefined {
  const value = asciiDigits(typed.trim());
  return value ? Number(value) : undefined;
}
