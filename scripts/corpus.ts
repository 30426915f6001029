// Text for generated cases: a theater desk's everyday topics, varied enough that search has
// realistic selectivity (a topical word matches a few percent of cases, a pair far fewer).

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

export const FIRST = ['Ana', 'Ben', 'Carla', 'David', 'Elena', 'Frank', 'Grace', 'Hiro', 'Imani', 'Jamal', 'Keiko', 'Luis', 'Mei', 'Nora', 'Omar', 'Priya', 'Quinn', 'Rosa', 'Sean', 'Tara', 'Uma', 'Victor', 'Wendy', 'Xavier', 'Yara', 'Zoe', 'Aaron', 'Bianca', 'Carlos', 'Dana', 'Ethan', 'Fatima', 'George', 'Hannah', 'Ivan', 'Julia', 'Kofi', 'Lena', 'Marco', 'Nadia'];
export const LAST = ['Abbott', 'Baker', 'Chen', 'Diaz', 'Evans', 'Fischer', 'Garcia', 'Hughes', 'Ibrahim', 'Johnson', 'Kowalski', 'Larsen', 'Martin', 'Novak', 'Obrien', 'Petrov', 'Quinlan', 'Reyes', 'Singh', 'Thompson', 'Ueda', 'Vargas', 'Wong', 'Xu', 'Young', 'Zimmerman', 'Adams', 'Brooks', 'Cohen', 'Duarte'];
