// How patrons' contact points and names are written down once, so that the same person typed
// twice looks the same: emails lower-cased, phones in E.164 (libphonenumber-js, the full
// metadata, so a number that cannot exist is refused), names folded (no accents, no case) with
// nicknames made formal (Bill → william, Peggy → margaret) and their words sorted.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { fold } from '../platform/search/index.js';

/** The country an organization's phone numbers are in when written without one. */
export function countryOf(locale: string): CountryCode {
  try {
    return (new Intl.Locale(locale).maximize().region ?? 'US') as CountryCode;
  } catch {
    return 'US';
  }
}

/** A phone number in E.164, or null when it cannot be a real number. */
export function e164(raw: string, country: CountryCode): string | null {
  const parsed = parsePhoneNumberFromString(raw.trim(), country);
  return parsed?.isValid() ? parsed.number : null;
}


/** The number as a person of this country writes it ("(312) 555-0199", "+44 20 7946 0958"). */
export function displayPhone(value: string, country: CountryCode): string {
  const parsed = parsePhoneNumberFromString(value);
  if (!parsed?.isValid()) return value;
  return parsed.country === country ? parsed.formatNational() : parsed.formatInternational();
}

/** The number in its own country's format, or nothing when it does not parse. */
export const nationalPhone = (value: string): string | null => parsePhoneNumberFromString(value)?.formatNational() ?? null;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const normalizeEmail = (raw: string): string | null => {
  const v = raw.trim().toLowerCase();
  return EMAIL.test(v) && v.length <= 254 ? v : null;
};

/**
 * Nicknames and short forms to the formal name. Kept small and common; a name that is a
 * nickname of several (Alex) maps to one, which is enough for a candidate to be looked at.
 */
const NICKNAMES: Record<string, string> = {};
for (const [formal, nicks] of Object.entries({
  william: 'bill billy will willy liam',
  robert: 'bob bobby rob robbie bert',
  richard: 'dick rick ricky rich richie',
  margaret: 'peggy maggie meg marge margie greta',
  elizabeth: 'liz lizzie beth betty betsy eliza libby',
  katherine: 'kate katie kathy cathy catherine kathryn kat',
  james: 'jim jimmy jamie',
  john: 'jack johnny jon',
  joseph: 'joe joey',
  michael: 'mike mikey mick',
  thomas: 'tom tommy',
  charles: 'charlie chuck chas',
  edward: 'ed eddie ted teddy ned',
  anthony: 'tony',
  daniel: 'dan danny',
  david: 'dave davey',
  christopher: 'chris kit',
  matthew: 'matt',
  nicholas: 'nick nicky',
  andrew: 'andy drew',
  alexander: 'alex sandy',
  benjamin: 'ben benny',
  samuel: 'sam sammy',
  steven: 'steve stephen',
  timothy: 'tim timmy',
  patrick: 'pat paddy',
  patricia: 'patty trish tricia',
  jennifer: 'jen jenny',
  susan: 'sue susie suzanne',
  deborah: 'deb debbie debra',
  rebecca: 'becky becca',
  victoria: 'vicky tori',
  jessica: 'jess jessie',
  dorothy: 'dot dottie',
  barbara: 'barb babs',
  theodore: 'theo',
  francis: 'frank frankie',
  frances: 'fran',
  gregory: 'greg',
  jeffrey: 'jeff',
  kenneth: 'ken kenny',
  lawrence: 'larry',
  leonard: 'leo len lenny',
  ronald: 'ron ronnie',
  donald: 'don donnie',
  raymond: 'ray',
  gerald: 'jerry gerry',
  peter: 'pete',
  philip: 'phil',
  abigail: 'abby',
  alexandra: 'lexi',
  christine: 'tina',
  cynthia: 'cindy',
  judith: 'judy',
  kimberly: 'kim',
  pamela: 'pam',
  sandra: 'sandi',
  teresa: 'terry tess',
  virginia: 'ginny',
  josé: 'pepe',
  francisco: 'paco pancho',
  guillermo: 'memo',
  alejandro: 'alejo',
})) {
  for (const n of nicks.split(' ')) NICKNAMES[n] = fold(formal);
}

/** A name's words, folded, nicknames made formal. */
export function nameWords(name: string): string[] {
  return fold(name)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .map((w) => NICKNAMES[w] ?? w);
}

/** The name as a key: its words sorted, so "Smith, Bill" and "William Smith" are one key. */
export const nameKey = (name: string): string => [...nameWords(name)].sort().join(' ');
