// Text for generated cases: a theater desk's everyday topics, varied enough that search has
// realistic selectivity (a topical word matches a few percent of cases, a pair far fewer).

import { fold } from '../src/server/platform/search/text.js';

export { prng } from '../src/server/demo/random.js';

/** The generated organization's associate, used by the benchmark to sign in. */
export const BENCH_LOGIN = { email: 'bench@servewell.test', password: 'bench-password' };

export const SHOWS = ['The Tempest', 'Hamlet', 'Our Town', 'A Doll House', 'The Nutcracker', 'Into the Woods', 'Fences', 'Peter Pan', 'Cabaret', 'The Seagull', 'Oklahoma', 'Macbeth', 'Annie', 'Godspell', 'Pippin', 'Rent'];
export const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
export const PLACES = ['balcony', 'lobby', 'mezzanine', 'orchestra', 'box office', 'coat check', 'parking garage', 'elevator', 'restroom', 'studio', 'rehearsal hall', 'cafe'];
export const ITEMS = ['umbrella', 'scarf', 'phone', 'glasses', 'wallet', 'program', 'jacket', 'hat', 'keys', 'gloves'];

export interface Topic {
  subject: (r: () => number) => string;
  body: (r: () => number) => string;
  reply: string;
  note: string;
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

export const TOPICS: Topic[] = [
  { subject: (r) => `Exchange tickets for ${pick(r, SHOWS)}`, body: (r) => `We booked ${pick(r, DAYS)} but need to move to another date. Can the tickets be exchanged without a fee?`, reply: 'I have exchanged your tickets; the new ones are in your inbox.', note: 'Exchange fee waived, subscriber.' },
  { subject: (r) => `Refund for cancelled ${pick(r, SHOWS)} performance`, body: () => 'The performance was cancelled. How do I get a refund to my credit card?', reply: 'Your refund has been issued and should appear within five business days.', note: 'Refund processed in the ticketing system.' },
  { subject: (r) => `Wheelchair seating for ${pick(r, SHOWS)}`, body: (r) => `My mother uses a wheelchair. Is there accessible seating with a companion seat on ${pick(r, DAYS)}?`, reply: 'Yes, row A has wheelchair spaces with companion seats; I have reserved one.', note: 'Accessible seating held in row A.' },
  { subject: (r) => `Lost ${pick(r, ITEMS)} in the ${pick(r, PLACES)}`, body: (r) => `I think I left my ${pick(r, ITEMS)} near the ${pick(r, PLACES)} after the show. Has anyone found it?`, reply: 'We found it; it is waiting for you at the box office.', note: 'Item logged in lost and found.' },
  { subject: () => 'Donation receipt for my tax return', body: () => 'Please send an annual statement of my donations; my accountant needs the receipt.', reply: 'Your annual giving statement is attached. Thank you for your generosity.', note: 'Statement generated from donor records.' },
  { subject: () => 'Change my monthly gift', body: () => 'I would like to increase my monthly donation starting next month.', reply: 'Done: your monthly gift is updated from the first of the month.', note: 'Recurring gift amount changed.' },
  { subject: () => 'Membership renewal question', body: () => 'My membership lapsed. If I renew now does it start today or from the old date?', reply: 'A renewal starts today and runs for a full year.', note: 'Explained renewal dates.' },
  { subject: () => 'Summer drama camp registration', body: () => 'When does camp registration open and is there a sibling discount for the second child?', reply: 'Registration opens in March; siblings get a discount on the second child.', note: 'Added to the camp early notice list.' },
  { subject: () => 'Scholarship for youth acting classes', body: () => 'We cannot afford the full class fee. Are there scholarships for the Saturday acting class?', reply: 'Yes, need-based scholarships cover up to the full fee; the form is attached.', note: 'Scholarship form sent.' },
  { subject: (r) => `Group booking for ${10 + Math.floor(r() * 40)} students`, body: () => 'Our school would like to bring a class to a weekday matinee. Is there a group rate for students and chaperones?', reply: 'Groups of fifteen or more receive a discount and chaperones are free.', note: 'Seats held for the school group.' },
  { subject: () => 'Hearing loop not working', body: (r) => `My hearing aid did not pick up the loop in the ${pick(r, PLACES)} last night.`, reply: 'We found a loose connection in the hearing loop and repaired it.', note: 'Technician repaired the loop amplifier.' },
  { subject: (r) => `Too cold in the ${pick(r, PLACES)}`, body: () => 'It was freezing during the evening show; several people kept their coats on.', reply: 'Thank you for telling us; the heating vent has been repaired.', note: 'Facilities checked the thermostat.' },
  { subject: () => 'Parking near the theater', body: () => 'Where is the best place to park on show nights? The lot was full.', reply: 'The city garage on Fifth Street is free after six and two minutes away.', note: 'Sent parking map.' },
  { subject: () => 'Gift certificate balance', body: () => 'How much is left on my gift certificate and does it expire?', reply: 'Your certificate has a remaining balance and it never expires.', note: 'Balance checked.' },
  { subject: (r) => `Reprint lost tickets for ${pick(r, SHOWS)}`, body: () => 'I cannot find the tickets I bought at the window. Can they be reprinted at will call?', reply: 'Your seats are at will call; bring a photo ID.', note: 'Tickets moved to will call.' },
  { subject: () => 'Service dog at the performance', body: () => 'I have a guide dog. Is it welcome and where should we sit?', reply: 'Your guide dog is welcome; an aisle seat gives the most room.', note: 'Aisle seat reserved.' },
  { subject: () => 'Volunteer ushering opportunities', body: () => 'I would like to volunteer as an usher this season. How do I sign up?', reply: 'I have passed your details to our volunteer coordinator.', note: 'Referred to the volunteer coordinator.' },
  { subject: () => 'Food bank referral', body: () => 'A family asked where they can get help with groceries this month.', reply: 'The community food bank on Elm Street is open Tuesday and Thursday.', note: 'Referral given.' },
  { subject: (r) => `Seats too far from the stage for ${pick(r, SHOWS)}`, body: () => 'My father is hard of hearing and found the back rows too far. Can we move closer?', reply: 'I moved your seats forward and we lend assistive listening devices.', note: 'Subscription seats upgraded.' },
  { subject: () => 'Sponsor benefits for the gala', body: () => 'Our company is considering a table sponsorship at the spring gala. What are the benefits?', reply: 'A table sponsorship includes ten seats and recognition in the program.', note: 'Sponsor sheet sent.' },
  { subject: () => 'Memorial gift in honor of my husband', body: () => 'I would like to make a gift in memory of my late husband. Can the program list his name?', reply: 'I am sorry for your loss; memorial gifts are listed in the season program.', note: 'Call to confirm the wording.' },
  { subject: () => 'Study guide for the school matinee', body: () => 'Is there a study guide and lesson plan for my ninth grade class before the matinee?', reply: 'Here is our study guide with three lesson plans.', note: 'Teaching artist visit offered.' },
  { subject: () => 'Accessible restroom signage', body: () => 'The accessible restroom is not signposted from the lobby.', reply: 'New signs go up this week by the lobby doors and the elevator.', note: 'Work order for signage.' },
  { subject: () => 'Subscription renewal and seat change', body: () => 'We want to renew our season subscription but change to the Sunday series.', reply: 'Your subscription is renewed for the Sunday series with similar seats.', note: 'Series changed.' },
];

/** Filler sentences add the long tail of vocabulary real messages have. */
const FILLER = [
  'Thank you so much for your help.',
  'We have been coming to your theater for years.',
  'Please call me back when you can.',
  'My phone number is on file.',
  'I look forward to hearing from you.',
  'Sorry for the trouble.',
  'It would mean a lot to our family.',
  'Let me know if you need anything else from me.',
  'Best wishes to the whole staff.',
  'I tried the website first but could not find the answer.',
];

export const filler = (r: () => number) => (r() < 0.6 ? ` ${pick(r, FILLER)}` : '');

// Patrons' names as a desk meets them: many origins, accents, apostrophes and hyphens, and a
// few very common names (drawn Zipf-like by `zipf`), so that the hard cases of search exist:
// "Gomez" for "Gómez", "obrien" for "O'Brien", one letter matching thousands.
export const FIRST = [
  'María', 'James', 'José', 'Mary', 'Wei', 'Fatima', 'John', 'Ana', 'Michael', 'Linda', 'Mohammed', 'Jennifer', 'David',
  'Sofía', 'Robert', 'Nguyễn', 'Patricia', 'Juan', 'Elizabeth', 'William', 'Priya', 'Barbara', 'Luis', 'Susan', 'Chloé',
  'Thomas', 'Jessica', 'Carlos', 'Sarah', 'Daniel', 'Zoë', 'Karen', 'François', 'Nancy', 'Jürgen', 'Lisa', 'André', 'Betty',
  'Hiro', 'Margaret', 'Søren', 'Sandra', 'Björn', 'Ashley', 'Łukasz', 'Kimberly', 'Renée', 'Emily', 'Hélène', 'Donna',
  'Jamal', 'Michelle', 'Keiko', 'Dorothy', 'Omar', 'Carol', 'Imani', 'Amanda', 'Siobhán', 'Melissa', 'Seán', 'Deborah',
  'Raúl', 'Stephanie', 'Inés', 'Rebecca', 'Ángel', 'Laura', 'Noémie', 'Sharon', 'Joël', 'Cynthia', 'Maëlle', 'Kathleen',
  'Jesús', 'Amy', 'Mónica', 'Shirley', 'Ramón', 'Angela', 'Dagmar', 'Helen', 'Ørjan', 'Anna', 'Göran', 'Brenda', 'Çağla',
  'Pamela', 'Mehmet', 'Nicole', 'Ayşe', 'Samantha', 'Tomás', 'Katherine', 'Agnieszka', 'Christine', 'Bartosz', 'Debra',
  'Victor', 'Rachel', 'Kofi', 'Catherine', 'Amara', 'Carolyn', 'Ji-woo', 'Janet', 'Min-jun', 'Ruth', 'Thandiwe', 'Maria',
  'Jean-Luc', 'Heather', 'Marie-Claire', 'Diane', 'Aoife', 'Virginia', 'Niamh', 'Julie', 'Dmitri', 'Joyce', 'Oksana',
  'Victoria', 'Yara', 'Olivia', 'Mateo', 'Kelly', 'Lucía', 'Christina', 'Álvaro', 'Lauren', 'Beatriz', 'Joan', 'Gonçalo',
  'Evelyn', 'João', 'Judith', 'Conceição', 'Megan', 'Zoltán', 'Andrea', 'Kateřina', 'Cheryl', 'Miloš', 'Hannah', 'Jiří',
  'Jacqueline', 'Halldóra', 'Martha', 'Þórunn', 'Gloria', 'Ólafur', 'Teresa', 'Kei', 'Ann', 'Keith', 'Sara', 'Vicente',
];
export const LAST = [
  'García', 'Smith', 'Nguyễn', 'Johnson', 'Rodríguez', 'Williams', 'Martínez', 'Brown', 'Hernández', 'Jones', 'López',
  'Miller', 'González', 'Davis', 'Pérez', 'Wilson', 'Sánchez', 'Anderson', 'Ramírez', 'Thomas', 'Gómez', 'Taylor',
  'Díaz', 'Moore', 'Núñez', 'Jackson', 'Muñoz', 'Martin', 'Jiménez', 'Lee', 'Álvarez', 'Thompson', 'Chen', 'White',
  'Müller', 'Harris', 'Schröder', 'Clark', 'Weiß', 'Lewis', 'Köhler', 'Robinson', 'Dvořák', 'Walker', 'Nováková', 'Young',
  'Wiśniewski', 'Allen', 'Łopez', 'King', "O'Brien", 'Wright', "O'Connor", 'Scott', "D'Angelo", 'Hill', 'Saint-Pierre',
  'Green', 'Lefèvre', 'Adams', 'Dubois', 'Baker', 'Mercier', 'Nelson', 'Fontaine', 'Carter', 'Gauthier', 'Mitchell',
  'Øster', 'Roberts', 'Ångström', 'Turner', 'Sørensen', 'Phillips', 'Jørgensen', 'Campbell', 'Björk', 'Parker', 'Çelik',
  'Evans', 'Öztürk', 'Edwards', 'Yılmaz', 'Collins', 'Şahin', 'Stewart', 'Trần', 'Morris', 'Lê', 'Rogers', 'Phạm',
  'Reed', 'Kim', 'Cook', 'Park', 'Morgan', 'Choi', 'Bell', 'Tanaka', 'Murphy', 'Suzuki', 'Bailey', 'Watanabe', 'Rivera',
  'Okafor', 'Cooper', 'Mensah', 'Richardson', 'Adeyemi', 'Cox', 'Abebe', 'Howard', 'Ibrahim', 'Ward', 'Haddad', 'Torres',
  'Khoury', 'Peterson', 'Shevchenko', 'Gray', 'Kowalczyk', 'Ramos', 'Petrović', 'James', 'Horváth', 'Watson', 'Kovač',
  'Brooks', 'Gonçalves', 'Kelly', 'Magalhães', 'Sanders', 'Araújo', 'Price', 'Conceição', 'Bennett', 'Guðmundsdóttir',
  'Wood', 'Þórsdóttir', 'Barnes', 'Ó Súilleabháin', 'Ross', 'Mac Giolla', 'Henderson', 'Van der Berg', 'Coleman',
  'De la Cruz', 'Jenkins', 'Gomez', 'Perry', 'Mueller', 'Powell', 'Oconnor', 'Long', 'Keane', 'Patterson', 'Victorino',
];
/** Nicknames people ask to be called by. */
export const PREFERRED = ['Bill', 'Bob', 'Liz', 'Kate', 'Pepe', 'Lupita', 'Paco', 'Mike', 'Jenny', 'Sam', 'Alex', 'Jo', 'Chris', 'Dani'];
const MAIL_DOMAINS = ['example.org', 'mail.example.com', 'post.example.net', 'inbox.example.fr', 'correo.example.es'];

/** An index drawn Zipf-like (exponent about 1): the first few entries are by far the most frequent. */
export function zipf(r: () => number, n: number): number {
  return Math.min(n - 1, Math.floor(Math.exp(r() * Math.log(n + 1)) - 1));
}

const ascii = (s: string) => fold(s).replace(/[^a-z]/g, '');

/** A plausible email address, unique by `id`, written in ASCII as people really do. */
export function emailFor(r: () => number, first: string, last: string, id: number): string {
  const f = ascii(first) || 'x';
  const l = ascii(last) || 'y';
  const domain = MAIL_DOMAINS[Math.floor(r() * MAIL_DOMAINS.length)]!;
  const forms = [`${f}.${l}${id}`, `${f[0]}${l}${id}`, `${f}_${l}.${id}`, `${l}.${f}${id}`];
  return `${forms[Math.floor(r() * forms.length)]}@${domain}`;
}

/** A phone number in one of the ways people write one; unique by `id`. */
export function phoneFor(r: () => number, id: number): string {
  const area = 200 + (Math.floor(id / 10_000) % 800);
  const line = String(id % 10_000).padStart(4, '0');
  const x = r();
  if (x < 0.35) return `(${area}) 555-${line}`;
  if (x < 0.55) return `${area}-555-${line}`;
  if (x < 0.65) return `${area}.555.${line}`;
  if (x < 0.8) return `+1 ${area} 555 ${line}`;
  if (x < 0.9) return `${area}555${line}`;
  if (x < 0.95) return `+44 20 7946 ${line}`;
  return `+33 6 12 ${line.slice(0, 2)} ${line.slice(2)} ${String(area % 100).padStart(2, '0')}`;
}
