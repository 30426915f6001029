// The demo organization: a community theater with four teams, one login per role, about fifty
// patrons and two hundred cases across every channel and status. Everything goes through the
// real services, with a clock walked through the last two months, so counters, search, first
// response and resolution times are what real use would have left.
import type { CaseChannel, CaseStatus, Road, Role } from '../db/types.js';
import { addTeam, createOrganization, insertUser, setDefaultTeam } from '../admin/api.js';
import { addTeamAddressIn, setRelayIn } from '../mail/api.js';
import { formatRef, openCase } from '../cases/api.js';
import { addEntry, createCase, updateCase } from '../cases/service.js';
import { addPatronNote } from '../patrons/service.js';
import { createPatronIn } from '../patrons/api.js';
import type { Actor } from '../platform/actor.js';
import type { Platform } from '../platform/context.js';
import { hashPassword, randomToken } from '../platform/passwords.js';
import { inTransaction } from '../platform/tx.js';
import { prng } from './random.js';

export const DEMO_PASSWORD = 'servewell-demo';
export const DEMO_LOGINS: ReadonlyArray<{ email: string; role: Role; name: string }> = [
  { email: 'admin@demo.servewell.org', role: 'admin', name: 'Alex Rivera' },
  { email: 'supervisor@demo.servewell.org', role: 'supervisor', name: 'Sam Okafor' },
  { email: 'associate@demo.servewell.org', role: 'associate', name: 'Jordan Lee' },
  { email: 'volunteer@demo.servewell.org', role: 'volunteer', name: 'Pat Morgan' },
];

const TEAMS = ['Box office', 'Development', 'Education', 'Facilities'] as const;
type Team = (typeof TEAMS)[number];

const OTHER_STAFF: ReadonlyArray<{ name: string; team: Team; role: Role }> = [
  { name: 'Maria Gonzalez', team: 'Development', role: 'associate' },
  { name: 'Dev Patel', team: 'Education', role: 'associate' },
  { name: 'Chris Walker', team: 'Facilities', role: 'associate' },
  { name: 'Kim Nguyen', team: 'Box office', role: 'associate' },
];

const FIRST = ['Ana', 'Ben', 'Carla', 'David', 'Elena', 'Frank', 'Grace', 'Hiro', 'Imani', 'Jamal', 'Keiko', 'Luis', 'Mei', 'Nora', 'Omar', 'Priya', 'Quinn', 'Rosa', 'Sean', 'Tara', 'Uma', 'Victor', 'Wendy', 'Xavier', 'Yara'];
const LAST = ['Abbott', 'Baker', 'Chen', 'Diaz', 'Evans', 'Fischer', 'Garcia', 'Hughes', 'Ibrahim', 'Johnson', 'Kowalski', 'Larsen', 'Martin', 'Novak', "O'Brien", 'Petrov', 'Quinlan', 'Reyes', 'Singh', 'Thompson'];

interface Story {
  team: Team;
  subject: string;
  body: string;
  reply: string;
  note?: string;
  road: Road;
}

const STORIES: Story[] = [
  { team: 'Box office', subject: 'Exchange tickets for the Saturday matinee', body: 'We have two tickets for Saturday 2pm but my daughter has a recital. Could we move to the Sunday matinee instead?', reply: 'Of course. I have moved you to Sunday at 2pm, same seats in row G. New tickets are on their way by email.', road: 'care' },
  { team: 'Box office', subject: 'Wheelchair seating for The Tempest', body: 'My father uses a wheelchair. Which performances of The Tempest still have accessible seating next to a companion seat?', reply: 'Friday and Sunday evenings both have a wheelchair space with a companion seat in row A. Shall I hold Friday for you?', note: 'Offered Friday row A spaces 3-4; hold until Thursday.', road: 'care' },
  { team: 'Box office', subject: 'Refund for the cancelled concert', body: 'The jazz night on the 14th was cancelled. How do I get my money back for the three tickets?', reply: 'I am sorry the concert was cancelled. The refund for three tickets has been issued to your card; it takes 3-5 business days to appear.', road: 'care' },
  { team: 'Box office', subject: 'Lost my tickets, can you reprint them?', body: 'I cannot find the tickets I bought at the window last week. Can they be reprinted at will-call?', reply: 'No problem: your seats are in your name at will-call. Bring a photo ID and they will be printed for you.', road: 'teach' },
  { team: 'Box office', subject: 'Group booking for 24 students', body: 'I teach drama at Lincoln High. We would like to bring 24 students and 3 chaperones to a weekday performance. Is there a group rate?', reply: 'Groups of 15 or more get 30% off, and chaperones are free. The Wednesday school matinee would suit you best; I can hold 27 seats now.', road: 'learn' },
  { team: 'Box office', subject: 'Gift certificate balance', body: 'I received a gift certificate for my birthday. How much is left on it and does it expire?', reply: 'Your certificate has $45 left and it never expires. You can use it online or at the box office.', road: 'teach' },
  { team: 'Box office', subject: 'Parking near the theater on show nights', body: 'Where is the best place to park for an evening show? Last time the lot was full.', reply: 'The city garage on 5th Street is free after 6pm and two minutes away. Our lot fills first, so the garage is the calmer choice.', road: 'teach' },
  { team: 'Box office', subject: 'Seats too far from the stage for my mother', body: 'My mother is hard of hearing and found row R too far. Can we move closer for the next show in our subscription?', reply: 'I have moved your subscription seats to row E for the rest of the season, and we have assistive listening devices at the coat check.', note: 'Mentioned hearing loop; check it works in row E.', road: 'care' },
  { team: 'Development', subject: 'Donation receipt for my tax return', body: 'Could you send me a receipt for all my donations last year? My accountant needs it.', reply: 'Attached is your annual giving statement showing four gifts totalling $600. Thank you for your generosity.', road: 'care' },
  { team: 'Development', subject: 'Change my monthly gift amount', body: 'I would like to raise my monthly gift from $20 to $35 starting next month.', reply: 'Done: your monthly gift is now $35 from the 1st. Thank you for growing your support.', road: 'care' },
  { team: 'Development', subject: 'Membership renewal question', body: 'My membership lapsed in the spring. If I renew now, does it start today or from the old date?', reply: 'A renewal starts today and runs a full year, so you lose nothing by renewing now.', road: 'teach' },
  { team: 'Development', subject: 'Memorial gift in honor of my late husband', body: 'I would like to make a gift in memory of my husband, who loved your Shakespeare season. Can the program list his name?', reply: 'I am so sorry for your loss. Yes, memorial gifts are listed in the season program; I will call you to confirm the wording.', note: 'Handle personally; she prefers phone calls in the morning.', road: 'care' },
  { team: 'Development', subject: 'Sponsor benefits for the spring gala', body: 'Our company is considering a table sponsorship at the gala. What benefits come with it?', reply: 'A table sponsorship includes ten seats, a logo in the program and recognition from the stage. I have attached the full sponsor sheet.', road: 'learn' },
  { team: 'Education', subject: 'Summer drama camp registration', body: 'When does registration open for the summer drama camp, and is there a sibling discount?', reply: 'Registration opens March 1st. Siblings get 15% off the second child; I have added you to the early notice list.', road: 'teach' },
  { team: 'Education', subject: 'Scholarship for youth acting classes', body: 'My son would love the Saturday acting class but we cannot afford the full fee. Are there scholarships?', reply: 'Yes, we offer need-based scholarships covering up to the full fee. The short form is attached, and nobody else sees it.', road: 'care' },
  { team: 'Education', subject: 'Study guide for the school matinee', body: 'Is there a study guide for Romeo and Juliet that I can use with my 9th graders before the matinee?', reply: 'Here is our study guide with three lesson plans. Our teaching artist can also visit your class the week before.', road: 'teach' },
  { team: 'Education', subject: 'Age limit for the teen workshop', body: 'My daughter turns 13 in August. Can she join the teen workshop that starts in July?', reply: 'She can: the workshop is for ages 12 to 17 at the start date, so she is welcome.', road: 'teach' },
  { team: 'Facilities', subject: 'Lost umbrella in row F', body: 'I left a green umbrella under my seat in row F on Friday night. Has anyone found it?', reply: 'We found a green umbrella in row F. It is waiting for you at the box office.', road: 'care' },
  { team: 'Facilities', subject: 'Too cold in the balcony', body: 'The balcony was freezing during Sunday evening show. Several people kept their coats on.', reply: 'Thank you for telling us. Our technician found a stuck vent in the balcony and fixed it on Monday.', note: 'Vent repaired; ask the house manager to check temperature at intermission.', road: 'learn' },
  { team: 'Facilities', subject: 'Hearing loop not working in row E', body: 'My hearing aid did not pick up the loop in row E last night.', reply: 'We tested the loop and found a loose connection, now repaired. Please tell us if it happens again.', road: 'learn' },
  { team: 'Facilities', subject: 'Accessible restroom hard to find', body: 'The accessible restroom is not signposted from the lobby. We spent the interval looking for it.', reply: 'You are right. New signs go up this week at the lobby doors and by the elevator.', road: 'learn' },
  { team: 'Box office', subject: 'Can I bring a service dog?', body: 'I have a guide dog. Is it welcome in the theater, and where should we sit?', reply: 'Your guide dog is very welcome. An aisle seat in row C gives the most room; I have reserved one for you.', road: 'care' },
  { team: 'Development', subject: 'Volunteer ushering opportunities', body: 'I would like to volunteer as an usher this season. How do I sign up?', reply: 'Thank you! I have passed your details to our volunteer coordinator, who will send the usher schedule.', road: 'redirect' },
  { team: 'Education', subject: 'Food bank referral for a camp family', body: 'One of our camp families asked where they can get help with groceries this month.', reply: 'The Riverside Food Bank on Elm Street is open Tuesday and Thursday; no appointment needed. I have sent the family their details.', road: 'redirect' },
];

const PERSONAL_NOTES = [
  'Recently retired teacher; loves talking about the student matinees.',
  'Husband passed away last spring; be gentle about the memorial gift.',
  'Works night shifts at the hospital; best reached after 2pm.',
  'Daughter performs in the youth company.',
];
const GENERAL_NOTES = [
  'Prefers email over phone.',
  'Season subscriber since 2015.',
  'Asks for aisle seats.',
  'Usually buys for a group of four.',
];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export async function seedDemo(base: Platform, opts: { patrons?: number; cases?: number } = {}) {
  const rand = prng(1042);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const end = base.clock.now();
  let t = end - 60 * DAY;
  const p: Platform = { ...base, clock: { now: () => t } };

  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const { org, teams, actors, staff } = await inTransaction(p, async (ctx) => {
    const org = await createOrganization(ctx, {
      name: 'Riverside Community Theater',
      slug: 'riverside-theater',
      timeZone: 'America/Chicago',
      casePrefix: 'SW',
      firstCaseNumber: 1001,
    });
    const teams = new Map<Team, number>();
    for (const name of TEAMS) teams.set(name, (await addTeam(ctx, org.id, name)).id);
    await setDefaultTeam(ctx.tx, org.id, teams.get('Box office')!);
    // Each team receives mail (send a test message to a fresh install: README), and the demo's
    // mail goes to the built-in catch-all, which an admin reads: its patrons are made up.
    for (const [name, id] of teams) await addTeamAddressIn(ctx, org.id, id, `${name.replace(/\s+/g, '').toLowerCase()}@demo.servewell.org`);
    await setRelayIn(ctx, org.id, { mode: 'catch_all' });
    const actors = new Map<Role, Actor>();
    for (const login of DEMO_LOGINS) {
      const u = await insertUser(
        ctx,
        org.id,
        { ...login, teamId: login.role === 'admin' ? null : teams.get('Box office')!, password: DEMO_PASSWORD },
        passwordHash,
      );
      actors.set(login.role, { userId: u.id, orgId: org.id, role: u.role, name: u.name, email: u.email, teamId: u.team_id, casePrefix: org.case_prefix });
    }
    const staff = new Map<Team, Actor[]>();
    for (const s of OTHER_STAFF) {
      const email = `${s.name.split(' ')[0]!.toLowerCase()}@demo.servewell.org`;
      // Staff without a published login: a random password nobody knows.
      const u = await insertUser(ctx, org.id, { email, name: s.name, role: s.role, teamId: teams.get(s.team)!, password: randomToken() }, await hashPassword(randomToken()));
      staff.set(s.team, [...(staff.get(s.team) ?? []), { userId: u.id, orgId: org.id, role: u.role, name: u.name, email: u.email, teamId: u.team_id, casePrefix: org.case_prefix }]);
    }
    for (const role of ['supervisor', 'associate', 'volunteer'] as const) {
      staff.set('Box office', [...(staff.get('Box office') ?? []), actors.get(role)!]);
    }
    return { org, teams, actors, staff };
  });

  const supervisor = actors.get('supervisor')!;
  const patronIds: number[] = [];
  await inTransaction(p, async (ctx) => {
    const used = new Set<string>();
    while (patronIds.length < (opts.patrons ?? 50)) {
      const first = pick(FIRST);
      const last = pick(LAST);
      const key = `${first} ${last}`;
      if (used.has(key)) continue;
      used.add(key);
      const n = patronIds.length;
      const row = await createPatronIn(ctx, org.id, {
        name: key,
        email: n % 7 === 3 ? undefined : `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '') + '@example.org',
        phone: n % 3 === 0 ? `(312) 555-${String(1000 + n * 37).slice(-4)}` : undefined,
        preferredName: n % 11 === 5 ? first.slice(0, 3) : undefined,
        language: n % 9 === 4 ? 'es' : undefined,
      });
      patronIds.push(row.id);
    }
  });
  for (let i = 0; i < 12; i++) {
    const kind = i % 3 === 0 ? 'personal' : 'general';
    await addPatronNote(p, supervisor, patronIds[i * 4]!, {
      kind,
      body: kind === 'personal' ? PERSONAL_NOTES[i % PERSONAL_NOTES.length]! : GENERAL_NOTES[i % GENERAL_NOTES.length]!,
    });
  }

  const total = opts.cases ?? 200;
  const channels: CaseChannel[] = ['email', 'web', 'phone', 'walk_in', 'email', 'web', 'phone', 'internal'];
  const finals: CaseStatus[] = ['new', 'open', 'waiting', 'promised', 'resolved', 'resolved', 'closed', 'closed', 'resolved', 'open'];
  for (let i = 0; i < total; i++) {
    // Later cases are more likely to still be open, as on a real desk.
    t = end - 60 * DAY + Math.floor(((i + rand()) / total) * 59 * DAY);
    const story = STORIES[i % STORIES.length]!;
    const channel = channels[i % channels.length]!;
    const recent = i > total * 0.75;
    const final = recent ? finals[i % 5]! : finals[i % finals.length]!;
    const members = staff.get(story.team) ?? [];
    const owner = members.length ? pick(members) : supervisor;
    const patronId = patronIds[Math.floor(rand() * patronIds.length)]!;
    const teamId = teams.get(story.team)!;
    let ref: string;
    if (channel === 'phone' || channel === 'walk_in' || channel === 'internal') {
      const detail = await createCase(p, owner, {
        channel,
        patronId: channel === 'internal' ? undefined : patronId,
        subject: story.subject,
        body: story.body,
        direction: 'in',
        road: channel === 'internal' ? undefined : story.road,
        status: 'open',
        priority: i % 13 === 0 ? 'high' : i % 29 === 0 ? 'urgent' : 'normal',
        teamId,
        assigneeId: owner.userId,
        tags: i % 5 === 0 ? ['accessibility'] : i % 7 === 0 ? ['vip'] : [],
      });
      ref = detail.ref;
    } else {
      const row = await inTransaction(p, (ctx) =>
        openCase(ctx, {
          orgId: org.id, channel, patronId, subject: story.subject, body: story.body, direction: 'in',
          status: 'new', priority: i % 17 === 0 ? 'high' : 'normal', teamId,
          assigneeId: final === 'new' ? null : owner.userId, tags: i % 6 === 0 ? ['accessibility'] : [], createdBy: null,
        }),
      );
      ref = formatRef(org.case_prefix, row.number);
    }
    if (final === 'new') continue;
    t += Math.floor((1 + rand() * 20) * HOUR);
    if (story.note && i % 2 === 0) {
      await addEntry(p, owner, ref, { kind: 'note', body: story.note });
      t += Math.floor(rand() * 2 * HOUR);
    }
    if (channel === 'internal') {
      await addEntry(p, owner, ref, { kind: 'note', body: `Done: ${story.reply}`, status: final === 'closed' ? 'resolved' : final === 'open' ? undefined : final });
    } else {
      const afterReply: CaseStatus | undefined =
        final === 'waiting' || final === 'promised' ? final : final === 'resolved' || final === 'closed' ? 'resolved' : undefined;
      // History: recorded as answered long ago, not mailed again now.
      await addEntry(p, owner, ref, { kind: 'reply', body: story.reply, road: story.road, status: afterReply }, { mail: false });
    }
    if (final === 'closed') {
      t += Math.floor((1 + rand() * 48) * HOUR);
      await updateCase(p, owner, ref, { status: 'closed' });
    }
  }
  return { orgId: org.id, slug: org.slug };
}
