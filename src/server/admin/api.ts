// What other domains may call of the organization and its people.
export { createOrganization, insertUser, addTeam, toOrgView, type NewOrganization, type NewUser } from './service.js';
export {
  findOrg,
  findOrgBySlug,
  firstOrg,
  findTeam,
  findUser,
  usersWithEmail,
  findUserById,
  teamName,
  userName,
  anyUser,
  existingEmails,
  setDefaultTeam,
  ping,
} from './queries.js';
